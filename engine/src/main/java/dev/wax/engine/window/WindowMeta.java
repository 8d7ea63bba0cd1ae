package dev.wax.engine.window;

/**
 * What is known about a window: its id, {@code [open, close)} in microseconds, and the ids of the
 * session windows merged into it.
 */
public record WindowMeta(long id, long open, long close, long[] mergedIds) {
  public static final long[] NONE = new long[0];
}
