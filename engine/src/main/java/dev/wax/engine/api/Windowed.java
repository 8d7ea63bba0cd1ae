package dev.wax.engine.api;

/** A value tagged with the window it belongs to: the value part of window step outputs. */
public record Windowed<V>(long windowId, V value) {
  @Override
  public String toString() {
    return "(" + windowId + ", " + value + ")";
  }
}
