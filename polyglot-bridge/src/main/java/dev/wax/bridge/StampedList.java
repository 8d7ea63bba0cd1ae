package dev.wax.bridge;

import org.graalvm.polyglot.Value;

/**
 * One key's values from an event-clock window step, with the timestamps Python computed while
 * grouping them. Stamps are null when computing them raised: the clock then asks again for this
 * key alone, so the error names the key.
 */
final class StampedList extends PyList {
  private final long[] stamps;

  StampedList(Value values, long[] stamps) {
    super(values);
    this.stamps = stamps;
  }

  /** The values' timestamps in microseconds, or null when they must be computed again. */
  long[] stamps() {
    return stamps;
  }
}
