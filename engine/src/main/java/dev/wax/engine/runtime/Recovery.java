package dev.wax.engine.runtime;

import dev.wax.engine.recovery.RecoveryStore;
import java.time.Duration;

/**
 * Recovery for one worker: the store its process resumes from and commits to, and how the
 * worker encodes its steps' state (in its own Python Context for Python flows).
 */
public record Recovery(RecoveryStore store, StateCodec codec) {
  /**
   * How many epochs superseded snapshots are kept for: whole epochs covering {@code
   * backupInterval}, as Bytewax counts them (in whole milliseconds; with epochs shorter than one,
   * none without a backup interval and all with one).
   */
  public static long backupEpochs(Duration backupInterval, Duration epochInterval) {
    long backup = backupInterval.toMillis();
    long epoch = epochInterval.toMillis();
    if (epoch == 0) {
      return backup == 0 ? 0 : Long.MAX_VALUE;
    }
    return (backup + epoch - 1) / epoch;
  }
}
