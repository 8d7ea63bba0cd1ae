package dev.wax.engine.window;

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
  public TimestampExtractor timestamps() {
    return extractor;
  }

  @Override
  public ClockLogic build(Object resumeState) {
    return new Logic(waitMicros);
  }

  /** Per-key watermark state: {@code base} and the system time {@code base} last moved at. */
  static final class Logic implements ClockLogic {
    private final long wait;
    private long base = Times.UTC_MIN;
    private long systemOfBase = Long.MIN_VALUE;
    private long systemNow = Long.MIN_VALUE;

    Logic(long wait) {
      this.wait = wait;
    }

    @Override
    public void beforeBatch(long now) {
      advance(now);
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

    @Override
    public void onItem(long timestamp, long[] out) {
      long current = watermark();
      long candidate = Times.minus(timestamp, wait);
      out[0] = timestamp;
      if (candidate > current) {
        base = candidate;
        systemOfBase = systemNow;
        out[1] = candidate;
      } else {
        out[1] = current;
      }
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
