package dev.wax.engine.runtime;

import java.util.ArrayList;
import java.util.List;

/** One output port of a step: hands each emitted batch to every step reading the stream. */
public final class Outlet {
  private final List<Inbox> readers = new ArrayList<>();

  void connect(Inbox reader) {
    readers.add(reader);
  }

  /** Whether any step reads this port; a step may skip building items no one reads. */
  public boolean hasReaders() {
    return !readers.isEmpty();
  }

  public void emit(List<Object> batch) {
    for (Inbox reader : readers) {
      reader.offer(batch);
    }
  }
}
