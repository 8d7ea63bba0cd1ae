package dev.wax.engine.recovery;

/**
 * The encoded state of one key of one step at an epoch close; {@code state == null} records that
 * the key was discarded.
 */
public record Snapshot(String stepId, String key, byte[] state) {
  public static Snapshot discarded(String stepId, String key) {
    return new Snapshot(stepId, key, null);
  }
}
