package dev.wax.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.wax.engine.api.Dataflow;
import dev.wax.engine.api.KV;
import dev.wax.engine.api.Sinks;
import dev.wax.engine.api.Sources;
import dev.wax.engine.runtime.BatchCodec;
import dev.wax.engine.runtime.Execution;
import dev.wax.engine.runtime.RunOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Two processes of one cluster (threads here, over loopback TCP) running many short dataflows in
 * turn on the same two ports, as a program calling {@code cluster_main} in a loop does: each run
 * forms its own mesh while the previous run's may still be closing. Each run counts the parity of
 * 1,000 numbers; {@link #assertEveryRunCountedEveryItem()} checks every run's output.
 */
final class RunsInARow {
  private static final int ITEMS = 1_000;

  /** Pieces as Java serialization, as bytes must be between processes. */
  private static final BatchCodec SERIALIZED =
      new BatchCodec() {
        @Override
        public Object encode(String stepId, List<List<Object>> pieces) {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new ArrayList<>(pieces));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return bytes.toByteArray();
        }

        @SuppressWarnings("unchecked")
        @Override
        public List<List<Object>> decode(Object payload) {
          try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream((byte[]) payload))) {
            return (List<List<Object>>) in.readObject();
          } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
          }
        }
      };

  private final int runs;
  private final ClusterSecret secret;
  private final List<String> addresses;
  private final List<List<Object>> outputs = new ArrayList<>();
  /** For each process, how long each run took to form its mesh. */
  private final Duration[][] joinTimes;
  private final List<Thread> processes = new ArrayList<>();
  private final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());

  RunsInARow(int runs, ClusterSecret secret) throws IOException {
    this.runs = runs;
    this.secret = secret;
    this.addresses = List.of("127.0.0.1:" + ProcessZero.freePort(), "127.0.0.1:" + ProcessZero.freePort());
    this.joinTimes = new Duration[2][runs];
    for (int run = 0; run < runs; run++) {
      outputs.add(Collections.synchronizedList(new ArrayList<>()));
    }
  }

  /** Runs {@code runs} dataflows in a row on two processes; fails on any error or a hang. */
  static RunsInARow run(int runs, Duration timeout) throws Exception {
    RunsInARow series = new RunsInARow(runs, ClusterSecret.NONE);
    series.start();
    series.awaitEnd(timeout);
    return series;
  }

  /** The port process {@code process} listens on. */
  int port(int process) {
    String address = addresses.get(process);
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  /** Starts both processes' series of runs. */
  void start() {
    for (int id = 0; id < 2; id++) {
      ClusterConfig config = ClusterConfig.parse(addresses, id, Duration.ofSeconds(20), secret);
      Thread process = new Thread(() -> runAll(config, errors), "process-" + id);
      processes.add(process);
      process.start();
    }
  }

  boolean running() {
    return processes.stream().anyMatch(Thread::isAlive);
  }

  /** Waits for both processes to end their runs; fails on any error or a hang. */
  void awaitEnd(Duration timeout) {
    assertTimeoutPreemptively(
        timeout,
        () -> {
          for (Thread process : processes) {
            process.join();
          }
        });
    assertEquals(List.of(), errors);
  }

  private void runAll(ClusterConfig config, List<Throwable> errors) {
    int id = config.processId();
    try {
      for (int run = 0; run < runs; run++) {
        long start = System.nanoTime();
        Execution execution = Mesh.join(config, 1, run);
        joinTimes[id][run] = Duration.ofNanos(System.nanoTime() - start);
        execution.runWorker(id, countParity(outputs.get(run)).graph(), RunOptions.defaults(), SERIALIZED);
        execution.finish();
      }
    } catch (Throwable e) {
      errors.add(e);
    }
  }

  void assertEveryRunCountedEveryItem() {
    for (int run = 0; run < runs; run++) {
      Map<String, Long> counts = new TreeMap<>();
      for (Object item : outputs.get(run)) {
        @SuppressWarnings("unchecked")
        KV<Long> kv = (KV<Long>) item;
        counts.put(kv.key(), kv.value());
      }
      assertEquals(Map.of("even", (long) ITEMS / 2, "odd", (long) ITEMS / 2), counts, "run " + run);
    }
  }

  /** How long process {@code process} took to form the mesh of each run. */
  List<Duration> joinTimes(int process) {
    return List.of(joinTimes[process]);
  }

  private static Dataflow countParity(List<Object> out) {
    Dataflow flow = new Dataflow("parity");
    flow.<Integer>input("inp", Sources.of(IntStream.range(0, ITEMS).boxed().toList(), 50))
        .countFinal("count", x -> x % 2 == 0 ? "even" : "odd")
        .output("out", Sinks.collect(out));
    return flow;
  }
}
