package dev.wax.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wax.engine.window.EventClockSpec;
import dev.wax.engine.window.SessionWindowerSpec;
import dev.wax.engine.window.SlidingWindowerSpec;
import dev.wax.engine.window.WindowMeta;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Window steps end to end on Java functions: results, late items and metadata. */
class WindowTest {
  static final long S = 1_000_000L;

  /** Items are seconds of event time; all keyed "a". */
  private static EventClockSpec secondsClock() {
    return new EventClockSpec(
        values -> values.stream().mapToLong(v -> ((Integer) v) * S).toArray(), 0);
  }

  @Test
  void tumblingCountsLateItemsAndMetadata() {
    List<Object> down = new ArrayList<>();
    List<Object> late = new ArrayList<>();
    List<Object> meta = new ArrayList<>();
    Dataflow flow = new Dataflow("win");
    WindowOut<Integer, Long> out =
        flow.<Integer>input("inp", Sources.of(List.of(0, 4, 12, 3, 15)))
            .keyOn("key", x -> "a")
            .countWindow("count", secondsClock(), SlidingWindowerSpec.tumbling(10 * S, 0));
    out.down().output("down", Sinks.collect(down));
    out.late().output("late", Sinks.collect(late));
    out.meta().output("meta", Sinks.collect(meta));
    flow.run();

    assertEquals(List.of(new KV<>("a", new Windowed<>(0, 2L)), new KV<>("a", new Windowed<>(1, 2L))), down);
    assertEquals(List.of(new KV<>("a", new Windowed<>(0, 3))), late);
    assertEquals(2, meta.size());
    WindowMeta first = (WindowMeta) ((KV<?>) meta.get(0)).value();
    assertEquals(List.of(0L, 0L, 10 * S), List.of(first.id(), first.open(), first.close()));
  }

  /** With a long wait nothing is released before EOF, then items go in timestamp order. */
  @Test
  void orderedSessionsReleaseInTimestampOrderAtEof() {
    List<Object> down = new ArrayList<>();
    Dataflow flow = new Dataflow("sessions");
    flow.<Integer>input("inp", Sources.of(List.of(10, 0, 5, 30)))
        .keyOn("key", x -> "a")
        .countWindow("count", new EventClockSpec(
            values -> values.stream().mapToLong(v -> ((Integer) v) * S).toArray(), 100 * S),
            new SessionWindowerSpec(5 * S))
        .down()
        .output("down", Sinks.collect(down));
    flow.run();
    assertEquals(List.of(new KV<>("a", new Windowed<>(0, 3L)), new KV<>("a", new Windowed<>(1, 1L))), down);
  }
}
