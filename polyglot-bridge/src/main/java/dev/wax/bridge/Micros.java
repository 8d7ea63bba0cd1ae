package dev.wax.bridge;

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
    long us = micros.asLong();
    return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1_000L);
  }
}
