package dev.wax.engine.api;

import dev.wax.engine.io.DynamicSink;
import dev.wax.engine.io.SinkPartition;
import java.io.PrintStream;
import java.util.Collections;
import java.util.List;

/** Ready-made sinks for Java dataflows. */
public final class Sinks {
  private Sinks() {}

  /** Appends every item to {@code into}. */
  @SuppressWarnings("unchecked")
  public static <T> DynamicSink collect(List<T> into) {
    List<Object> target = Collections.synchronizedList((List<Object>) into);
    return (stepId, worker, workers) -> target::addAll;
  }

  /** Prints every item on its own line. */
  public static DynamicSink println(PrintStream out) {
    return (stepId, worker, workers) ->
        (SinkPartition)
            items -> {
              for (Object item : items) {
                out.println(item);
              }
            };
  }

  public static DynamicSink println() {
    return println(System.out);
  }
}
