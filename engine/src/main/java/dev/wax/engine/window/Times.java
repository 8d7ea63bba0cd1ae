package dev.wax.engine.window;

import java.time.Instant;

/**
 * Window time is a {@code long} of microseconds since the Unix epoch, UTC: the resolution of
 * Python's {@code datetime}, so every Bytewax time round-trips exactly. The bounds are Python's
 * {@code datetime.min} and {@code datetime.max} in UTC ({@code UTC_MIN} and {@code UTC_MAX}).
 */
public final class Times {
  /** 0001-01-01T00:00:00Z. */
  public static final long UTC_MIN = -62_135_596_800_000_000L;

  /** 9999-12-31T23:59:59.999999Z. */
  public static final long UTC_MAX = 253_402_300_799_999_999L;

  private Times() {}

  /** {@code t + d} kept within [UTC_MIN, UTC_MAX]. */
  public static long plus(long t, long d) {
    long sum = t + d;
    if (((t ^ sum) & (d ^ sum)) < 0) {
      return d > 0 ? UTC_MAX : UTC_MIN;
    }
    return Math.max(UTC_MIN, Math.min(UTC_MAX, sum));
  }

  /** The microseconds of an instant (sub-microsecond digits are dropped, as in Python). */
  public static long of(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  /** The instant of a time in microseconds. */
  public static Instant toInstant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  /** {@code t - d} kept within [UTC_MIN, UTC_MAX]. */
  public static long minus(long t, long d) {
    return d == Long.MIN_VALUE ? UTC_MAX : plus(t, -d);
  }
}
