package dev.wax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery from the command line: init, resume after EOF, crashes by SIGKILL, errors. */
class RecoveryTest {
  @TempDir Path dir;

  /** Every line the crash-free run of tests/flows/recoverable.py prints, as a set. */
  private static Set<String> expectedSums() {
    Set<String> lines = new TreeSet<>();
    for (String part : List.of("a", "b")) {
      Map<Integer, Integer> sums = new TreeMap<>();
      for (int n = 1; n <= 150; n++) {
        int sum = sums.merge(n % 3, n, Integer::sum);
        lines.add("('" + part + "-" + (n % 3) + "', " + sum + ")");
      }
    }
    return lines;
  }

  /**
   * Epochs last 0.1 s and each partition emits at most one number per 10 ms, so a resumed run
   * repeats at most this many numbers of a partition: those of the epochs after the last
   * completed snapshot (the open one, and one whose snapshot was being written).
   */
  private static final int MAX_REPEATED = 30;

  /**
   * Checks that a resumed run repeats only what came after the last completed snapshot: per
   * partition, at most {@value #MAX_REPEATED} of its lines were printed by earlier runs, and
   * none twice in the run itself. Adds the run's lines to {@code seen}.
   */
  private static void assertRepeatsOnlyTheLastEpochs(Set<String> seen, List<String> run, String which) {
    assertEquals(run.size(), new TreeSet<>(run).size(), which + " printed a line twice: " + run);
    Map<Character, Integer> repeated = new TreeMap<>();
    for (String line : run) {
      if (seen.contains(line)) {
        repeated.merge(line.charAt(2), 1, Integer::sum);
      }
    }
    repeated.forEach(
        (part, count) ->
            assertTrue(count <= MAX_REPEATED, which + " repeated " + count + " lines of partition " + part));
    seen.addAll(run);
  }

  private static List<String> lines(String text) {
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }

  @Test
  void aRunToTheEndThenAgainProcessesNothingTwice() throws Exception {
    Wax.Result init = Wax.interpreted("recovery", "init", dir.toString(), "3");
    assertEquals(0, init.exit(), init.toString());
    Wax.Result first = Wax.interpreted("run", "tests/flows/recoverable.py", "-r", dir.toString(), "-s", "0.2", "-b", "0");
    assertEquals(0, first.exit(), first.toString());
    assertEquals(expectedSums(), new TreeSet<>(lines(first.out())));
    assertEquals(300, lines(first.out()).size());
    // Every partition is at its end: a second run resumes there and has nothing to do.
    Wax.Result second = Wax.interpreted("run", "tests/flows/recoverable.py", "-r", dir.toString(), "-s", "0.2", "-b", "0");
    assertEquals(0, second.exit(), second.toString());
    assertEquals("", second.out());
    Wax.Result inspect = Wax.interpreted("recovery", "inspect", dir.toString());
    assertEquals(0, inspect.exit(), inspect.toString());
    assertTrue(
        inspect.out().matches("partitions=3 resume_epoch=\\d+ snapshots=\\d+ state_bytes=\\d+\n"), inspect.toString());
    assertEquals("", Wax.withoutCacheNote(inspect.err()));
  }

  /**
   * SIGKILL at random moments, ten times on one directory, resuming each time, then a run to the
   * end: every sum of a crash-free run appears, and no other (state is kept exactly once); each
   * run repeats only the numbers after the last completed snapshot.
   */
  @Test
  void killedTenTimesNothingIsLostAndNoStateIsWrong() throws Exception {
    assertEquals(0, Wax.interpreted("recovery", "init", dir.toString(), "2").exit());
    Random random = new Random(7);
    Set<String> seen = new TreeSet<>();
    int printedLines = 0;
    int killed = 0;
    for (int crash = 0; crash < 10; crash++) {
      Path out = Files.createTempFile("wax-out", ".txt");
      Path err = Files.createTempFile("wax-err", ".txt");
      Process run =
          Wax.start(out, err, "run", "tests/flows/recoverable.py", "-r", dir.toString(), "-s", "0.1", "-b", "0");
      boolean ended = run.waitFor(2000 + random.nextInt(3000), TimeUnit.MILLISECONDS);
      if (!ended) {
        killed++;
        run.destroyForcibly();
        assertTrue(run.waitFor(30, TimeUnit.SECONDS));
      }
      String printed = Files.readString(out, StandardCharsets.UTF_8);
      // A kill may cut the last line short.
      List<String> complete = lines(printed.substring(0, printed.lastIndexOf('\n') + 1));
      assertRepeatsOnlyTheLastEpochs(seen, complete, "run " + crash);
      printedLines += complete.size();
      Files.delete(out);
      Files.delete(err);
    }
    Wax.Result last = Wax.interpreted("run", "tests/flows/recoverable.py", "-r", dir.toString(), "-s", "0.1", "-b", "0");
    assertEquals(0, last.exit(), last.toString());
    assertRepeatsOnlyTheLastEpochs(seen, lines(last.out()), "the last run");
    printedLines += lines(last.out()).size();
    assertEquals(expectedSums(), seen, "every sum, and only those");
    assertTrue(printedLines >= 300, "at least once: " + printedLines);
    // A whole run takes ~7 s: most of the ten were killed, before or while processing.
    assertTrue(killed >= 3, "runs killed: " + killed);
  }

  /** Starts {@code wax run tests/flows/recoverable.py} with recovery and {@code extra} options. */
  private Process start(Path out, Path err, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "tests/flows/recoverable.py", "-r", dir.toString(), "-s", "0.1", "-b", "0"));
    args.addAll(List.of(extra));
    return Wax.start(out, err, args.toArray(String[]::new));
  }

  /** The complete lines a (possibly killed) process printed; the files are deleted. */
  private static List<String> printed(Path out, Path err) throws Exception {
    String text = Files.readString(out, StandardCharsets.UTF_8);
    Files.delete(out);
    Files.delete(err);
    return lines(text.substring(0, text.lastIndexOf('\n') + 1));
  }

  /**
   * A run of one process killed partway, then a cluster of two processes on the same directory
   * killed at random moments ten times (SIGKILL, one process a little before the other), then
   * run to the end: every sum of a crash-free run appears, and no other; each run repeats only
   * the numbers after the last completed snapshot.
   */
  @Test
  void aClusterKilledTenTimesLosesNothingAndTakesOverAProcessesState() throws Exception {
    assertEquals(0, Wax.interpreted("recovery", "init", dir.toString(), "3").exit());
    Random random = new Random(11);
    Set<String> seen = new TreeSet<>();
    Path soloOut = Files.createTempFile("wax-out", ".txt");
    Path soloErr = Files.createTempFile("wax-err", ".txt");
    Process solo = start(soloOut, soloErr);
    if (!solo.waitFor(3500, TimeUnit.MILLISECONDS)) {
      solo.destroyForcibly();
    }
    assertTrue(solo.waitFor(30, TimeUnit.SECONDS));
    assertRepeatsOnlyTheLastEpochs(seen, printed(soloOut, soloErr), "the first run");
    for (int crash = 0; crash < 10; crash++) {
      String addresses = Wax.freeAddresses(2);
      Path[] outs = {Files.createTempFile("wax-out", ".txt"), Files.createTempFile("wax-out", ".txt")};
      Path[] errs = {Files.createTempFile("wax-err", ".txt"), Files.createTempFile("wax-err", ".txt")};
      Process[] cluster = {
        start(outs[0], errs[0], "-i", "0", "-a", addresses), start(outs[1], errs[1], "-i", "1", "-a", addresses)
      };
      cluster[1].waitFor(2500 + random.nextInt(3500), TimeUnit.MILLISECONDS);
      cluster[1].destroyForcibly();
      cluster[0].waitFor(random.nextInt(1000), TimeUnit.MILLISECONDS);
      cluster[0].destroyForcibly();
      List<String> run = new ArrayList<>();
      for (int p = 0; p < 2; p++) {
        assertTrue(cluster[p].waitFor(30, TimeUnit.SECONDS));
        run.addAll(printed(outs[p], errs[p]));
      }
      assertRepeatsOnlyTheLastEpochs(seen, run, "cluster run " + crash);
    }
    String addresses = Wax.freeAddresses(2);
    Path[] outs = {Files.createTempFile("wax-out", ".txt"), Files.createTempFile("wax-out", ".txt")};
    Path[] errs = {Files.createTempFile("wax-err", ".txt"), Files.createTempFile("wax-err", ".txt")};
    Process[] cluster = {
      start(outs[0], errs[0], "-i", "0", "-a", addresses, "-w", "2"),
      start(outs[1], errs[1], "-i", "1", "-a", addresses, "-w", "2")
    };
    List<String> last = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      assertTrue(cluster[p].waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, cluster[p].exitValue(), Files.readString(errs[p]));
      last.addAll(printed(outs[p], errs[p]));
    }
    assertRepeatsOnlyTheLastEpochs(seen, last, "the last run");
    assertEquals(expectedSums(), seen, "every sum, and only those");
  }

  /** A process that cannot open its recovery directory stops the others: none waits for it. */
  @Test
  void aProcessThatCannotResumeStopsTheCluster() throws Exception {
    assertEquals(0, Wax.interpreted("recovery", "init", dir.toString(), "2").exit());
    Path missing = dir.resolve("none");
    String message = "recovery directory " + missing + " does not exist; please create it with `mkdir`";
    assertBothStop(
        List.of("-r", missing.toString(), "-s", "0.1", "-b", "0"),
        "FileNotFoundError: " + message,
        "wax: process 1 failed: " + message);
  }

  /**
   * A process run without recovery beside one run with it: the one with recovery sees at once
   * that no state will come, instead of waiting for it, and both stop.
   */
  @Test
  void aProcessRunWithoutRecoveryStopsTheCluster() throws Exception {
    assertEquals(0, Wax.interpreted("recovery", "init", dir.toString(), "2").exit());
    String message =
        "process 1 runs without recovery but process 0 runs with it; run every process with the same"
            + " recovery options (-r, -s, -b)";
    assertBothStop(List.of(), "wax: process 0 failed: " + message, "bytewax.errors.BytewaxRuntimeError: " + message);
  }

  /**
   * Process 0 runs with recovery on {@link #dir}, process 1 with {@code process1Options}: both
   * exit 1, each printing its message. The messages show that neither waited for the other's
   * state, which would end in another message after 120 s; the bound on the wait only catches a
   * hang (a start-up on a loaded machine took 60 s).
   */
  private void assertBothStop(List<String> process1Options, String process1Error, String process0Error)
      throws Exception {
    String addresses = Wax.freeAddresses(2);
    Path[] outs = {Files.createTempFile("wax-out", ".txt"), Files.createTempFile("wax-out", ".txt")};
    Path[] errs = {Files.createTempFile("wax-err", ".txt"), Files.createTempFile("wax-err", ".txt")};
    List<String> process1 = new ArrayList<>(List.of("run", "tests/flows/recoverable.py"));
    process1.addAll(process1Options);
    process1.addAll(List.of("-i", "1", "-a", addresses));
    Process[] cluster = {
      start(outs[0], errs[0], "-i", "0", "-a", addresses), Wax.start(outs[1], errs[1], process1.toArray(String[]::new))
    };
    try {
      for (int p = 0; p < 2; p++) {
        assertTrue(cluster[p].waitFor(300, TimeUnit.SECONDS), "process " + p + " stopped");
        assertEquals(1, cluster[p].exitValue());
      }
    } finally {
      for (Process process : cluster) {
        process.destroyForcibly();
      }
    }
    assertTrue(Files.readString(errs[0]).contains(process0Error), Files.readString(errs[0]));
    assertTrue(Files.readString(errs[1]).contains(process1Error), Files.readString(errs[1]));
    for (int p = 0; p < 2; p++) {
      printed(outs[p], errs[p]);
    }
  }

  /** The Python API's errors are tested in test_recovery.py; these are the command line's. */
  @Test
  void resumingNeedsTheDirectoryAndItsPartitions() throws Exception {
    Wax.Result empty = Wax.interpreted("run", "tests/flows/recoverable.py", "-r", dir.toString(), "-s", "1", "-b", "0");
    assertEquals(1, empty.exit(), empty.toString());
    assertTrue(
        empty.err().contains("bytewax.recovery.NoPartitionsError: No recovery partitions found on any worker; can't resume"),
        empty.toString());
    Wax.Result init = Wax.interpreted("recovery", "init", dir.resolve("none").toString(), "2");
    assertEquals(1, init.exit(), init.toString());
    assertEquals(
        "wax: recovery directory " + dir.resolve("none") + " does not exist; please create it with `mkdir`\n",
        init.err());
  }
}
