package dev.wax.engine.runtime;

import java.time.Duration;
import java.time.InstantSource;

/**
 * How to run a dataflow on one worker.
 *
 * @param epochInterval system time between epoch closes (Bytewax's default is 10 seconds)
 * @param clock the system clock; tests inject a controlled one
 * @param workerIndex this worker's index among all workers
 * @param workerCount how many workers run the dataflow
 * @param epochListener told of every epoch close (for metrics and benchmarks), or null
 */
public record RunOptions(
    Duration epochInterval,
    InstantSource clock,
    int workerIndex,
    int workerCount,
    EpochListener epochListener) {
  /** Observes epoch closes. */
  @FunctionalInterface
  public interface EpochListener {
    /** Epoch {@code epoch} closed; {@code liveKeys} keys hold state across all stateful steps. */
    void epochClosed(long epoch, long liveKeys);
  }

  public static final Duration DEFAULT_EPOCH_INTERVAL = Duration.ofSeconds(10);

  public RunOptions {
    if (epochInterval.isNegative() || epochInterval.isZero()) {
      throw new IllegalArgumentException("epoch interval must be positive; got " + epochInterval);
    }
    if (workerIndex < 0 || workerIndex >= workerCount) {
      throw new IllegalArgumentException(
          "worker index " + workerIndex + " out of range for " + workerCount + " workers");
    }
  }

  /** One worker, the system clock, 10-second epochs. */
  public static RunOptions defaults() {
    return new RunOptions(DEFAULT_EPOCH_INTERVAL, InstantSource.system(), 0, 1, null);
  }

  public RunOptions withEpochInterval(Duration interval) {
    return new RunOptions(interval, clock, workerIndex, workerCount, epochListener);
  }

  public RunOptions withClock(InstantSource clock) {
    return new RunOptions(epochInterval, clock, workerIndex, workerCount, epochListener);
  }

  public RunOptions withEpochListener(EpochListener listener) {
    return new RunOptions(epochInterval, clock, workerIndex, workerCount, listener);
  }
}
