package dev.wax.engine.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Spreads the fixed partitions of a source or sink over the workers: each partition, in listed
 * order, goes to the worker holding the fewest so far, ties going to the highest worker index (so a
 * single partition lands on the last worker, as in Bytewax).
 */
public final class PartitionAssignment {
  private PartitionAssignment() {}

  /** The partitions, out of {@code parts}, that worker {@code workerIndex} owns. */
  public static List<String> partsOf(List<String> parts, int workerIndex, int workerCount) {
    int[] held = new int[workerCount];
    List<String> mine = new ArrayList<>();
    for (String part : parts) {
      int owner = workerCount - 1;
      for (int w = workerCount - 1; w >= 0; w--) {
        if (held[w] < held[owner]) {
          owner = w;
        }
      }
      held[owner]++;
      if (owner == workerIndex) {
        mine.add(part);
      }
    }
    return mine;
  }
}
