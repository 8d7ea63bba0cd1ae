package dev.wax.engine.runtime;

import dev.wax.engine.ops.KeyGrouper;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a step's input items are processed: a step that declares an exchange receives, on each
 * worker, only the pieces the exchange placed there. Steps without one process items on the
 * worker that produced them.
 */
@FunctionalInterface
public interface Exchange {
  /** Receives the pieces of a batch and the index of the worker each must go to. */
  @FunctionalInterface
  interface Placement {
    void place(int worker, List<Object> piece);
  }

  /** Splits {@code batch} into pieces and places each on one of {@code workerCount} workers. */
  void split(List<Object> batch, int workerCount, Placement placement);

  /** Groups items by key; each key's {@link KeyedBatch} goes to the worker owning the key. */
  static Exchange byKey(KeyGrouper keys) {
    return (batch, workerCount, placement) ->
        keys.group(batch, (key, values) -> placement.place(ownerOf(key, workerCount), new KeyedBatch(key, values)));
  }

  /**
   * Deals items over the workers in turn, as {@code redistribute} does. The exchange keeps its
   * turn, so each worker needs its own.
   */
  static Exchange spread() {
    int[] next = {0};
    return (batch, workerCount, placement) -> {
      if (workerCount == 1) {
        placement.place(0, batch);
        return;
      }
      int start = next[0];
      for (int w = 0; w < workerCount; w++) {
        int worker = (start + w) % workerCount;
        List<Object> share = new ArrayList<>();
        for (int i = w; i < batch.size(); i += workerCount) {
          share.add(batch.get(i));
        }
        if (!share.isEmpty()) {
          placement.place(worker, share);
        }
      }
      next[0] = (start + 1) % workerCount;
    };
  }

  /**
   * The worker owning {@code key}: a deterministic hash of the key's characters, the same in
   * every process and run, so state and its snapshots always meet on one worker.
   */
  static int ownerOf(String key, int workerCount) {
    if (workerCount == 1) {
      return 0;
    }
    // String.hashCode is specified by the language; the multiply-shift spreads close keys.
    long h = key.hashCode() * 0x9E3779B97F4A7C15L;
    return (int) Math.floorMod(h >>> 32, (long) workerCount);
  }
}
