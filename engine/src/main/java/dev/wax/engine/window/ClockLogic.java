package dev.wax.engine.window;

import java.util.List;

/**
 * The clock of one key: assigns each item a timestamp and tracks the watermark, the time before
 * which no more items are expected. All times are {@link Times} microseconds.
 */
public interface ClockLogic {
  /**
   * Stamps a batch of the key's values: fills {@code timestamps[i]} and the watermark after each
   * value, {@code watermarks[i]}. {@code systemNow} is read once per batch.
   */
  void onItems(List<Object> values, long systemNow, long[] timestamps, long[] watermarks);

  /** The watermark when woken with no new items. */
  long onNotify(long systemNow);

  /** The watermark once the input has ended: {@link Times#UTC_MAX}, closing everything. */
  default long onEof() {
    return Times.UTC_MAX;
  }

  /** The system time at which the watermark will reach {@code timestamp}; MAX_VALUE if never. */
  long toSystem(long timestamp);

  Object snapshot();
}
