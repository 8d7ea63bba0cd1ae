package dev.wax.engine;

import dev.wax.engine.runtime.StepContext;
import dev.wax.engine.runtime.StepRunner;
import java.util.List;

/**
 * What a core step does, independent of any worker: an immutable description that builds one
 * {@link StepRunner} per worker. The eight core kinds live in {@code dev.wax.engine.ops}; every
 * other operator is a composition of them.
 */
public interface StepSpec {
  /** Names of the output ports, e.g. {@code down} or {@code trues, falses}. */
  List<String> outputPorts();

  /** Whether this step is an input (a step with no upstream). */
  default boolean isInput() {
    return false;
  }

  /** Whether this step delivers items out of the dataflow (output or inspect). */
  default boolean isOutput() {
    return false;
  }

  /**
   * Whether this step keeps its state per key on the worker that owns the key ({@code
   * Exchange.ownerOf}); a resuming cluster then sends each key's state only to that worker's
   * process.
   */
  default boolean keepsStatePerKey() {
    return false;
  }

  /**
   * Whether this step writes snapshots at epoch closes (stateful steps and fixed-partitioned
   * sources and sinks); with recovery, those snapshots decide when an epoch is over.
   */
  default boolean writesSnapshots() {
    return keepsStatePerKey();
  }

  /** How many rounds Bytewax's core takes to carry the end of input or of an epoch through it. */
  FrontierLag frontierLag();

  StepRunner newRunner(StepContext context);

  /**
   * The {@code operator} attribute of this step's spans, as Bytewax names the operator that runs
   * it (often {@code stepId} itself); null for a step Bytewax traces no span of.
   */
  default String traceName(String stepId) {
    return null;
  }
}
