package dev.wax.engine.io;

/** A sink that builds one partition on every worker. */
public non-sealed interface DynamicSink extends Sink {
  SinkPartition build(String stepId, int workerIndex, int workerCount);
}
