package dev.wax.engine.ops;

import java.util.List;

/** Splits a batch into the items for which a predicate holds and the rest, keeping order. */
@FunctionalInterface
public interface BatchSplitter {
  Split split(List<Object> batch);

  record Split(List<Object> trues, List<Object> falses) {}
}
