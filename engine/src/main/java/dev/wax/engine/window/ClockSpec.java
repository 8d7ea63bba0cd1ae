package dev.wax.engine.window;

import java.util.function.LongSupplier;

/** How a window step tells time: builds one {@link ClockLogic} per key. */
public interface ClockSpec {
  ClockLogic build(Object resumeState);

  /** The source of "now" in microseconds, or null for the worker's system clock. */
  default LongSupplier systemNow() {
    return null;
  }
}
