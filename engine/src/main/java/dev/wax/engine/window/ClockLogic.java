package dev.wax.engine.window;

/**
 * The clock of one key: assigns each item a timestamp and tracks the watermark, the time before
 * which no more items are expected. All times are {@link Times} microseconds.
 */
public interface ClockLogic {
  /** Called once before the items of a batch, with the current system time. */
  void beforeBatch(long systemNow);

  /**
   * Accepts one item whose timestamp the clock's {@link TimestampExtractor} gave (or, for clocks
   * without one, {@code Long.MIN_VALUE}) and returns {@code [timestamp, watermark]} in {@code out}.
   */
  void onItem(long timestamp, long[] out);

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
