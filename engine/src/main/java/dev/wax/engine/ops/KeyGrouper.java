package dev.wax.engine.ops;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Splits a batch of {@code (key, value)} items by key: calls {@code byKey} once per distinct key,
 * in order of first appearance, with that key's values in arrival order. Rejects items that are
 * not keyed with an error naming the step.
 */
@FunctionalInterface
public interface KeyGrouper {
  void group(List<Object> batch, BiConsumer<String, List<Object>> byKey);
}
