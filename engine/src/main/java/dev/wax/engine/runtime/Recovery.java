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
   * backupInterval}, as Bytewax does.
   */
  public static long backupEpochs(Duration backupInterval, Duration epochInterval) {
    long backup = backupInterval.toNanos();
    long epoch = epochInterval.toNanos();
    return (backup + epoch - 1) / epoch;
  }
}
