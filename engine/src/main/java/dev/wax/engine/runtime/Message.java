package dev.wax.engine.runtime;

/**
 * What one worker sends another for one exchanged step, in order: data, then a marker when the
 * sender has sent all its data of an epoch, and finally an end-of-stream.
 */
public sealed interface Message {
  /**
   * A piece of a batch of {@code items} values, encoded; {@code key} is the {@link KeyedBatch}'s
   * key, or null for a plain piece.
   */
  record Data(String key, Object payload, int items) implements Message {}

  /** The sender has sent everything it will send in {@code epoch}. */
  record EpochEnd(long epoch) implements Message {}

  /** The sender will send nothing more. */
  record End() implements Message {}
}
