package dev.wax.engine.runtime;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * Values that share one key (or one sink partition): the piece of a batch an {@link Exchange}
 * places on the worker owning the key. It reads as the list of its values.
 */
public final class KeyedBatch extends AbstractList<Object> implements RandomAccess {
  private final String key;
  private final List<Object> values;

  public KeyedBatch(String key, List<Object> values) {
    this.key = key;
    this.values = values;
  }

  public String key() {
    return key;
  }

  public List<Object> values() {
    return values;
  }

  @Override
  public Object get(int index) {
    return values.get(index);
  }

  @Override
  public int size() {
    return values.size();
  }
}
