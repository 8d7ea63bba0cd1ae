package dev.wax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code wax} command line: help, version, usage errors and the runtime the launcher picks. */
class CliTest {
  @Test
  void versionNamesWaxAndBytewaxApi() throws Exception {
    Wax.Result result = Wax.interpreted("--version");
    assertEquals(0, result.exit(), result.toString());
    assertTrue(result.out().startsWith("wax 0.1.0 (Bytewax API 0.21.1, GraalPy 25.0.3)"), result.toString());
  }

  @Test
  void helpListsSubcommands() throws Exception {
    Wax.Result result = Wax.interpreted("--help");
    assertEquals(0, result.exit(), result.toString());
    assertTrue(result.out().contains("run"), result.toString());
    assertTrue(result.out().contains("python"), result.toString());
  }

  @Test
  void benchHelpDescribesBothWorkloadsWithoutWarnings() throws Exception {
    Wax.Result result = Wax.interpreted("bench", "--help");
    assertEquals(0, result.exit(), result.toString());
    assertTrue(result.out().contains("Workload window:"), result.toString());
    assertEquals("", result.err(), result.toString());
  }

  @Test
  void unknownOptionIsAUsageError() throws Exception {
    Wax.Result result = Wax.interpreted("run", "--bogus", "x.py");
    assertEquals(2, result.exit(), result.toString());
    assertTrue(result.err().contains("Unknown option: '--bogus'"), result.toString());
  }

  @Test
  void recoveryWithoutIntervalsIsAUsageError() throws Exception {
    Wax.Result result = Wax.interpreted("run", "examples/collect.py", "-r", "/tmp/db");
    assertEquals(2, result.exit(), result.toString());
    assertTrue(result.err().contains("-s/--snapshot_interval"), result.toString());
  }

  /**
   * {@code -s 0} snapshots after every batch, as Bytewax does: the aborted run's two items are
   * committed, so a run over the same directory starts at the abort (and stops there again).
   */
  @Test
  void zeroAndNegativeSnapshotIntervalsAreAccepted(@TempDir Path tmp) throws Exception {
    Path recovery = Wax.recoveryDir(tmp, 1);
    String[] run = {"run", "tests/flows/abort.py", "-s", "0", "-r", recovery.toString(), "-b", "0"};
    Wax.Result first = Wax.interpreted(run);
    assertEquals(0, first.exit(), first.toString());
    assertEquals("('1', 1)\n('2', 2)\n", first.out());
    Wax.Result second = Wax.interpreted(run);
    assertEquals(0, second.exit(), second.toString());
    assertEquals("", second.out());

    // Bytewax takes a negative interval as one that has always passed.
    Wax.Result negative = Wax.interpreted("run", "tests/flows/abort.py", "-s", "-1");
    assertEquals(0, negative.exit(), negative.toString());
    assertEquals("('1', 1)\n('2', 2)\n", negative.out());
  }

  /** Three workers: the single-partition source sits on the last one, as in Bytewax. */
  @Test
  void workersComeFromTheEnvironmentToo() throws Exception {
    Wax.Result result =
        Wax.run(
            Map.of("WAX_RUNTIME", "interpreted", "BYTEWAX_WORKERS_PER_PROCESS", "3"),
            "run",
            "examples/inspect_debug.py");
    assertEquals(0, result.exit(), result.toString());
    assertEquals(
        List.of(
            "inspect_debug.len W2 @1: 4",
            "inspect_debug.len W2 @1: 5",
            "inspect_debug.raw W2 @1: 'apple'",
            "inspect_debug.raw W2 @1: 'kiwi'"),
        result.out().lines().sorted().toList());
  }

  @Test
  void itemsThatCannotCrossWorkersAreAClearError() throws Exception {
    Wax.Result result = Wax.interpreted("run", "tests/flows/unpicklable_items.py", "-w", "2");
    assertEquals(1, result.exit(), result.toString());
    assertTrue(
        result.err().contains(
            "bytewax.errors.BytewaxRuntimeError: items for step"
                + " \"unpicklable.call.stateful_flat_map.stateful.stateful_batch\" can't be sent to"
                + " another worker"),
        result.toString());
    assertTrue(result.err().contains("AttributeError: Can't pickle local"), result.toString());
    assertFalse(result.err().contains("\tat "), result.toString());
  }

  @Test
  void missingFlowFileIsAClearError() throws Exception {
    Wax.Result result = Wax.interpreted("run", "examples/no_such_flow.py");
    assertEquals(1, result.exit(), result.toString());
    assertTrue(
        result.err().contains("FileNotFoundError: dataflow file `examples/no_such_flow.py` does not exist"),
        result.toString());
  }

  @Test
  void pythonDashMBytewaxRunRunsAFlow() throws Exception {
    Wax.Result result = Wax.interpreted("python", "-m", "bytewax.run", "examples/collect.py");
    assertEquals(0, result.exit(), result.toString());
    assertEquals(
        "('ALL', [0, 1, 2])\n('ALL', [3, 4, 5])\n('ALL', [6, 7, 8])\n('ALL', [9])\n", result.out());
  }

  @Test
  void sysExecutableRunsPythonToo() throws Exception {
    Wax.Result result =
        Wax.interpreted(
            "python",
            "-c",
            "import subprocess, sys; "
                + "print(subprocess.run([sys.executable, '-c', 'print(6 * 7)'], "
                + "capture_output=True, text=True).stdout.strip())");
    assertEquals(0, result.exit(), result.toString());
    assertEquals("42\n", result.out());
  }

  @Test
  void launcherPicksTheOptimizingRuntimeWhenJdk25IsPresent() throws Exception {
    boolean jdk25 =
        java.nio.file.Files.exists(java.nio.file.Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
    Wax.Result result =
        Wax.run(
            Map.of(),
            "python",
            "-c",
            "import bytewax._wax.engine as e; print(e.host().implementation())");
    assertEquals(0, result.exit(), result.toString());
    if (jdk25) {
      assertEquals("GraalVM CE\n", result.out(), result.toString());
      assertEquals("", result.err(), result.toString());
    } else {
      assertEquals("Interpreted\n", result.out(), result.toString());
      assertTrue(result.err().contains("running GraalPy interpreted"), result.toString());
    }
  }
}
