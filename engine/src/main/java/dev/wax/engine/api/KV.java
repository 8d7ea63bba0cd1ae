package dev.wax.engine.api;

/** A keyed item: what stateful steps of the Java API read and emit. */
public record KV<V>(String key, V value) {
  @Override
  public String toString() {
    return "(" + key + ", " + value + ")";
  }
}
