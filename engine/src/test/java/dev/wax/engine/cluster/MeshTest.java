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
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Two processes (threads here) of one cluster, connected over loopback TCP. */
class MeshTest {
  private static final int RUNS = 60;
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

  /**
   * A program that runs many short dataflows in turn: each run forms its own mesh, and the
   * process that is ready first sends its items at once, possibly before the other process has
   * seen the end of the handshake. Every run must count every item, and none may hang.
   */
  @Test
  void shortRunsInARowEachCountEveryItem() throws Exception {
    List<String> addresses = List.of("127.0.0.1:" + freePort(), "127.0.0.1:" + freePort());
    List<List<Object>> outputs = new ArrayList<>();
    for (int run = 0; run < RUNS; run++) {
      outputs.add(Collections.synchronizedList(new ArrayList<>()));
    }
    List<Thread> processes = new ArrayList<>();
    List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    for (int id = 0; id < 2; id++) {
      ClusterConfig config = ClusterConfig.parse(addresses, id, Duration.ofSeconds(20));
      Thread process =
          new Thread(
              () -> {
                try {
                  for (int run = 0; run < RUNS; run++) {
                    Execution execution = Mesh.join(config, 1, run);
                    execution.runWorker(
                        config.processId(), countParity(outputs.get(run)).graph(), RunOptions.defaults(), SERIALIZED);
                    execution.finish();
                  }
                } catch (Throwable e) {
                  errors.add(e);
                }
              });
      processes.add(process);
      process.start();
    }

    assertTimeoutPreemptively(
        Duration.ofSeconds(120),
        () -> {
          for (Thread process : processes) {
            process.join();
          }
        });

    assertEquals(List.of(), errors);
    for (int run = 0; run < RUNS; run++) {
      Map<String, Long> counts = new TreeMap<>();
      for (Object item : outputs.get(run)) {
        @SuppressWarnings("unchecked")
        KV<Long> kv = (KV<Long>) item;
        counts.put(kv.key(), kv.value());
      }
      assertEquals(Map.of("even", (long) ITEMS / 2, "odd", (long) ITEMS / 2), counts, "run " + run);
    }
  }

  private static Dataflow countParity(List<Object> out) {
    Dataflow flow = new Dataflow("parity");
    flow.<Integer>input("inp", Sources.of(IntStream.range(0, ITEMS).boxed().toList(), 50))
        .countFinal("count", x -> x % 2 == 0 ? "even" : "odd")
        .output("out", Sinks.collect(out));
    return flow;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
