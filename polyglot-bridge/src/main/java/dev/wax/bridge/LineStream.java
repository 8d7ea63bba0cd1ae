package dev.wax.bridge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes output on a whole line at a time, so lines printed by workers on different threads never
 * mix within a line. Each worker's Context writes to its own LineStream over the shared stream.
 */
final class LineStream extends OutputStream {
  private final OutputStream shared;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  LineStream(OutputStream shared) {
    this.shared = shared;
  }

  @Override
  public void write(int b) throws IOException {
    line.write(b);
    if (b == '\n') {
      passOn();
    }
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    int start = offset;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      if (bytes[i] == '\n') {
        line.write(bytes, start, i + 1 - start);
        passOn();
        start = i + 1;
      }
    }
    line.write(bytes, start, end - start);
  }

  /** A partial line stays until its newline (or until the worker's Context closes). */
  @Override
  public void flush() {}

  @Override
  public void close() throws IOException {
    passOn();
  }

  private void passOn() throws IOException {
    if (line.size() == 0) {
      return;
    }
    synchronized (shared) {
      line.writeTo(shared);
      shared.flush();
    }
    line.reset();
  }
}
