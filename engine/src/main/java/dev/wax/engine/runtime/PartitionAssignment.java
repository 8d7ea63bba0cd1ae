package dev.wax.engine.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spreads the fixed partitions of a source or sink over the workers: each partition, in listed
 * order, goes to the worker holding the fewest so far, ties going to the highest worker index (so a
 * single partition lands on the last worker, as in Bytewax).
 */
public final class PartitionAssignment {
  private PartitionAssignment() {}

  /** The partitions, out of {@code parts}, that worker {@code workerIndex} owns. */
  public static List<String> partsOf(List<String> parts, int workerIndex, int workerCount) {
    List<String> mine = new ArrayList<>();
    owners(parts, workerCount).forEach((part, owner) -> {
      if (owner == workerIndex) {
        mine.add(part);
      }
    });
    return mine;
  }

  /** The worker owning each partition, in the partitions' order. */
  public static Map<String, Integer> owners(List<String> parts, int workerCount) {
    int[] held = new int[workerCount];
    Map<String, Integer> owners = new LinkedHashMap<>();
    for (String part : parts) {
      int owner = workerCount - 1;
      for (int w = workerCount - 1; w >= 0; w--) {
        if (held[w] < held[owner]) {
          owner = w;
        }
      }
      held[owner]++;
      owners.put(part, owner);
    }
    return owners;
  }
}
