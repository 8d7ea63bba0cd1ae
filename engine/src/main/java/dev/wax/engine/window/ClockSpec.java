package dev.wax.engine.window;

import java.util.function.LongSupplier;

/**
 * How a window step tells time: builds one {@link ClockLogic} per key and, for event-time
 * clocks, extracts the items' timestamps a batch at a time.
 */
public interface ClockSpec {
  ClockLogic build(Object resumeState);

  /** Reads item timestamps, or null when the clock assigns them itself (system time). */
  default TimestampExtractor timestamps() {
    return null;
  }

  /** The source of "now" in microseconds, or null for the worker's system clock. */
  default LongSupplier systemNow() {
    return null;
  }
}
