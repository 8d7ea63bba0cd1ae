package dev.wax.bridge;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import org.graalvm.polyglot.Value;

/**
 * A Python list seen as a Java list, without copying. When the engine hands such a batch to the
 * next Python function, {@link #toPython} passes the original list object, so a chain of Python
 * steps never converts items.
 */
class PyList extends AbstractList<Object> implements RandomAccess {
  private final Value list;

  PyList(Value list) {
    this.list = list;
  }

  @Override
  public Object get(int index) {
    return list.getArrayElement(index);
  }

  @Override
  public int size() {
    return (int) list.getArraySize();
  }

  @Override
  public boolean isEmpty() {
    return list.getArraySize() == 0;
  }

  /**
   * The argument to give Python for a batch: the original list when it came from Python, else the
   * Java list itself (Python adapters copy foreign lists into real ones).
   */
  static Object toPython(List<Object> batch) {
    return batch instanceof PyList py ? py.list : batch;
  }
}
