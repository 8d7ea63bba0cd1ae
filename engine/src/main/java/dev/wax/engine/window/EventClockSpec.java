package dev.wax.engine.window;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * Event time: timestamps come from the items; the watermark is the largest timestamp seen minus
 * {@code waitMicros}, advanced by the system time elapsed since that timestamp arrived. System
 * time never goes backwards here, even if the source of "now" does.
 */
public record EventClockSpec(TimestampExtractor extractor, long waitMicros, LongSupplier systemNow)
    implements ClockSpec {
  /** An event clock on the worker's system clock. */
  public EventClockSpec(TimestampExtractor extractor, long waitMicros) {
    this(extractor, waitMicros, null);
  }

  public EventClockSpec {
    if (waitMicros < 0) {
      throw new IllegalArgumentException("wait_for_system_duration must not be negative");
    }
  }

  @Override
  public ClockLogic build(Object resumeState) {
    Logic logic = new Logic(extractor, waitMicros);
    if (resumeState instanceof long[] state) {
      // The watermark goes on advancing with system time, the time the dataflow was down included.
      logic.base = state[0];
      logic.systemOfBase = state[1];
      logic.systemNow = state[2];
    }
    return logic;
  }

  /** Per-key watermark state: {@code base} and the system time {@code base} last moved at. */
  static final class Logic implements ClockLogic {
    private final TimestampExtractor extractor;
    private final long wait;
    private long base = Times.UTC_MIN;
    private long systemOfBase = Long.MIN_VALUE;
    private long systemNow = Long.MIN_VALUE;

    Logic(TimestampExtractor extractor, long wait) {
      this.extractor = extractor;
      this.wait = wait;
    }

    @Override
    public void onItems(List<Object> values, long systemNow, long[] timestamps, long[] watermarks) {
      advance(systemNow);
      long[] stamps = extractor.timestamps(values);
      for (int i = 0; i < stamps.length; i++) {
        timestamps[i] = stamps[i];
        watermarks[i] = onItem(stamps[i]);
      }
    }

    private void advance(long now) {
      systemNow = Math.max(systemNow, now);
      if (systemOfBase == Long.MIN_VALUE) {
        systemOfBase = systemNow;
      }
    }

    private long watermark() {
      return Times.plus(base, systemNow - systemOfBase);
    }

    /** Accepts one timestamp; returns the watermark after it. */
    long onItem(long timestamp) {
      long current = watermark();
      long candidate = Times.minus(timestamp, wait);
      if (candidate > current) {
        base = candidate;
        systemOfBase = systemNow;
        return candidate;
      }
      return current;
    }

    @Override
    public long onNotify(long now) {
      advance(now);
      return watermark();
    }

    @Override
    public long toSystem(long timestamp) {
      if (systemOfBase == Long.MIN_VALUE) {
        return Long.MAX_VALUE;
      }
      long ahead = timestamp - base;
      return ahead <= 0 ? systemOfBase : Times.plus(systemOfBase, ahead);
    }

    @Override
    public Object snapshot() {
      return new long[] {base, systemOfBase, systemNow};
    }
  }
}
