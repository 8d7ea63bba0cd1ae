package dev.wax.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wax.engine.GraphBuilder;
import dev.wax.engine.Step;
import dev.wax.engine.io.DynamicSink;
import dev.wax.engine.io.FixedPartitionedSource;
import dev.wax.engine.io.SinkPartition;
import dev.wax.engine.io.SourcePartition;
import dev.wax.engine.ops.InspectDebugSpec;
import dev.wax.engine.ops.InputSpec;
import dev.wax.engine.ops.OutputSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Epochs and snapshots under a controlled clock. */
class WorkerTest {
  /** A clock that only moves when told to. */
  static final class ManualClock implements InstantSource {
    Instant now = Instant.EPOCH;

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  /** Emits 1..4, one per poll, moving the clock 4 seconds each time; snapshots its position. */
  static FixedPartitionedSource ticking(ManualClock clock, List<String> events) {
    return new FixedPartitionedSource() {
      @Override
      public List<String> listParts() {
        return List.of("only");
      }

      @Override
      public SourcePartition buildPart(String stepId, String partKey, Object resumeState) {
        return new SourcePartition() {
          int next = 1;

          @Override
          public List<Object> nextBatch() {
            if (next > 4) {
              return null;
            }
            clock.advance(Duration.ofSeconds(4));
            return List.of(next++);
          }

          @Override
          public Object snapshot() {
            events.add("source snapshot at " + next);
            return next;
          }
        };
      }
    };
  }

  @Test
  void epochsCloseWhenTheIntervalPassesAndAtTheEnd() {
    ManualClock clock = new ManualClock();
    List<String> events = new ArrayList<>();
    GraphBuilder graph = new GraphBuilder("epochs");
    Step input = graph.add("epochs.inp", new InputSpec(ticking(clock, events)), List.of());
    Step inspect =
        graph.add(
            "epochs.dbg",
            new InspectDebugSpec(
                (batch, epoch, worker) -> batch.forEach(x -> events.add(x + " @" + epoch + " W" + worker))),
            List.of(input.output("down")));
    DynamicSink sink =
        (stepId, worker, count) ->
            new SinkPartition() {
              @Override
              public void writeBatch(List<Object> items) {}

              @Override
              public Object snapshot() {
                events.add("sink snapshot");
                return null;
              }
            };
    graph.add("epochs.out", new OutputSpec(sink, null), List.of(inspect.output("down")));
    RunOptions options =
        RunOptions.defaults().withEpochInterval(Duration.ofSeconds(10)).withClock(clock);

    new Worker(graph.build(), options).run();

    assertEquals(
        List.of(
            "1 @1 W0",
            "2 @1 W0",
            "3 @1 W0",
            "source snapshot at 4",
            "4 @2 W0",
            // The partition's state at its end, kept so a resumed run continues after it; a
            // dynamic sink's partitions keep no state, as in Bytewax.
            "source snapshot at 5"),
        events);
  }

  @Test
  void closedWindowsLeaveNoKeyStateBehindBeforeEof() {
    ManualClock clock = new ManualClock();
    List<Long> liveKeysAtEpochClose = new ArrayList<>();
    FixedPartitionedSource source =
        new FixedPartitionedSource() {
          @Override
          public List<String> listParts() {
            return List.of("only");
          }

          @Override
          public SourcePartition buildPart(String stepId, String partKey, Object resumeState) {
            return new SourcePartition() {
              int polls;

              @Override
              public List<Object> nextBatch() {
                polls++;
                if (polls == 1) {
                  List<Object> oneItemPerKey = new ArrayList<>();
                  for (int key = 0; key < 100; key++) {
                    oneItemPerKey.add(key);
                  }
                  return oneItemPerKey;
                }
                clock.advance(Duration.ofSeconds(1));
                return polls < 6 ? List.of() : null;
              }
            };
          }
        };
    dev.wax.engine.api.Dataflow flow = new dev.wax.engine.api.Dataflow("sessions");
    flow.<Integer>input("inp", source)
        .keyOn("key", x -> "k" + x)
        .countWindow(
            "count",
            new dev.wax.engine.window.EventClockSpec(values -> new long[values.size()], 0),
            new dev.wax.engine.window.SlidingWindowerSpec(2_000_000L, 2_000_000L, 0))
        .down()
        .output("out", dev.wax.engine.api.Sinks.collect(new ArrayList<>()));
    flow.run(
        RunOptions.defaults()
            .withClock(clock)
            .withEpochInterval(Duration.ofSeconds(1))
            .withEpochListener((epoch, liveKeys) -> liveKeysAtEpochClose.add(liveKeys)));

    assertEquals(100L, liveKeysAtEpochClose.get(0));
    // Windows close on the watermark's own schedule, well before the input ends.
    assertEquals(0L, liveKeysAtEpochClose.get(liveKeysAtEpochClose.size() - 2));
  }

  @Test
  void singlePartitionGoesToTheLastWorker() {
    assertEquals(List.of(), PartitionAssignment.partsOf(List.of("a"), 0, 3));
    assertEquals(List.of("a"), PartitionAssignment.partsOf(List.of("a"), 2, 3));
    assertEquals(List.of("a", "d"), PartitionAssignment.partsOf(List.of("a", "b", "c", "d"), 2, 3));
    assertEquals(
        List.of(2, 1, 0, 2),
        List.copyOf(PartitionAssignment.owners(List.of("a", "b", "c", "d"), 3).values()));
  }
}
