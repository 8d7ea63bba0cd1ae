package dev.wax.engine.runtime;

/**
 * Where a step puts its state at an epoch close. With recovery on, the worker encodes each state
 * and the epoch's snapshots commit together; without, nothing is kept.
 */
public interface Snapshots {
  /** {@code key} holds {@code state} at the end of the epoch. */
  void put(String key, Object state);

  /** {@code key} holds state the step encoded itself with the worker's {@link StateCodec}. */
  void putEncoded(String key, byte[] state);

  /** {@code key} holds no state any more. */
  void discard(String key);
}
