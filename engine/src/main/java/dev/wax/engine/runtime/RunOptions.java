package dev.wax.engine.runtime;

import dev.wax.engine.metrics.RunMetrics;
import dev.wax.engine.tracing.RunTracing;
import java.time.Duration;
import java.time.InstantSource;

/**
 * How to run a dataflow.
 *
 * @param epochInterval system time between epoch closes (Bytewax's default is 10 seconds)
 * @param clock the system clock; tests inject a controlled one
 * @param workers how many workers run the dataflow in this process
 * @param epochListener told of every epoch close on every worker (for metrics and benchmarks), or
 *     null
 * @param recovery where the worker resumes from and commits its snapshots, or null to run
 *     without recovery
 * @param metrics where the steps record what they do (the dataflow API serves it), or null
 * @param tracing where the workers send their spans, or null
 */
public record RunOptions(
    Duration epochInterval,
    InstantSource clock,
    int workers,
    EpochListener epochListener,
    Recovery recovery,
    RunMetrics metrics,
    RunTracing tracing) {
  /** Observes epoch closes. */
  @FunctionalInterface
  public interface EpochListener {
    /** Epoch {@code epoch} closed on a worker; {@code liveKeys} keys hold state there. */
    void epochClosed(long epoch, long liveKeys);
  }

  public static final Duration DEFAULT_EPOCH_INTERVAL = Duration.ofSeconds(10);

  public RunOptions {
    if (epochInterval.isNegative()) {
      throw new IllegalArgumentException("epoch interval can't be negative; got " + epochInterval);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("a run needs at least one worker; got " + workers);
    }
  }

  /** One worker, the system clock, 10-second epochs. */
  public static RunOptions defaults() {
    return new RunOptions(DEFAULT_EPOCH_INTERVAL, InstantSource.system(), 1, null, null, null, null);
  }

  public RunOptions withEpochInterval(Duration interval) {
    return new RunOptions(interval, clock, workers, epochListener, recovery, metrics, tracing);
  }

  public RunOptions withClock(InstantSource clock) {
    return new RunOptions(epochInterval, clock, workers, epochListener, recovery, metrics, tracing);
  }

  public RunOptions withWorkers(int workers) {
    return new RunOptions(epochInterval, clock, workers, epochListener, recovery, metrics, tracing);
  }

  public RunOptions withEpochListener(EpochListener listener) {
    return new RunOptions(epochInterval, clock, workers, listener, recovery, metrics, tracing);
  }

  public RunOptions withRecovery(Recovery recovery) {
    return new RunOptions(epochInterval, clock, workers, epochListener, recovery, metrics, tracing);
  }

  public RunOptions withMetrics(RunMetrics metrics) {
    return new RunOptions(epochInterval, clock, workers, epochListener, recovery, metrics, tracing);
  }

  public RunOptions withTracing(RunTracing tracing) {
    return new RunOptions(epochInterval, clock, workers, epochListener, recovery, metrics, tracing);
  }
}
