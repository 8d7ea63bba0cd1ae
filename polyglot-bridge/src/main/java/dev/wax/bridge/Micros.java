package dev.wax.bridge;

import dev.wax.engine.window.Times;
import java.time.Instant;
import org.graalvm.polyglot.Value;

/**
 * Times cross the bridge as integer microseconds since the Unix epoch (the resolution of Python's
 * {@code datetime}); Python adapters do the datetime arithmetic exactly, so nothing is rounded.
 */
final class Micros {
  private Micros() {}

  /** The instant of a Python int of microseconds, or null for None. */
  static Instant toInstant(Value micros) {
    if (micros.isNull()) {
      return null;
    }
    return Times.toInstant(micros.asLong());
  }
}
