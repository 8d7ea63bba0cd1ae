package dev.wax.engine.io;

import java.util.List;

/** A sink with a fixed list of partitions; items are routed to a partition by their key. */
public non-sealed interface FixedPartitionedSink extends Sink {
  List<String> listParts();

  /** Chooses the partition of a key: an index into {@link #listParts()}, taken modulo its size. */
  int partFor(String key);

  SinkPartition buildPart(String stepId, String partKey, Object resumeState);
}
