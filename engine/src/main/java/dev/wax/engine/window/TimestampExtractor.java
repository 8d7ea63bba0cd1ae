package dev.wax.engine.window;

import java.util.List;

/** The timestamps (microseconds) of a batch of values, in order. */
@FunctionalInterface
public interface TimestampExtractor {
  long[] timestamps(List<Object> values);
}
