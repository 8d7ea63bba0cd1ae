package dev.wax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The warm background process that serves {@code wax run} and {@code wax python}: a command
 * behaves as if it ran in its own JVM (output, errors, exit status, environment, working
 * directory, standard input, Ctrl-C), the next command reuses the process, commands at the same
 * time get a process each, and a killed client's command stops (with its process, if it must).
 */
@Execution(ExecutionMode.SAME_THREAD) // which process serves a command depends on the others
class DaemonTest {
  /** Makes this class's background processes its own: the JVM options name the slots. */
  private static final String TAG = "-Dwax.test.daemon=" + UUID.randomUUID();

  private static Map<String, String> env(String... more) {
    Map<String, String> env = new HashMap<>();
    env.put("WAX_DAEMON", "1");
    env.put("WAX_RUNTIME", "interpreted");
    env.put("WAX_JAVA_OPTS", TAG);
    env.put("WAX_DAEMON_IDLE", "120");
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  private static List<ProcessHandle> daemons() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(TAG) && c.contains("cli.daemon.Daemon ")).orElse(false))
        .toList();
  }

  @AfterAll
  static void stopDaemons() {
    daemons().forEach(ProcessHandle::destroyForcibly);
  }

  private static final String PID = "import os; print(os.getpid())";

  @Test
  void aCommandSeesItsOwnStreamsStatusEnvironmentAndDirectory(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("data.txt"), "from the working directory\n");
    Files.writeString(
        dir.resolve("prog.py"),
        """
        import os, sys
        print(open("data.txt").read().strip())
        print(os.environ["WAX_TEST_VALUE"], sys.argv[1:])
        print("echo:", sys.stdin.read().strip())
        print("to stderr", file=sys.stderr)
        sys.exit(3)
        """);
    ProcessBuilder builder =
        new ProcessBuilder(Wax.ROOT.resolve("bin/wax").toString(), "python", "prog.py", "a b", "c")
            .directory(dir.toFile());
    builder.environment().putAll(env("WAX_TEST_VALUE", "client's own"));
    Process process = builder.start();
    process.getOutputStream().write("typed in\n".getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS));
    assertEquals(3, process.exitValue());
    assertEquals("from the working directory\nclient's own ['a b', 'c']\necho: typed in\n", out);
    assertEquals("to stderr\n", Wax.withoutCacheNote(new String(err.get(), StandardCharsets.UTF_8)));
  }

  /** A local cluster's processes, started by the background process, are the command's too. */
  @Test
  void aLocalClusterRunsWithTheClientsEnvironmentDirectoryAndStreams(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("flow.py"),
        """
        import os
        import bytewax.operators as op
        from bytewax.connectors.stdio import StdOutSink
        from bytewax.dataflow import Dataflow
        from bytewax.testing import TestingSource

        flow = Dataflow("env")
        words = op.input("inp", flow, TestingSource([os.environ["WAX_TEST_VALUE"], open("data.txt").read()]))
        op.output("out", words, StdOutSink())
        """);
    Files.writeString(dir.resolve("data.txt"), "from the working directory");
    ProcessBuilder builder =
        new ProcessBuilder(
                Wax.ROOT.resolve("bin/wax").toString(), "python", "-m", "bytewax.testing", "flow.py", "-p", "1")
            .directory(dir.toFile())
            .redirectError(dir.resolve("err.txt").toFile());
    builder.environment().putAll(env("WAX_TEST_VALUE", "client's own"));
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(240, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), Files.readString(dir.resolve("err.txt")));
    assertEquals("client's own\nfrom the working directory\n", out);
  }

  private static byte[] readAll(java.io.InputStream stream) {
    try {
      return stream.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Like the JVM's own standard output, a closed pipe drops what the command prints. */
  @Test
  void aClosedOutputPipeDropsTheRestAndTheCommandRunsOn() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(Wax.ROOT.resolve("bin/wax").toString(), "python", "-c",
            "import sys\nfor i in range(100000): print(i)\nprint('done', file=sys.stderr)");
    builder.environment().putAll(env());
    Process process = builder.start();
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    java.io.BufferedReader out =
        new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("0", out.readLine());
    out.close();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue());
    assertEquals("done\n", Wax.withoutCacheNote(new String(err.get(), StandardCharsets.UTF_8)));
  }

  @Test
  void theNextCommandReusesTheProcessAndCommandsAtOnceGetOneEach() throws Exception {
    String first = Wax.run(env(), "python", "-c", PID).out();
    String second = Wax.run(env(), "python", "-c", PID).out();
    assertEquals(first, second);

    // Two at once: the first holds its process while the second runs.
    CompletableFuture<Wax.Result> slow =
        CompletableFuture.supplyAsync(() -> run("python", "-c", "import os, time; time.sleep(8); print(os.getpid())"));
    Thread.sleep(3_000);
    String meanwhile = Wax.run(env(), "python", "-c", PID).out();
    Wax.Result slowResult = slow.get(300, TimeUnit.SECONDS);
    assertEquals(0, slowResult.exit(), slowResult.toString());
    assertNotEquals(slowResult.out(), meanwhile);
    assertTrue(List.of(first, meanwhile).contains(slowResult.out()), slowResult.out() + meanwhile);
  }

  @Test
  void ctrlCStopsTheFlowButNotTheProcess(@TempDir Path dir) throws Exception {
    ctrlCStopsTheFlowButNotTheProcess(env(), Wax.run(env(), "python", "-c", PID).out(), dir);
  }

  @Test
  void ctrlCReachesAProcessThatAClientIgnoringItStarted(@TempDir Path dir) throws Exception {
    // As `wax run flow.py &` in a script: a background job inherits SIGINT ignored, and a JVM keeps
    // an ignored signal ignored. The process it starts must still take later clients' Ctrl-C.
    Map<String, String> env = env("WAX_JAVA_OPTS", TAG + " -Dwax.test.ignored=true");
    ProcessBuilder ignoring =
        new ProcessBuilder("bash", "-c", "trap '' INT; exec \"$0\" python -c \"$1\"", Wax.ROOT.resolve("bin/wax").toString(), PID)
            .directory(Wax.ROOT.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    ignoring.environment().putAll(env);
    Process first = ignoring.start();
    String before = new String(first.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(first.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, first.exitValue());
    ctrlCStopsTheFlowButNotTheProcess(env, before, dir);
  }

  @Test
  void aCommandThatIgnoresCtrlCLeavesNoLaterCommandDeafToIt(@TempDir Path dir) throws Exception {
    // A JVM never takes back a signal that was set to be ignored, so that process must not serve
    // another command.
    Map<String, String> env = env("WAX_JAVA_OPTS", TAG + " -Dwax.test.sigign=true");
    Wax.Result ignoring =
        Wax.run(env, "python", "-c", "import os, signal; signal.signal(signal.SIGINT, signal.SIG_IGN); " + PID);
    assertEquals(0, ignoring.exit(), ignoring.toString());
    Wax.Result next = Wax.run(env, "python", "-c", "import signal; print(signal.getsignal(signal.SIGINT)); " + PID);
    assertEquals(0, next.exit(), next.toString());
    String[] lines = next.out().split("\n", 2);
    assertEquals("<built-in function default_int_handler>", lines[0]);
    assertNotEquals(ignoring.out(), lines[1]);
    ctrlCStopsTheFlowButNotTheProcess(env, lines[1], dir);
  }

  /** SIGINT to a client running an endless flow on the process that printed {@code before}. */
  private static void ctrlCStopsTheFlowButNotTheProcess(Map<String, String> env, String before, Path dir)
      throws Exception {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process flow = Wax.start(env, out, err, "run", "tests/flows/endless.py");
    try {
      awaitOutput(flow, out);
      new ProcessBuilder("kill", "-s", "INT", "" + flow.pid()).start().waitFor();
      assertTrue(flow.waitFor(30, TimeUnit.SECONDS), "still running 30 s after SIGINT");
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      assertEquals(130, flow.exitValue(), stderr);
      assertTrue(stderr.endsWith("KeyboardInterrupt\n"), stderr);
    } finally {
      flow.destroyForcibly();
    }
    assertEquals(before, Wax.run(env, "python", "-c", PID).out());
  }

  @Test
  void killingTheClientStopsItsCommandAndTheProcessServesTheNext(@TempDir Path dir) throws Exception {
    // Options of its own give this test slots of its own: a command goes to the lowest idle
    // slot, which must be the one that ran the killed flow.
    Map<String, String> env = env("WAX_JAVA_OPTS", TAG + " -Dwax.test.kill=true");
    String before = Wax.run(env, "python", "-c", PID).out();
    Path out = dir.resolve("out.txt");
    Process flow = Wax.start(env, out, dir.resolve("err.txt"), "run", "tests/flows/endless.py");
    awaitOutput(flow, out);
    flow.destroyForcibly().waitFor();
    // The process has held part of its slot's lock since it took the flow, and keeps it until it
    // has stopped the flow (commands meanwhile go to another process); then it serves the next.
    Path lock = argumentEndingIn(ProcessHandle.of(Long.parseLong(before.strip())).orElseThrow(), ".lock");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!isFree(lock)) {
      assertTrue(System.nanoTime() < deadline, "the killed client's flow still runs after 10 s");
      Thread.sleep(50);
    }
    assertEquals(before, Wax.run(env, "python", "-c", PID).out());
  }

  private static boolean isFree(Path lock) throws java.io.IOException {
    try (java.nio.channels.FileChannel channel =
            java.nio.channels.FileChannel.open(lock, java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock taken = channel.tryLock()) {
      return taken != null;
    }
  }

  private static Path argumentEndingIn(ProcessHandle process, String suffix) {
    return Path.of(
        java.util.Arrays.stream(process.info().arguments().orElseThrow())
            .filter(a -> a.endsWith(suffix))
            .findFirst()
            .orElseThrow());
  }

  @Test
  void aCommandThatWillNotStopEndsItsProcessWhenItsClientIsKilled(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out.txt");
    Process stubborn =
        Wax.start(env(), out, dir.resolve("err.txt"), "python", "-c",
            "import os, signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); print(os.getpid(), flush=True); time.sleep(600)");
    awaitOutput(stubborn, out);
    ProcessHandle daemon = ProcessHandle.of(Long.parseLong(Files.readString(out).strip())).orElseThrow();
    stubborn.destroyForcibly().waitFor();
    daemon.onExit().get(30, TimeUnit.SECONDS);
  }

  private static void awaitOutput(Process process, Path out) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (Files.size(out) == 0) {
      assertTrue(process.isAlive() && System.nanoTime() < deadline, "no output");
      Thread.sleep(50);
    }
  }

  @Test
  void anIdleProcessEndsAndItsDirectoryIsTheUsersAlone() throws Exception {
    // Options of its own give this test a process of its own.
    Map<String, String> env = env("WAX_DAEMON_IDLE", "2", "WAX_JAVA_OPTS", TAG + " -Dwax.test.idle=true");
    String pid = Wax.run(env, "python", "-c", PID).out().strip();
    Path slots = cacheDir().resolve("daemon");
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(slots)));
    ProcessHandle daemon = ProcessHandle.of(Long.parseLong(pid)).orElseThrow();
    Path socket = argumentEndingIn(daemon, ".sock");
    assertEquals(slots, socket.getParent());
    assertTrue(Files.exists(socket));
    Path lock = argumentEndingIn(daemon, ".lock");
    Path log = argumentEndingIn(daemon, ".log");
    assertTrue(Files.exists(lock) && Files.exists(log));
    daemon.onExit().get(30, TimeUnit.SECONDS);
    assertFalse(Files.exists(socket), "the socket outlived its process");
    assertFalse(Files.exists(lock) || Files.exists(log), "the slot's files outlived its process");
  }

  /** Where the launcher keeps its cache, as it decides. */
  private static Path cacheDir() {
    String explicit = System.getenv("WAX_CACHE");
    if (explicit != null && !explicit.isEmpty()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    return (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache")).resolve("wax");
  }

  private static Wax.Result run(String... args) {
    try {
      return Wax.run(env(), args);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
