package dev.wax.engine.ops;

import dev.wax.engine.runtime.Exchange;
import dev.wax.engine.runtime.Inbox;
import dev.wax.engine.runtime.KeyedBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** What the steps that keep state per key share: Bytewax's sorted-key order. */
final class ByKey {
  private ByKey() {}

  /**
   * Drains an inbox of {@link KeyedBatch}es (what {@link Exchange#byKey} places), merging the
   * values of each key in arrival order; keys sorted.
   */
  static TreeMap<String, List<Object>> drain(Inbox inbox) {
    TreeMap<String, List<Object>> byKey = new TreeMap<>();
    List<Object> piece;
    while ((piece = inbox.poll()) != null) {
      KeyedBatch keyed = (KeyedBatch) piece;
      byKey.merge(keyed.key(), keyed.values(), ByKey::concat);
    }
    return byKey;
  }

  private static List<Object> concat(List<Object> first, List<Object> second) {
    List<Object> all = new ArrayList<>(first.size() + second.size());
    all.addAll(first);
    all.addAll(second);
    return all;
  }

  /** How many values {@code byKey} holds in all. */
  static long count(Map<String, List<Object>> byKey) {
    long count = 0;
    for (List<Object> values : byKey.values()) {
      count += values.size();
    }
    return count;
  }

  /** The earliest wake-up time of any key, or null when no key wants one. */
  static <T extends Comparable<T>> T earliest(Map<String, T> wakeAt) {
    T earliest = null;
    for (T at : wakeAt.values()) {
      if (earliest == null || at.compareTo(earliest) < 0) {
        earliest = at;
      }
    }
    return earliest;
  }

  /** The keys whose wake-up time is at or before {@code now}, sorted. */
  static <T extends Comparable<T>> TreeSet<String> due(Map<String, T> wakeAt, T now) {
    TreeSet<String> due = new TreeSet<>();
    for (Map.Entry<String, T> entry : wakeAt.entrySet()) {
      if (entry.getValue().compareTo(now) <= 0) {
        due.add(entry.getKey());
      }
    }
    return due;
  }
}
