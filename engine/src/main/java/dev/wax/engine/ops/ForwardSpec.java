package dev.wax.engine.ops;

import dev.wax.engine.FrontierLag;
import dev.wax.engine.StepSpec;
import dev.wax.engine.runtime.Exchange;
import dev.wax.engine.runtime.Outlet;
import dev.wax.engine.runtime.StepContext;
import dev.wax.engine.runtime.StepRunner;
import java.util.List;

/**
 * Core steps {@code merge} and {@code redistribute}: pass every batch on unchanged, in arrival
 * order. On one worker the two do the same; they differ only in how items cross workers.
 */
public record ForwardSpec(Kind kind) implements StepSpec {
  public enum Kind {
    MERGE,
    REDISTRIBUTE
  }

  public static ForwardSpec merge() {
    return new ForwardSpec(Kind.MERGE);
  }

  public static ForwardSpec redistribute() {
    return new ForwardSpec(Kind.REDISTRIBUTE);
  }

  @Override
  public List<String> outputPorts() {
    return List.of("down");
  }

  /** Timely's {@code concatenate} and exchange hold no capabilities. */
  @Override
  public FrontierLag frontierLag() {
    return FrontierLag.NONE;
  }

  @Override
  public StepRunner newRunner(StepContext context) {
    Outlet down = context.outlet("down");
    return new TransformRunner(context.inbox()) {
      @Override
      void process(List<Object> batch) {
        down.emit(batch);
      }

      @Override
      public Exchange exchange() {
        return kind == Kind.REDISTRIBUTE ? Exchange.spread() : null;
      }
    };
  }
}
