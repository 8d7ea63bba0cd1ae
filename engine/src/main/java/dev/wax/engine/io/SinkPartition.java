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

  /** Called once when the run ends. */
  default void close() {}
}
