package dev.wax.engine.ops;

import java.util.List;

/** Observes a batch as it passes a step, with the epoch and the worker that hold it. */
@FunctionalInterface
public interface BatchInspector {
  void inspect(List<Object> batch, long epoch, int workerIndex);
}
