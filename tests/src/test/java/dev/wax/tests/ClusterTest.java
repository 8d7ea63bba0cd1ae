package dev.wax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wax.engine.cluster.ClusterConfig;
import dev.wax.engine.cluster.ClusterSecret;
import dev.wax.engine.cluster.Mesh;
import dev.wax.engine.runtime.Execution;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Processes of a cluster on this machine: they form, agree, and share one fate. */
class ClusterTest {
  @Test
  void wordcountOnTwoProcessesOfTwoWorkers() throws Exception {
    Wax.Result result = Wax.interpreted("testing", "examples/wordcount.py", "-p", "2", "-w", "2");
    assertEquals(0, result.exit(), result.toString());
    assertEquals(
        Files.readString(Wax.ROOT.resolve("examples/wordcount.out")).lines().sorted().toList(),
        result.out().lines().sorted().toList());
  }

  @Test
  void pythonTestingModuleAndTestClusterSpawnProcesses() throws Exception {
    Wax.Result module =
        Wax.interpreted("python", "-m", "bytewax.testing", "examples/wordcount.py", "-p", "2");
    assertEquals(0, module.exit(), module.toString());
    assertEquals(
        Files.readString(Wax.ROOT.resolve("examples/wordcount.out")).lines().sorted().toList(),
        module.out().lines().sorted().toList());

    Wax.Result spawned = Wax.interpreted("python", "tests/flows/test_cluster_script.py");
    assertEquals(0, spawned.exit(), spawned.toString());
    assertEquals(
        List.of("('a', 1)", "('b', 3)", "('c', 1)", "all processes done", "resumed after the end: nothing new"),
        spawned.out().lines().sorted().toList());
  }

  @Test
  void aFailingStepStopsEveryProcessAndSaysWhere() throws Exception {
    Wax.Result result = Wax.interpreted("testing", "examples/user_error.py", "-p", "2");
    assertEquals(1, result.exit(), result.toString());
    assertTrue(result.err().contains("ZeroDivisionError: division by zero"), result.toString());
    assertTrue(
        result.err().contains(
            "failed: error calling `mapper` in step \"user_error.invert.flat_map_batch\""),
        result.toString());
    assertFalse(result.err().contains("\tat "), result.toString());
  }

  @Test
  void aSourceAbortingStopsEveryProcessWithoutError() throws Exception {
    Wax.Result result = Wax.interpreted("testing", "tests/flows/abort.py", "-p", "2");
    assertEquals(0, result.exit(), result.toString());
    assertEquals(List.of("('1', 1)", "('2', 2)"), result.out().lines().sorted().toList());
    assertFalse(result.err().contains("Traceback"), result.toString());
    assertFalse(result.err().contains("failed"), result.toString());
  }

  /**
   * Process 1 (`wax run`) has another secret than process 0 (a mesh in this JVM): it stops at
   * once, saying so.
   */
  @Test
  void aProcessWithAnotherSecretStopsClearly() throws Exception {
    String addresses = Wax.freeAddresses(2);
    ClusterConfig zero = ClusterConfig.parse(List.of(addresses.split(";")), 0, Duration.ofSeconds(120),
        ClusterSecret.of("the secret of process 0, 32 chars", "test"));
    CompletableFuture<Execution> first = CompletableFuture.supplyAsync(() -> Mesh.join(zero, 1, 0));
    try {
      Wax.Result second = Wax.interpreted(Map.of("WAX_CLUSTER_SECRET", "another secret, of process 1 ..."),
          "run", "examples/wordcount.py", "-i", "1", "-a", addresses);
      assertEquals(1, second.exit(), second.toString());
      assertEquals("wax: process 1 cannot join process 0 at " + addresses.split(";")[0] + ": that process has"
          + " another cluster secret; WAX_CLUSTER_SECRET (or the file WAX_CLUSTER_SECRET_FILE names) must be the"
          + " same in every process\n", Wax.withoutCacheNote(second.err()));
      assertEquals("", second.out());
      assertFalse(first.isDone(), "process 0 should still wait for a process 1 that knows its secret");
    } finally {
      first.cancel(true);
    }
  }

  /** A cluster reaching beyond this host needs a secret: without one it does not start. */
  @Test
  void withoutASecretAClusterBeyondLoopbackDoesNotStart() throws Exception {
    Wax.Result result =
        Wax.interpreted("run", "examples/wordcount.py", "-i", "1", "-a", "127.0.0.1:7000;192.0.2.1:7001");
    assertEquals(2, result.exit(), result.toString());
    assertEquals("wax: process 1's address 192.0.2.1:7001 is not a loopback address, and no cluster secret is"
        + " set: anyone who reaches the cluster's ports could join it and run code in it. Give every process the"
        + " same secret in WAX_CLUSTER_SECRET (e.g. `export WAX_CLUSTER_SECRET=$(openssl rand -hex 32)`) or in a"
        + " file named by WAX_CLUSTER_SECRET_FILE\n", Wax.withoutCacheNote(result.err()));
  }

  /** SIGKILL one process of a running cluster: the other must stop, non-zero, within 10 s. */
  @Test
  void killingAProcessStopsTheOthersInTime() throws Exception {
    String addresses = Wax.freeAddresses(2);
    Path out0 = Files.createTempFile("wax-p0", ".out");
    Path err0 = Files.createTempFile("wax-p0", ".err");
    Path out1 = Files.createTempFile("wax-p1", ".out");
    Path err1 = Files.createTempFile("wax-p1", ".err");
    Process first = Wax.start(out0, err0, "run", "tests/flows/endless.py", "-i", "0", "-a", addresses);
    Process second = Wax.start(out1, err1, "run", "tests/flows/endless.py", "-i", "1", "-a", addresses);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      while (Files.size(out0) == 0 || Files.size(out1) == 0) {
        assertTrue(System.nanoTime() < deadline, "the cluster never started processing");
        assertTrue(first.isAlive() && second.isAlive(), "a process ended early: " + Files.readString(err0) + Files.readString(err1));
        Thread.sleep(100);
      }

      second.destroyForcibly();
      long killed = System.nanoTime();

      assertTrue(first.waitFor(10, TimeUnit.SECONDS), "process 0 still runs 10 s after process 1 died");
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed);
      String err = Files.readString(err0, StandardCharsets.UTF_8);
      assertNotEquals(0, first.exitValue(), err);
      assertTrue(err.contains("wax: lost process 1 at 127.0.0.1:"), err);
      assertFalse(err.contains("\tat "), err);
      assertTrue(seconds < 10);
    } finally {
      first.destroyForcibly();
      second.destroyForcibly();
      for (Path file : new Path[] {out0, err0, out1, err1}) {
        Files.deleteIfExists(file);
      }
    }
  }

  @Test
  void aProcessThatCannotReachItsPeersGivesUpClearly() throws Exception {
    String addresses = Wax.freeAddresses(2);
    Wax.Result result =
        Wax.run(
            Map.of("WAX_RUNTIME", "interpreted", "WAX_CONNECT_TIMEOUT", "2"),
            "run", "examples/wordcount.py", "-i", "1", "-a", addresses);
    assertEquals(1, result.exit(), result.toString());
    String port = addresses.split(";")[0];
    assertTrue(
        result.err().startsWith("wax: process 1 could not reach process 0 at " + port + " within 2 s: "),
        result.toString());
    assertEquals("", result.out());
  }

  /** As on Bytewax's Kubernetes chart: the pod's name gives the process id, a file the peers. */
  @Test
  void aStatefulSetPodTakesItsIdFromItsNameAndItsPeersFromTheHostFile() throws Exception {
    String addresses = Wax.freeAddresses(2);
    Path hostfile = Files.createTempFile("wax-hosts", ".txt");
    try {
      Files.writeString(hostfile, addresses.replace(";", "\n\n") + "\n");
      Wax.Result result =
          Wax.run(
              Map.of(
                  "WAX_RUNTIME", "interpreted",
                  "WAX_CONNECT_TIMEOUT", "2",
                  "BYTEWAX_POD_NAME", "wax-1",
                  "BYTEWAX_STATEFULSET_NAME", "wax",
                  "BYTEWAX_HOSTFILE_PATH", hostfile.toString()),
              "run", "examples/wordcount.py");
      assertEquals(1, result.exit(), result.toString());
      String port = addresses.split(";")[0];
      assertTrue(
          result.err().contains("wax: process 1 could not reach process 0 at " + port + " within 2 s: "),
          result.toString());
    } finally {
      Files.deleteIfExists(hostfile);
    }
  }
}
