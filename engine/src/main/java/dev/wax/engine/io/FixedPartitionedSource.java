package dev.wax.engine.io;

import java.util.List;

/** A source with a fixed list of partitions; each partition is read by exactly one worker. */
public non-sealed interface FixedPartitionedSource extends Source {
  /** The partition keys; called once per worker when the run starts. */
  List<String> listParts();

  /**
   * Builds the partition {@code partKey} on the worker that owns it.
   *
   * @param resumeState what the partition's {@code snapshot()} returned at the resume epoch, or
   *     {@code null} when starting fresh
   */
  SourcePartition buildPart(String stepId, String partKey, Object resumeState);
}
