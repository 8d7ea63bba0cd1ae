package dev.wax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@code examples/NAME.py} through the launcher and compares its standard output with
 * {@code NAME.out} exactly. {@code NAME.exit} holds an expected non-zero exit status and {@code
 * NAME.err_contains} lines that must appear on standard error.
 * {@link ParallelExamplesTest} runs them again on several workers.
 */
class ExamplesTest {
  static final Path EXAMPLES = Wax.ROOT.resolve("examples");

  /**
   * The examples run as users run them, through a warm background process (interpreted, with
   * JVM options of this class's own, so its process is no other test's).
   */
  private static final String TAG = "-Dwax.test.examples=" + UUID.randomUUID();

  private static final Map<String, String> BACKGROUND =
      Map.of("WAX_DAEMON", "1", "WAX_RUNTIME", "interpreted", "WAX_JAVA_OPTS", TAG, "WAX_DAEMON_IDLE", "120");

  @AfterAll
  static void stopBackgroundProcess() {
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(TAG)).orElse(false))
        .forEach(ProcessHandle::destroyForcibly);
  }

  @TestFactory
  Stream<DynamicTest> everyExamplePrintsItsExpectedOutput() throws IOException {
    List<Path> flows = flows();
    assertTrue(flows.size() >= 12, "expected at least 12 examples, found " + flows.size());
    return flows.stream().map(flow -> DynamicTest.dynamicTest(flow.getFileName().toString(), () -> check(flow)));
  }

  /** The example flows, sorted by name. */
  static List<Path> flows() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(p -> p.toString().endsWith(".py")).sorted().toList();
    }
  }

  /** The exit status an example must end with. */
  static int expectedExit(String name) throws IOException {
    Path exitFile = EXAMPLES.resolve(name + ".exit");
    return Files.exists(exitFile) ? Integer.parseInt(Files.readString(exitFile).trim()) : 0;
  }

  private static void check(Path flow) throws Exception {
    String name = flow.getFileName().toString().replaceFirst("\\.py$", "");
    Path expected = EXAMPLES.resolve(name + ".out");
    assertTrue(Files.exists(expected), "missing " + expected);
    Wax.Result result = Wax.run(BACKGROUND, "run", "examples/" + name + ".py");
    assertEquals(expectedExit(name), result.exit(), result.toString());
    assertEquals(Files.readString(expected), result.out(), result.toString());
    Path errFile = EXAMPLES.resolve(name + ".err_contains");
    if (Files.exists(errFile)) {
      for (String line : Files.readAllLines(errFile)) {
        if (!line.isBlank()) {
          assertTrue(result.err().contains(line), "stderr lacks: " + line + "\n" + result);
        }
      }
    }
    assertFalse(result.err().contains("\tat "), "a Java stack trace reached the user:\n" + result);
  }
}
