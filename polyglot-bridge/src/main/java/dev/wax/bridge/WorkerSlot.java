package dev.wax.bridge;

import dev.wax.engine.Graph;
import dev.wax.engine.runtime.BatchCodec;
import dev.wax.engine.runtime.Execution;
import dev.wax.engine.runtime.RunOptions;

/**
 * The worker one Context runs in a run shared by several Contexts (`wax run -w N`): each Context
 * imports the flow itself and hands its graph to its worker.
 */
final class WorkerSlot {
  private final Execution execution;
  private final int index;
  private volatile boolean started;

  WorkerSlot(Execution execution, int index) {
    this.execution = execution;
    this.index = index;
  }

  void run(Graph graph, RunOptions options, BatchCodec codec) {
    started = true;
    execution.runWorker(index, graph, options.withWorkers(execution.workerCount()), codec);
  }

  /** Whether the Context got as far as running its worker. */
  boolean started() {
    return started;
  }

  int index() {
    return index;
  }

  Execution execution() {
    return execution;
  }
}
