package dev.wax.engine.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.function.Supplier;

/**
 * What one step records on one worker: items in, items out, and how long its user calls took.
 * Series appear when first recorded, as in Bytewax. Only the step's worker thread records.
 */
public final class StepMetrics {
  /** Records nothing: the run has no metrics. */
  public static final StepMetrics NONE = new StepMetrics(null, null, 0);

  private final RunMetrics run;
  private final String stepId;
  private final String worker;
  private CounterDataPoint itemsIn;
  private CounterDataPoint itemsOut;
  private DistributionDataPoint batchSizes;
  private final DistributionDataPoint[] timings = new DistributionDataPoint[Timing.values().length];

  StepMetrics(RunMetrics run, String stepId, int worker) {
    this.run = run;
    this.stepId = stepId;
    this.worker = Integer.toString(worker);
  }

  /** The step took in {@code count} items. */
  public void itemsIn(long count) {
    if (run != null) {
      if (itemsIn == null) {
        itemsIn = run.itemsIn.labelValues(stepId, worker);
      }
      itemsIn.inc(count);
    }
  }

  /** The step emitted {@code count} items. */
  public void itemsOut(long count) {
    if (run != null) {
      if (itemsOut == null) {
        itemsOut = run.itemsOut.labelValues(stepId, worker);
      }
      itemsOut.inc(count);
    }
  }

  /** A source partition's {@code next_batch} returned {@code size} items. */
  public void batchSize(long size) {
    if (run != null) {
      if (batchSizes == null) {
        batchSizes = run.batchSizes.labelValues(stepId, worker);
      }
      batchSizes.observe(size);
    }
  }

  /** Runs {@code call} and records its duration under {@code timing} when it returns. */
  public <T> T timed(Timing timing, Supplier<T> call) {
    if (run == null) {
      return call.get();
    }
    long start = System.nanoTime();
    T result = call.get();
    DistributionDataPoint point = timings[timing.ordinal()];
    if (point == null) {
      point = run.timings.get(timing).labelValues(stepId, worker);
      timings[timing.ordinal()] = point;
    }
    point.observe((System.nanoTime() - start) / 1e9);
    return result;
  }

  /** As {@link #timed(Timing, Supplier)} for a call that returns nothing. */
  public void timed(Timing timing, Runnable call) {
    timed(
        timing,
        () -> {
          call.run();
          return null;
        });
  }
}
