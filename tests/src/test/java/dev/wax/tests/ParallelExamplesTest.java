package dev.wax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wax.bridge.PythonPrograms;
import dev.wax.bridge.PythonRuntime;
import dev.wax.engine.cluster.ClusterConfig;
import dev.wax.engine.cluster.ClusterSecret;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every example on several workers inside this JVM (one Python Context per worker, as `wax
 * run -w N` does), and as a cluster of two processes (two runs in this JVM connected over
 * loopback TCP, as `wax run -i/-a` does), and checks its lines against {@code NAME.out} as a
 * multiset: the order of lines from different workers is not defined. Where output names workers, {@code NAME.wN.out} holds
 * what N workers print; an example with a {@code NAME.single_worker} file (saying why) has output
 * that depends on timing once items cross workers.
 */
class ParallelExamplesTest {
  private static PythonRuntime runtime;

  @BeforeAll
  static void startGraalPy() {
    System.setProperty(
        "wax.python.lib",
        Wax.ROOT.resolve("python-lib/src/main/python") + java.io.File.pathSeparator + Wax.ROOT.resolve("python-lib/target/python-packages"));
    runtime = PythonRuntime.start();
  }

  @AfterAll
  static void stopGraalPy() {
    runtime.close();
  }

  @TestFactory
  Stream<DynamicTest> everyExampleGivesTheSameLinesOnSeveralWorkers() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path flow : ExamplesTest.flows()) {
      String name = flow.getFileName().toString().replaceFirst("\\.py$", "");
      if (Files.exists(ExamplesTest.EXAMPLES.resolve(name + ".single_worker"))) {
        continue;
      }
      for (int workers : new int[] {2, 3}) {
        tests.add(DynamicTest.dynamicTest(name + " -w " + workers, () -> check(flow, name, 1, workers)));
      }
      for (int workers : new int[] {1, 2}) {
        tests.add(
            DynamicTest.dynamicTest(
                name + " 2 processes -w " + workers, () -> check(flow, name, 2, workers)));
      }
    }
    return tests.stream();
  }

  private static void check(Path flow, String name, int processes, int workers) throws Exception {
    Path expected = ExamplesTest.EXAMPLES.resolve(name + ".w" + processes * workers + ".out");
    if (!Files.exists(expected)) {
      expected = ExamplesTest.EXAMPLES.resolve(name + ".out");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    if (processes == 1) {
      exit = new PythonPrograms(runtime, out, err).runFlow(flow.toString(), 10.0, workers);
    } else {
      exit = runCluster(flow, processes, workers, out, err);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    String report = "exit " + exit + "\n--- stdout\n" + printed + "--- stderr\n" + err.toString(StandardCharsets.UTF_8);
    assertEquals(ExamplesTest.expectedExit(name), exit, report);
    assertEquals(
        Files.readString(expected).lines().sorted().toList(), printed.lines().sorted().toList(), report);
    // Log lines go to this JVM's stderr, not the flow's: only check the errors a failing flow prints.
    Path errFile = ExamplesTest.EXAMPLES.resolve(name + ".err_contains");
    if (exit != 0 && Files.exists(errFile)) {
      for (String line : Files.readAllLines(errFile)) {
        assertTrue(line.isBlank() || err.toString(StandardCharsets.UTF_8).contains(line), "stderr lacks: " + line + "\n" + report);
      }
    }
  }

  /** Runs each process of a loopback cluster on its own thread; the worst exit status wins. */
  private static int runCluster(
      Path flow, int processes, int workers, ByteArrayOutputStream out, ByteArrayOutputStream err)
      throws Exception {
    List<String> addresses = List.of(Wax.freeAddresses(processes).split(";"));
    int[] exits = new int[processes];
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      int id = p;
      ClusterConfig cluster = ClusterConfig.parse(addresses, id, Duration.ofSeconds(30), ClusterSecret.NONE);
      Thread thread =
          new Thread(
              () -> exits[id] = new PythonPrograms(runtime, out, err).runFlow(flow.toString(), 10.0, workers, cluster));
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join(TimeUnit.MINUTES.toMillis(2));
      assertFalse(thread.isAlive(), "a process of the cluster did not finish");
    }
    return Arrays.stream(exits).max().orElseThrow();
  }
}
