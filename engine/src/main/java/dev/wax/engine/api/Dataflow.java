package dev.wax.engine.api;

import dev.wax.engine.Graph;
import dev.wax.engine.GraphBuilder;
import dev.wax.engine.Step;
import dev.wax.engine.StepSpec;
import dev.wax.engine.io.Source;
import dev.wax.engine.ops.InputSpec;
import dev.wax.engine.recovery.RecoveryStore;
import dev.wax.engine.runtime.Execution;
import dev.wax.engine.runtime.Recovery;
import dev.wax.engine.runtime.RunOptions;
import dev.wax.engine.runtime.StateCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A dataflow built from plain Java functions, with no Python involved:
 *
 * <pre>{@code
 * Dataflow flow = new Dataflow("double");
 * flow.input("inp", Sources.of(List.of(1, 2, 3)))
 *     .map("double", x -> x * 2)
 *     .output("out", Sinks.println());
 * flow.run();
 * }</pre>
 */
public final class Dataflow {
  private final GraphBuilder graph;

  public Dataflow(String flowId) {
    this.graph = new GraphBuilder(flowId);
  }

  public <T> Stream<T> input(String stepId, Source source) {
    return new Stream<>(this, add(stepId, new InputSpec(source), List.of()).output("down"));
  }

  Step add(String stepId, StepSpec spec, List<String> inputs) {
    return graph.add(graph.flowId() + "." + stepId, spec, inputs);
  }

  /** The validated graph, e.g. to run with custom {@link RunOptions}. */
  public Graph graph() {
    return graph.build();
  }

  /** Runs the dataflow to completion on this thread as a single worker. */
  public void run() {
    run(RunOptions.defaults());
  }

  /** Runs the dataflow to completion with {@code options.workers()} workers, one thread each. */
  public void run(RunOptions options) {
    Execution.run(graph(), options);
  }

  /**
   * Runs the dataflow with recovery: it resumes from the snapshots in {@code recoveryDir} (whose
   * partitions {@link RecoveryStore#init} created), and at every epoch close writes the state of
   * every key, source and sink partition it touched there. Superseded snapshots are kept for
   * {@code backupInterval}. State is stored with Java serialization.
   */
  public void run(RunOptions options, Path recoveryDir, Duration backupInterval) {
    long backupEpochs = Recovery.backupEpochs(backupInterval, options.epochInterval());
    try (RecoveryStore store = RecoveryStore.open(recoveryDir, backupEpochs, options.workers())) {
      Execution.run(graph(), options.withRecovery(new Recovery(store, StateCodec.JAVA)));
    }
  }
}
