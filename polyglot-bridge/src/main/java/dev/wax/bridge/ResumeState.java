package dev.wax.bridge;

import java.util.Arrays;

/**
 * Arguments for a Python call that ends with a resume state. Java's {@code null} reaches Python as
 * a foreign null that is not {@code None} ({@code state is None} is false), so an absent state is
 * left out and the callee's parameter falls back to its default, {@code None}.
 */
final class ResumeState {
  private ResumeState() {}

  /** {@code leading} followed by {@code state}, or {@code leading} alone when there is none. */
  static Object[] args(Object state, Object... leading) {
    if (state == null) {
      return leading;
    }
    Object[] all = Arrays.copyOf(leading, leading.length + 1);
    all[leading.length] = state;
    return all;
  }
}
