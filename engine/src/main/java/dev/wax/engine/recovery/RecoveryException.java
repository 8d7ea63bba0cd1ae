package dev.wax.engine.recovery;

import dev.wax.engine.WaxException;

/**
 * A recovery directory that cannot be resumed from. The kind says which of Bytewax's errors it
 * is, so the Python layer raises the class users catch.
 */
public final class RecoveryException extends WaxException {
  /** Why the directory cannot be used. */
  public enum Kind {
    /** The directory itself is missing. */
    NO_DIRECTORY,
    /** No partitions at all. */
    NO_PARTITIONS,
    /** Some of the partitions {@code init} created are gone. */
    MISSING_PARTITIONS,
    /** Partitions from different points in time: resuming would lose state. */
    INCONSISTENT_PARTITIONS,
    /** A partition's database is damaged or unreadable. */
    CORRUPTED
  }

  private final Kind kind;

  RecoveryException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  RecoveryException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
