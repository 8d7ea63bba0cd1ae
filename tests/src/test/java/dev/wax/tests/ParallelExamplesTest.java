package dev.wax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wax.bridge.PythonPrograms;
import dev.wax.bridge.PythonRuntime;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every example on several workers inside this JVM (one Python Context per worker, as `wax
 * run -w N` does) and checks its lines against {@code NAME.out} as a multiset: the order of lines
 * from different workers is not defined. Where output names workers, {@code NAME.wN.out} holds
 * what N workers print; an example with a {@code NAME.single_worker} file (saying why) has output
 * that depends on timing once items cross workers.
 */
class ParallelExamplesTest {
  private static PythonRuntime runtime;

  @BeforeAll
  static void startGraalPy() {
    System.setProperty("wax.python.lib", Wax.ROOT.resolve("python-lib/src/main/python").toString());
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
        tests.add(DynamicTest.dynamicTest(name + " -w " + workers, () -> check(flow, name, workers)));
      }
    }
    return tests.stream();
  }

  private static void check(Path flow, String name, int workers) throws Exception {
    Path expected = ExamplesTest.EXAMPLES.resolve(name + ".w" + workers + ".out");
    if (!Files.exists(expected)) {
      expected = ExamplesTest.EXAMPLES.resolve(name + ".out");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = new PythonPrograms(runtime, out, err).runFlow(flow.toString(), 10.0, workers);
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
}
