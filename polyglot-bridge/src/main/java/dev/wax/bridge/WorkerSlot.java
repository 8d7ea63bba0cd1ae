package dev.wax.bridge;

import dev.wax.engine.Graph;
import dev.wax.engine.runtime.BatchCodec;
import dev.wax.engine.runtime.Execution;
import dev.wax.engine.runtime.RunOptions;
import java.util.function.Function;

/**
 * The worker one Context runs when several Contexts run a program together (`wax run -w N`):
 * each Context imports the flow itself, and each of its dataflow runs joins the same-numbered run
 * of the other Contexts.
 */
final class WorkerSlot {
  private final RunSeries series;
  private final int index;
  private int runs;

  WorkerSlot(RunSeries series, int index) {
    this.series = series;
    this.index = index;
  }

  /** Runs {@code graph} as this worker of the next run, with the options it gives that run. */
  void run(Graph graph, Function<Execution, RunOptions> optionsFor, BatchCodec codec) {
    int k = runs++;
    try {
      Execution execution = series.run(k);
      // Each worker watches it in its own CtrlC run: one that ended before another began has
      // already forgotten what it watched.
      CtrlC.watch(execution);
      RunOptions options;
      try {
        options = optionsFor.apply(execution).withWorkers(execution.workerCount());
      } catch (RuntimeException e) {
        // E.g. the recovery directory can't be used: the other workers must not wait for this one.
        execution.fail(index, e);
        throw e;
      }
      execution.runWorker(index, graph, options, codec);
    } finally {
      series.left(k);
    }
  }

  /**
   * This worker's program ended with a failure before its next run: the other workers must not
   * wait for it there.
   */
  void abandon(RuntimeException cause) {
    series.gaveUp(index, runs, cause);
  }

  int index() {
    return index;
  }
}
