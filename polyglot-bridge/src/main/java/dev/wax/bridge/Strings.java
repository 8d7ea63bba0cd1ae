package dev.wax.bridge;

import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.Value;

/** Reads a Python list of str (already checked by an adapter) into Java strings. */
final class Strings {
  private Strings() {}

  static List<String> of(Value list) {
    int n = (int) list.getArraySize();
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(list.getArrayElement(i).asString());
    }
    return out;
  }
}
