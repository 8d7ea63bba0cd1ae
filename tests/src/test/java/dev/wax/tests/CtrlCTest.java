package dev.wax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGINT (Ctrl-C, or Bytewax's own test: {@code kill -INT} to the process it started) stops a
 * running flow within seconds, as in Bytewax: {@code KeyboardInterrupt} on stderr, exit status
 * 130, the output so far kept, and no process of a local cluster left running.
 */
class CtrlCTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "python -m bytewax.run tests/flows/endless.py",
        // Only one worker has work: the other's run ends at once, before or while it starts.
        "run tests/flows/one_slow_partition.py -w 2",
        "python -m bytewax.testing tests/flows/endless.py -p 2 -w 2"
      })
  void sigintStopsARunningFlow(String args, @TempDir Path dir) throws Exception {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process flow = Wax.start(out, err, args.split(" "));
    try {
      awaitFirstLine(flow, out, err);
      List<ProcessHandle> cluster = flow.descendants().toList();
      new ProcessBuilder("kill", "-s", "INT", "" + flow.pid()).start().waitFor();
      assertTrue(flow.waitFor(30, TimeUnit.SECONDS), "still running 30 s after SIGINT");
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      assertEquals(130, flow.exitValue(), stderr);
      assertTrue(stderr.contains("KeyboardInterrupt"), stderr);
      assertFalse(Files.readString(out).isEmpty());
      for (ProcessHandle process : cluster) {
        process.onExit().get(30, TimeUnit.SECONDS);
      }
    } finally {
      flow.descendants().forEach(ProcessHandle::destroyForcibly);
      flow.destroyForcibly();
    }
  }

  private static void awaitFirstLine(Process flow, Path out, Path err) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (Files.size(out) == 0) {
      if (!flow.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("no output from the flow; stderr:\n" + Files.readString(err));
      }
      Thread.sleep(50);
    }
  }
}
