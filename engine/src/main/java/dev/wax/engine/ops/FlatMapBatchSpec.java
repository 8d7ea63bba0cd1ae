package dev.wax.engine.ops;

import dev.wax.engine.FrontierLag;
import dev.wax.engine.StepSpec;
import dev.wax.engine.metrics.Timing;
import dev.wax.engine.metrics.StepMetrics;
import dev.wax.engine.runtime.Outlet;
import dev.wax.engine.runtime.StepContext;
import dev.wax.engine.runtime.StepRunner;
import java.util.List;
import java.util.function.Supplier;

/** Core step {@code flat_map_batch}: calls the mapper once per incoming batch. */
public record FlatMapBatchSpec(BatchMapper mapper) implements StepSpec {
  @Override
  public List<String> outputPorts() {
    return List.of("down");
  }

  @Override
  public FrontierLag frontierLag() {
    return FrontierLag.ONE_OPERATOR;
  }

  @Override
  public String traceName(String stepId) {
    return stepId;
  }

  @Override
  public StepRunner newRunner(StepContext context) {
    return new Runner(context, mapper);
  }

  private static final class Runner extends TransformRunner {
    private final String stepId;
    private final BatchMapper mapper;
    private final Outlet down;
    private final Supplier<String> calling;
    private final StepMetrics metrics;

    Runner(StepContext context, BatchMapper mapper) {
      super(context.inbox());
      this.stepId = context.stepId();
      this.mapper = mapper;
      this.down = context.outlet("down");
      this.calling = UserCall.calling("`mapper`", stepId);
      this.metrics = context.metrics();
    }

    @Override
    void process(List<Object> batch) {
      metrics.itemsIn(batch.size());
      List<Object> out = metrics.timed(Timing.FLAT_MAP_BATCH, () -> UserCall.call(calling, stepId, () -> mapper.apply(batch)));
      metrics.itemsOut(out.size());
      down.emit(out);
    }
  }
}
