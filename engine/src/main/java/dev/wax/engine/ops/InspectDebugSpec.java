package dev.wax.engine.ops;

import dev.wax.engine.FrontierLag;
import dev.wax.engine.StepSpec;
import dev.wax.engine.runtime.Outlet;
import dev.wax.engine.runtime.StepContext;
import dev.wax.engine.runtime.StepRunner;
import java.util.List;

/** Core step {@code inspect_debug}: shows each batch to the inspector, then passes it on. */
public record InspectDebugSpec(BatchInspector inspector) implements StepSpec {
  @Override
  public List<String> outputPorts() {
    return List.of("down");
  }

  @Override
  public FrontierLag frontierLag() {
    return FrontierLag.ONE_OPERATOR;
  }

  @Override
  public boolean isOutput() {
    return true;
  }

  @Override
  public String traceName(String stepId) {
    return stepId;
  }

  @Override
  public StepRunner newRunner(StepContext context) {
    return new Runner(context, inspector);
  }

  private static final class Runner extends TransformRunner {
    private final StepContext context;
    private final BatchInspector inspector;
    private final Outlet down;

    Runner(StepContext context, BatchInspector inspector) {
      super(context.inbox());
      this.context = context;
      this.inspector = inspector;
      this.down = context.outlet("down");
    }

    @Override
    void process(List<Object> batch) {
      UserCall.run(
          UserCall.calling("inspector", context.stepId()),
          context.stepId(),
          () -> inspector.inspect(batch, context.epoch(), context.workerIndex()));
      down.emit(batch);
    }
  }
}
