package dev.wax.engine.runtime;

/**
 * What one worker sends another for one exchanged step, in order: data, then a marker when the
 * sender has sent all its data of an epoch, and finally an end-of-stream.
 */
public sealed interface Message {
  /**
   * Pieces of a batch, {@code items} values in all, encoded together; {@code keys} are the
   * {@link KeyedBatch}es' keys in order, or null for plain pieces.
   */
  record Data(String[] keys, Object payload, int items) implements Message {}

  /** The sender has sent everything it will send in {@code epoch}. */
  record EpochEnd(long epoch) implements Message {}

  /** The sender will send nothing more. */
  record End() implements Message {}
}
