package dev.wax.engine.runtime;

import java.time.Instant;

/**
 * One core step running on one worker. The worker calls {@link #runRound()} on every step once per
 * scheduling round, in the order the steps were created, so data reaches later steps in the same
 * round.
 */
public interface StepRunner {
  /**
   * How this step's input is spread over workers, or null when each worker processes the items
   * it produced. Asked once, when the worker is wired.
   */
  default Exchange exchange() {
    return null;
  }

  /** Called once before the first round, in creation order: build partitions and logics. */
  default void start() {}

  /**
   * Does this round's work: poll due partitions, or process everything queued for the step.
   *
   * @return whether any work was done
   */
  boolean runRound();

  /** True once the step has seen the end of all its input and will never emit again. */
  boolean isDone();

  /** The earliest time this step wants a round although no new data arrives; null for none. */
  default Instant wakeAt() {
    return null;
  }

  /** How many keys hold state in this step now (stateful steps); read at epoch closes. */
  default long liveKeys() {
    return 0;
  }

  /**
   * Called at every epoch close, after the round that ends the epoch: puts the state of every key
   * (or partition) that changed in the epoch into {@code snapshots}.
   */
  default void closeEpoch(long epoch, Snapshots snapshots) {}

  /**
   * Whether this step holds its output back until the snapshot of its epoch is durable; asked
   * once, after {@link #start()}.
   */
  default boolean commitsOutput() {
    return false;
  }

  /**
   * The snapshots of {@code epoch} and of every epoch before it are durable on every process;
   * called only on steps that {@link #commitsOutput()}.
   */
  default void epochDurable(long epoch) {}

  /** Releases resources; called once when the run ends, also after a failure. */
  default void close() {}
}
