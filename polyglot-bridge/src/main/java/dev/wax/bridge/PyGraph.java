package dev.wax.bridge;

import dev.wax.engine.Graph;
import dev.wax.engine.GraphBuilder;
import dev.wax.engine.StepSpec;
import dev.wax.engine.ops.BranchSpec;
import dev.wax.engine.ops.FlatMapBatchSpec;
import dev.wax.engine.ops.ForwardSpec;
import dev.wax.engine.ops.InputSpec;
import dev.wax.engine.ops.InspectDebugSpec;
import dev.wax.engine.ops.OutputSpec;
import dev.wax.engine.ops.StatefulBatchSpec;
import dev.wax.engine.ops.WindowSpec;
import java.util.List;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * The graph under construction, as Python's {@code bytewax.operators} sees it: one method per core
 * operator, each taking the fully qualified step id, upstream stream ids and Python adapters, and
 * returning the new stream ids. The Python side has already checked ids and argument types.
 */
public final class PyGraph {
  private final GraphBuilder builder;

  PyGraph(String flowId) {
    this.builder = new GraphBuilder(flowId);
  }

  Graph build() {
    return builder.build();
  }

  @HostAccess.Export
  public String input(String stepId, Value source, boolean fixed) {
    return add(stepId, new InputSpec(PySources.wrap(source, fixed)))[0];
  }

  /** {@code grouper} splits {@code (key, value)} items for a fixed-partitioned sink, else None. */
  @HostAccess.Export
  public void output(String stepId, String up, Value sink, boolean fixed, Value grouper) {
    OutputSpec spec =
        new OutputSpec(PySinks.wrap(sink, fixed), fixed ? PyFunctions.grouper(grouper) : null);
    add(stepId, spec, up);
  }

  @HostAccess.Export
  public String flatMapBatch(String stepId, String up, Value mapper) {
    return add(stepId, new FlatMapBatchSpec(PyFunctions.mapper(mapper)), up)[0];
  }

  @HostAccess.Export
  public String[] branch(String stepId, String up, Value splitter) {
    return add(stepId, new BranchSpec(PyFunctions.splitter(splitter)), up);
  }

  @HostAccess.Export
  public String inspectDebug(String stepId, String up, Value inspector) {
    return add(stepId, new InspectDebugSpec(PyFunctions.inspector(inspector)), up)[0];
  }

  @HostAccess.Export
  public String merge(String stepId, Value ups) {
    return add(stepId, ForwardSpec.merge(), Strings.of(ups).toArray(String[]::new))[0];
  }

  @HostAccess.Export
  public String redistribute(String stepId, String up) {
    return add(stepId, ForwardSpec.redistribute(), up)[0];
  }

  @HostAccess.Export
  public String statefulBatch(String stepId, String up, Value grouper, Value builder, boolean logicsMayWake) {
    StatefulBatchSpec spec =
        new StatefulBatchSpec(PyFunctions.grouper(grouper), PyFunctions.logicBuilder(builder), logicsMayWake);
    return add(stepId, spec, up)[0];
  }

  /** Returns the ids of the {@code down}, {@code late} and {@code meta} streams. */
  @HostAccess.Export
  public String[] window(
      String stepId,
      String up,
      Value grouper,
      Value clock,
      Value windower,
      Value logic,
      boolean ordered,
      Value shaper) {
    WindowSpec spec =
        new WindowSpec(
            PyFunctions.grouper(grouper),
            PyWindows.clock(clock),
            PyWindows.windower(windower),
            PyWindows.logic(logic),
            ordered,
            PyWindows.shaper(shaper));
    return add(stepId, spec, up);
  }

  private String[] add(String stepId, StepSpec spec, String... ups) {
    List<String> outputs = builder.add(stepId, spec, List.of(ups)).outputs();
    return outputs.toArray(String[]::new);
  }
}
