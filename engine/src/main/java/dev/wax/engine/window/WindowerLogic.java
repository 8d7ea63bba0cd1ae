package dev.wax.engine.window;

/** The windows of one key: which windows an item falls in, and when windows close. */
public interface WindowerLogic {
  /** The windows an on-time item at {@code timestamp} belongs to, opening them as needed. */
  long[] insert(long timestamp);

  /** The ids a late item at {@code timestamp} is reported under. */
  long[] lateFor(long timestamp);

  /**
   * Session merges caused by inserts since the last call: pairs {@code [from, into]}, the window
   * {@code from} having been folded into {@code into}. Windowers that never merge return none.
   */
  default long[][] drainMerges() {
    return NO_MERGES;
  }

  long[][] NO_MERGES = new long[0][];

  /** Removes and returns, in closing order, the windows the watermark has passed. */
  WindowMeta[] closeFor(long watermark);

  /** The smallest watermark at which {@link #closeFor} would close a window; MAX_VALUE if none. */
  long nextCloseWatermark();

  boolean isEmpty();

  Object snapshot();
}
