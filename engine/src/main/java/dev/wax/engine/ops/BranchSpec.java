package dev.wax.engine.ops;

import dev.wax.engine.FrontierLag;
import dev.wax.engine.StepSpec;
import dev.wax.engine.runtime.Outlet;
import dev.wax.engine.runtime.StepContext;
import dev.wax.engine.runtime.StepRunner;
import java.util.List;

/** Core step {@code branch}: sends each item to {@code trues} or {@code falses}. */
public record BranchSpec(BatchSplitter splitter) implements StepSpec {
  @Override
  public List<String> outputPorts() {
    return List.of("trues", "falses");
  }

  @Override
  public FrontierLag frontierLag() {
    return FrontierLag.NONE;
  }

  @Override
  public StepRunner newRunner(StepContext context) {
    return new Runner(context, splitter);
  }

  private static final class Runner extends TransformRunner {
    private final String stepId;
    private final BatchSplitter splitter;
    private final Outlet trues;
    private final Outlet falses;

    Runner(StepContext context, BatchSplitter splitter) {
      super(context.inbox());
      this.stepId = context.stepId();
      this.splitter = splitter;
      this.trues = context.outlet("trues");
      this.falses = context.outlet("falses");
    }

    @Override
    void process(List<Object> batch) {
      BatchSplitter.Split split = UserCall.call(UserCall.calling("predicate", stepId), stepId, () -> splitter.split(batch));
      trues.emit(split.trues());
      falses.emit(split.falses());
    }
  }
}
