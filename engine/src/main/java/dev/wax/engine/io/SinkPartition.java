package dev.wax.engine.io;

import java.util.List;

/** One writable partition of a sink. */
public interface SinkPartition {
  /** Writes the items of one batch, in order. */
  void writeBatch(List<Object> items);

  /** State to resume this partition from; called at every epoch close. */
  default Object snapshot() {
    return null;
  }

  /**
   * How this partition commits its output together with the epoch's snapshot, or null when what
   * it writes is final at once. Asked once, after the partition is built; only a {@link
   * DynamicSink}'s partitions may have one.
   */
  default OutputCommitter committer() {
    return null;
  }

  /** Called once when the run ends. */
  default void close() {}
}
