package dev.wax.engine.io;

/** A source that builds one partition on every worker. Its state is not snapshotted. */
public non-sealed interface DynamicSource extends Source {
  SourcePartition build(String stepId, int workerIndex, int workerCount);
}
