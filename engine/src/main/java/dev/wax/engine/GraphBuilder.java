package dev.wax.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Records core steps one by one, checking ids and stream references as it goes, and produces a
 * {@link Graph}. Both the Java API and the Python shim build graphs through this class.
 */
public final class GraphBuilder {
  private final String flowId;
  private final List<Step> steps = new ArrayList<>();
  private final Set<String> stepIds = new HashSet<>();
  private final Set<String> streams = new LinkedHashSet<>();

  public GraphBuilder(String flowId) {
    if (flowId == null || flowId.isEmpty() || flowId.contains(".")) {
      throw new UsageException("flow ID can't be empty or contain a `.`; got " + flowId);
    }
    this.flowId = flowId;
  }

  public String flowId() {
    return flowId;
  }

  /**
   * Adds a core step.
   *
   * @param id the step's fully qualified id ({@code flow.step} or {@code flow.outer.inner})
   * @return the added step, whose {@link Step#outputs()} are the new stream ids
   */
  public Step add(String id, StepSpec spec, List<String> inputs) {
    if (!id.startsWith(flowId + ".")) {
      throw new UsageException("step ID " + id + " must start with the flow ID " + flowId + ".");
    }
    if (!stepIds.add(id)) {
      throw new UsageException(
          "step '" + id + "' already exists; do you have two steps with the same ID?");
    }
    for (String input : inputs) {
      if (!streams.contains(input)) {
        throw new UsageException("step " + id + " reads unknown stream " + input);
      }
    }
    List<String> outputs = new ArrayList<>();
    for (String port : spec.outputPorts()) {
      outputs.add(id + "." + port);
    }
    Step step = new Step(id, spec, inputs, outputs);
    steps.add(step);
    streams.addAll(outputs);
    return step;
  }

  /** Checks the whole-graph rules and returns the graph. */
  public Graph build() {
    if (steps.stream().noneMatch(s -> s.spec().isInput())) {
      throw new UsageException(
          "Dataflow needs to contain at least one input step; "
              + "add with `bytewax.operators.input`");
    }
    if (steps.stream().noneMatch(s -> s.spec().isOutput())) {
      throw new UsageException(
          "Dataflow needs to contain at least one output or inspect step; "
              + "add with `bytewax.operators.output` or `bytewax.operators.inspect`");
    }
    return new Graph(flowId, steps);
  }
}
