package dev.wax.engine.io;

import java.time.Instant;
import java.util.List;

/**
 * One readable partition of a source. The input step calls {@link #nextBatch()} once per
 * scheduling round while the partition is due, then asks {@link #nextAwake()} when to poll next.
 */
public interface SourcePartition {
  /**
   * The next items, possibly none. Returns {@code null} at the end of input. Throwing {@link
   * dev.wax.engine.AbortExecution} stops the whole run without EOF.
   */
  List<Object> nextBatch();

  /**
   * When to call {@link #nextBatch()} again. {@code null} means "at once" after a non-empty batch
   * and "in about a millisecond" after an empty one.
   */
  default Instant nextAwake() {
    return null;
  }

  /** State to resume this partition from; called at every epoch close. */
  default Object snapshot() {
    return null;
  }

  /** Called once when the partition reaches EOF or the run ends. */
  default void close() {}
}
