package dev.wax.engine.ops;

import java.util.List;

/** Turns one batch of items into zero or more items: the function of a flat_map_batch step. */
@FunctionalInterface
public interface BatchMapper {
  List<Object> apply(List<Object> batch);
}
