package dev.wax.engine.ops;

import java.time.Instant;
import java.util.List;

/**
 * The logic of one key in a stateful step. Per round the step calls, for the keys concerned and in
 * sorted key order: {@link #onBatch} with the round's values, then {@link #onNotify} once the time
 * from {@link #notifyAt} has passed, then {@link #onEof} when the input ends. After a round it asks
 * {@link #notifyAt} again of every key it touched. A result with {@code discard} drops the logic;
 * the key starts fresh with its next value.
 */
public interface StatefulLogic {
  Emit onBatch(List<Object> values);

  default Emit onNotify() {
    return Emit.RETAIN_NONE;
  }

  default Emit onEof() {
    return Emit.RETAIN_NONE;
  }

  /** When to call {@link #onNotify}; null for never. */
  default Instant notifyAt() {
    return null;
  }

  /** The key's state to resume from; called at every epoch close for keys touched in it. */
  Object snapshot();

  /**
   * What a logic call produced: items to send downstream (already in their final shape) and
   * whether to discard this key's logic.
   */
  record Emit(List<Object> items, boolean discard) {
    public static final Emit RETAIN_NONE = new Emit(List.of(), false);
  }
}
