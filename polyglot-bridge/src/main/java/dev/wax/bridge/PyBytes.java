package dev.wax.bridge;

import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Value;

/** Bytes between Java and a Python Context, the way GraalPy takes them fastest. */
final class PyBytes {
  private PyBytes() {}

  /** A Python {@code bytes} value's contents. */
  static byte[] read(Value bytes) {
    // GraalPy's bulk read only accepts a destination exactly the buffer's size.
    byte[] out = new byte[(int) bytes.getBufferSize()];
    bytes.readBuffer(0, out, 0, out.length);
    return out;
  }

  /**
   * Bytes to hand to Python as a Latin-1 string (one char per byte), which Python turns back
   * with {@code text.encode("latin-1")}: a Java {@code byte[]} is not usable as bytes there.
   */
  static String handOver(byte[] bytes, int offset, int length) {
    return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
  }

  static String handOver(byte[] bytes) {
    return handOver(bytes, 0, bytes.length);
  }
}
