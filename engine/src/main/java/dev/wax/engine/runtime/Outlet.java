package dev.wax.engine.runtime;

import java.util.ArrayList;
import java.util.List;

/** One output port of a step: hands each emitted batch to every step reading the stream. */
public final class Outlet {
  /** A step reading this port, on its input port {@code port}. */
  private record Reader(Inbox inbox, int port) {}

  private final List<Reader> readers = new ArrayList<>();

  void connect(Inbox reader, int port) {
    readers.add(new Reader(reader, port));
  }

  /** Whether any step reads this port; a step may skip building items no one reads. */
  public boolean hasReaders() {
    return !readers.isEmpty();
  }

  public void emit(List<Object> batch) {
    for (Reader reader : readers) {
      reader.inbox().offer(reader.port(), batch);
    }
  }
}
