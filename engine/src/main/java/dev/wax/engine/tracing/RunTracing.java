package dev.wax.engine.tracing;

/** Where a run's workers send their spans (see {@link WorkerSpans}). */
@FunctionalInterface
public interface RunTracing {
  /** The spans of worker {@code index}, used by its thread alone. */
  WorkerSpans forWorker(int index);
}
