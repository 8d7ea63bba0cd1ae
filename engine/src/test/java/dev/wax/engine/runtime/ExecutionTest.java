package dev.wax.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wax.engine.Graph;
import dev.wax.engine.GraphBuilder;
import dev.wax.engine.Step;
import dev.wax.engine.ops.InputSpec;
import dev.wax.engine.ops.InspectDebugSpec;
import dev.wax.engine.ops.KeyGrouper;
import dev.wax.engine.ops.LogicBuilder;
import dev.wax.engine.ops.OutputSpec;
import dev.wax.engine.ops.StatefulBatchSpec;
import dev.wax.engine.ops.StatefulLogic;
import dev.wax.engine.UsageException;
import dev.wax.engine.UserCodeException;
import dev.wax.engine.api.Dataflow;
import dev.wax.engine.api.KV;
import dev.wax.engine.api.Sinks;
import dev.wax.engine.api.Sources;
import dev.wax.engine.io.DynamicSink;
import dev.wax.engine.io.SinkPartition;
import dev.wax.engine.io.FixedPartitionedSource;
import dev.wax.engine.io.SourcePartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Several workers: keys meet on one owner, epochs end together, one failure stops all. */
class ExecutionTest {
  private static final int PARTS = 4;
  private static final int PER_PART = 2_500;

  /** {@value #PARTS} partitions, partition p emitting p, p + PARTS, ... in batches of 100. */
  static FixedPartitionedSource numbers(Consumer<Integer> onPoll) {
    return new FixedPartitionedSource() {
      @Override
      public List<String> listParts() {
        List<String> parts = new ArrayList<>();
        for (int p = 0; p < PARTS; p++) {
          parts.add("p" + p);
        }
        return parts;
      }

      @Override
      public SourcePartition buildPart(String stepId, String partKey, Object resumeState) {
        int part = Integer.parseInt(partKey.substring(1));
        return new SourcePartition() {
          int next;

          @Override
          public List<Object> nextBatch() {
            if (next >= PER_PART) {
              return null;
            }
            List<Object> batch = new ArrayList<>();
            for (int end = next + 100; next < end; next++) {
              batch.add(next * PARTS + part);
            }
            onPoll.accept(part);
            return batch;
          }
        };
      }
    };
  }

  /** Counts numbers by their remainder mod 37, recording which thread saw each key. */
  static Dataflow countByRemainder(List<Object> out, Map<String, String> threadOfKey) {
    Dataflow flow = new Dataflow("mod");
    flow.<Integer>input("inp", numbers(part -> {}))
        .keyOn("key", x -> "r" + (x % 37))
        .<Long, Long>statefulMap(
            "count",
            (count, x) -> {
              long next = (count == null ? 0 : count) + 1;
              return Map.entry(next, next);
            })
        .inspect(
            "who",
            kv -> threadOfKey.merge(kv.key(), Thread.currentThread().getName(), (a, b) -> a.equals(b) ? a : a + "," + b))
        .countFinal("final", kv -> kv.key())
        .output("out", Sinks.collect(out));
    return flow;
  }

  static Map<String, Long> expectedCounts() {
    Map<String, Long> counts = new TreeMap<>();
    for (int x = 0; x < PARTS * PER_PART; x++) {
      counts.merge("r" + (x % 37), 1L, Long::sum);
    }
    return counts;
  }

  static Map<String, Long> asMap(List<Object> out) {
    Map<String, Long> counts = new TreeMap<>();
    for (Object item : out) {
      @SuppressWarnings("unchecked")
      KV<Long> kv = (KV<Long>) item;
      assertEquals(null, counts.put(kv.key(), kv.value()), "key emitted twice: " + kv.key());
    }
    return counts;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void threadedWorkersCountEachKeyOnItsOwner(int workers) {
    List<Object> out = Collections.synchronizedList(new ArrayList<>());
    Map<String, String> threadOfKey = new ConcurrentHashMap<>();
    Dataflow flow = countByRemainder(out, threadOfKey);

    assertTimeoutPreemptively(
        Duration.ofSeconds(30), () -> flow.run(RunOptions.defaults().withWorkers(workers)));

    assertEquals(expectedCounts(), asMap(out));
    if (workers > 1) {
      for (Map.Entry<String, String> entry : threadOfKey.entrySet()) {
        int owner = Exchange.ownerOf(entry.getKey(), workers);
        assertEquals("wax-worker-" + owner, entry.getValue(), "thread of key " + entry.getKey());
      }
    }
    assertEquals(workers, threadOfKey.values().stream().distinct().count());
  }

  @Test
  void cooperativeWorkersShareOneThread() {
    List<Object> out = new ArrayList<>();
    Map<String, String> threadOfKey = new ConcurrentHashMap<>();
    Graph graph = countByRemainder(out, threadOfKey).graph();

    new Execution(3).runCooperatively(graph, RunOptions.defaults().withWorkers(3), BatchCodec.SHARED);

    assertEquals(expectedCounts(), asMap(out));
    assertEquals(
        List.of(Thread.currentThread().getName()), threadOfKey.values().stream().distinct().toList());
  }

  /**
   * Each snapshot of a key's running count, taken when an epoch closes, counts exactly the items
   * of that key emitted in that epoch or before, although the items come from several workers.
   */
  @Test
  void snapshotsHoldExactlyTheItemsOfTheirEpochAcrossWorkers() {
    WorkerTest.ManualClock clock = new WorkerTest.ManualClock();
    // Cooperative workers share this thread: the log's order is the order things happened.
    List<String> log = new ArrayList<>();
    GraphBuilder graph = new GraphBuilder("epochs");
    Step input = graph.add("epochs.inp", new InputSpec(numbers(part -> clock.advance(Duration.ofMillis(300)))), List.of());
    Step emitted =
        graph.add(
            "epochs.emitted",
            new InspectDebugSpec((batch, epoch, worker) -> batch.forEach(x -> log.add("item " + x + " " + epoch))),
            List.of(input.output("down")));
    KeyGrouper byRemainder =
        (batch, byKey) -> {
          Map<String, List<Object>> groups = new TreeMap<>();
          batch.forEach(x -> groups.computeIfAbsent("r" + ((Integer) x % 5), k -> new ArrayList<>()).add(x));
          groups.forEach(byKey);
        };
    LogicBuilder counter =
        (key, resume) ->
            new StatefulLogic() {
              long count;

              @Override
              public Emit onBatch(List<Object> values) {
                count += values.size();
                return new Emit(List.of(), false);
              }

              @Override
              public Object snapshot() {
                log.add("snapshot " + key + " " + count);
                return count;
              }
            };
    Step count =
        graph.add(
            "epochs.count", new StatefulBatchSpec(byRemainder, counter), List.of(emitted.output("down")));
    graph.add("epochs.out", new OutputSpec(Sinks.collect(new ArrayList<>()), null), List.of(count.output("down")));
    RunOptions options =
        RunOptions.defaults()
            .withWorkers(3)
            .withClock(clock)
            .withEpochInterval(Duration.ofSeconds(2))
            .withEpochListener((epoch, liveKeys) -> log.add("closed " + epoch));

    new Execution(3).runCooperatively(graph.build(), options, BatchCodec.SHARED);

    Map<Long, Map<String, Long>> emittedByEpochEnd = new TreeMap<>();
    List<String[]> snapshots = new ArrayList<>();
    int checked = 0;
    for (String line : log) {
      String[] words = line.split(" ");
      switch (words[0]) {
        case "item" -> {
          // Every item of an epoch is logged before any worker closes that epoch.
          long epoch = Long.parseLong(words[2]);
          emittedByEpochEnd.computeIfAbsent(epoch, k -> new TreeMap<>()).merge("r" + (Integer.parseInt(words[1]) % 5), 1L, Long::sum);
        }
        case "snapshot" -> snapshots.add(words);
        default -> {
          long epoch = Long.parseLong(words[1]);
          for (String[] snapshot : snapshots) {
            long upTo = 0;
            for (long e = 1; e <= epoch; e++) {
              upTo += emittedByEpochEnd.getOrDefault(e, Map.of()).getOrDefault(snapshot[1], 0L);
            }
            assertEquals(upTo, Long.parseLong(snapshot[2]), "snapshot of " + snapshot[1] + " at epoch " + epoch);
            checked++;
          }
          snapshots.clear();
        }
      }
    }
    assertTrue(checked > 20, "expected snapshots over several epochs, checked " + checked);
    assertEquals(PARTS * PER_PART, log.stream().filter(l -> l.startsWith("item ")).count());
  }

  /**
   * Worker 1 reads the only partition quickly; every key belongs to worker 0, whose sink takes
   * 2 us per item. Items waiting between the two stay bounded: the source waits for the sink.
   */
  @Test
  void aSlowSinkHoldsBackTheSourceOnAnotherWorker() {
    int total = 1_500_000;
    List<String> keysOfWorker0 = new ArrayList<>();
    for (int k = 0; keysOfWorker0.size() < 8; k++) {
      if (Exchange.ownerOf("k" + k, 2) == 0) {
        keysOfWorker0.add("k" + k);
      }
    }
    AtomicLong emitted = new AtomicLong();
    AtomicLong written = new AtomicLong();
    AtomicLong mostWaiting = new AtomicLong();
    List<Integer> numbers = IntStream.range(0, total).boxed().toList();
    Dataflow flow = new Dataflow("slow");
    flow.<Integer>input("inp", Sources.of(numbers, 1_000))
        .inspect("count", x -> mostWaiting.accumulateAndGet(emitted.incrementAndGet() - written.get(), Math::max))
        .keyOn("key", x -> keysOfWorker0.get(x % keysOfWorker0.size()))
        .<Long, Integer>statefulMap("pass", (state, x) -> Map.entry(0L, x))
        .output(
            "out",
            (DynamicSink)
                (stepId, worker, count) ->
                    new SinkPartition() {
                  @Override
                  public void writeBatch(List<Object> items) {
                    LockSupport.parkNanos(2_000L * items.size());
                    written.addAndGet(items.size());
                  }
                });

    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> flow.run(RunOptions.defaults().withWorkers(2)));

    assertEquals(total, written.get());
    // At most a full queue, plus what the receiver took from it and still writes (its sink is
    // written once per round), plus a few batches; without the pause it is about 1.2 million.
    assertTrue(
        mostWaiting.get() < 3 * Execution.MAX_IN_FLIGHT_ITEMS,
        "items waiting for the sink grew to " + mostWaiting.get());
  }

  @Test
  void oneFailingWorkerStopsAllWithItsError() {
    Dataflow flow = new Dataflow("fails");
    flow.<Integer>input("inp", numbers(part -> {}))
        .keyOn("key", x -> "k" + (x % 10))
        .<Long, Long>statefulMap(
            "boom",
            (count, x) -> {
              if (x == 5_000) {
                throw new IllegalStateException("item 5000 is bad");
              }
              return Map.entry(0L, 0L);
            })
        .output("out", Sinks.collect(Collections.synchronizedList(new ArrayList<>())));

    UserCodeException error =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () -> assertThrows(UserCodeException.class, () -> flow.run(RunOptions.defaults().withWorkers(2))));
    assertInstanceOf(IllegalStateException.class, error.getCause());
    assertEquals("item 5000 is bad", error.getCause().getMessage());
  }

  @Test
  void workersMustBuildTheSameGraph() {
    Execution execution = new Execution(2);
    List<Object> out = new ArrayList<>();
    execution.checkSameGraph(0, countByRemainder(out, new ConcurrentHashMap<>()).graph());
    Dataflow other = new Dataflow("mod");
    other.<Integer>input("inp", numbers(part -> {})).output("out", Sinks.collect(out));

    UsageException error =
        assertThrows(UsageException.class, () -> execution.checkSameGraph(1, other.graph()));

    assertEquals(
        "worker 1 built a different dataflow than worker 0: step 2 is mod.out (OutputSpec) reading"
            + " [mod.inp.down] there but mod.key (FlatMapBatchSpec) reading"
            + " [mod.inp.down] on worker 0; a dataflow must be built the same way on every worker",
        error.getMessage());
  }

  @Test
  void ownersAreStableAndSpread() {
    assertEquals(0, Exchange.ownerOf("anything", 1));
    int[] perWorker = new int[3];
    for (int k = 0; k < 3000; k++) {
      perWorker[Exchange.ownerOf("key" + k, 3)]++;
    }
    for (int count : perWorker) {
      assertTrue(count > 800 && count < 1200, "uneven spread " + Arrays.toString(perWorker));
    }
    assertEquals(Exchange.ownerOf("apple", 4), Exchange.ownerOf(new String("apple"), 4));
  }
}
