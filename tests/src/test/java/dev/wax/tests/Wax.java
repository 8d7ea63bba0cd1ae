package dev.wax.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code bin/wax} launcher in a child process and captures what it printed. Each
 * command runs in its own JVM (WAX_DAEMON=0) unless a test asks for the background process.
 */
final class Wax {
  static final Path ROOT = findRoot();
  private static final long TIMEOUT_SECONDS = 300;

  /**
   * Cluster processes started by tests wait this long for each other: tests run side by side on
   * a busy machine, and a process's first start may record the launcher's start-up cache.
   */
  private static final String PATIENT_CONNECT_SECONDS = "150";

  static {
    recordStartupCache();
  }

  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private Wax() {}

  /** {@code bin/wax ARGS} from the repository root, with extra environment variables. */
  static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("bin/wax").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
    builder.environment().put("WAX_CONNECT_TIMEOUT", PATIENT_CONNECT_SECONDS);
    builder.environment().put("WAX_DAEMON", "0");
    builder.environment().putAll(env);
    Path out = Files.createTempFile("wax-out", ".txt");
    Path err = Files.createTempFile("wax-err", ".txt");
    try {
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("wax " + String.join(" ", args) + " did not finish in time");
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * Starts {@code bin/wax ARGS} interpreted without waiting; its output goes to {@code out} and
   * {@code err}.
   */
  static Process start(Path out, Path err, String... args) throws IOException {
    return start(Map.of(), out, err, args);
  }

  /** {@link #start(Path, Path, String...)} with extra environment variables. */
  static Process start(Map<String, String> env, Path out, Path err, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("bin/wax").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
    builder.environment().put("WAX_RUNTIME", "interpreted");
    builder.environment().put("WAX_CONNECT_TIMEOUT", PATIENT_CONNECT_SECONDS);
    builder.environment().put("WAX_DAEMON", "0");
    builder.environment().putAll(env);
    return builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
  }

  /** {@code stderr} without the launcher's once-per-build line about its start-up cache. */
  static String withoutCacheNote(String stderr) {
    return stderr.replace("wax: recording the interpreter's start-up cache (once per build)...\n", "");
  }

  /** {@code 127.0.0.1:port;...} for {@code count} ports that were free a moment ago. */
  static String freeAddresses(int count) throws IOException {
    List<java.net.ServerSocket> sockets = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        sockets.add(socket);
        addresses.add("127.0.0.1:" + socket.getLocalPort());
      }
    } finally {
      for (java.net.ServerSocket socket : sockets) {
        socket.close();
      }
    }
    return String.join(";", addresses);
  }

  /** A new recovery directory {@code parent/recovery} of {@code partitions} partitions. */
  static Path recoveryDir(Path parent, int partitions) throws IOException, InterruptedException {
    Path dir = java.nio.file.Files.createDirectories(parent.resolve("recovery"));
    Result init = interpreted("recovery", "init", dir.toString(), "" + partitions);
    if (init.exit() != 0) {
      throw new IllegalStateException("wax recovery init failed: " + init);
    }
    return dir;
  }

  /** Short runs are faster interpreted: the JIT only pays off after millions of calls. */
  static Result interpreted(String... args) throws IOException, InterruptedException {
    return interpreted(Map.of(), args);
  }

  /** {@link #interpreted(String...)} with extra environment variables. */
  static Result interpreted(Map<String, String> env, String... args) throws IOException, InterruptedException {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("WAX_RUNTIME", "interpreted");
    return run(all, args);
  }

  /**
   * The launcher's first interpreted start after a build records its start-up cache, which takes
   * a minute on a busy machine. Done here, once and before tests run side by side, so no test's
   * process pays for it under their load.
   */
  private static void recordStartupCache() {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(ROOT.resolve("bin/wax").toString(), "python", "-c", "pass")
              .directory(ROOT.toFile())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      builder.environment().put("WAX_RUNTIME", "interpreted");
      builder.environment().put("WAX_DAEMON", "0");
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Path findRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isExecutable(dir.resolve("bin/wax"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find bin/wax above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
