package dev.wax.bridge;

import dev.wax.engine.ProcessEnv;
import dev.wax.engine.cluster.ClusterSecret;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The processes of a local test cluster ({@code wax testing}, {@code python -m bytewax.testing},
 * {@code test_cluster}): started together, awaited together. Ctrl-C on this process reaches them
 * too, and once one fails the others get a grace period to stop before they are killed. They run
 * with the command's environment and working directory and print to its standard streams, also
 * in Wax's background process. With the dataflow API enabled, process {@code i} serves it on the
 * port after the i-th next one, so each serves its own workers' metrics. Unless the command sets a
 * cluster secret, they share a random one.
 */
public final class LocalCluster {
  /** How it ended: the highest exit status, and whether Ctrl-C stopped it. */
  public record Outcome(int status, boolean interrupted) {}

  private static final long GRACE_SECONDS = 15;

  private LocalCluster() {}

  /** Starts one process per command, sharing this process's standard streams; waits for all. */
  public static Outcome run(List<List<String>> commands) throws IOException {
    List<Process> started = new ArrayList<>();
    List<Thread> relays = new ArrayList<>();
    Map<String, String> env = new HashMap<>(ProcessEnv.all());
    if (isBlank(env.get(ClusterSecret.ENV)) && isBlank(env.get(ClusterSecret.FILE_ENV))) {
      // Other users of this machine can reach its loopback ports: only these processes may join.
      env.put(ClusterSecret.ENV, ClusterSecret.random());
    }
    for (int i = 0; i < commands.size(); i++) {
      started.add(start(commands.get(i), i, env, relays));
    }
    AtomicBoolean interrupted = new AtomicBoolean();
    try (CtrlC.Run run = CtrlC.run()) {
      CtrlC.watch(
          () -> {
            interrupted.set(true);
            passOnCtrlC(started);
          });
      Outcome outcome = new Outcome(awaitAll(started), interrupted.get());
      for (Thread relay : relays) {
        relay.join(TimeUnit.SECONDS.toMillis(GRACE_SECONDS));
      }
      return outcome;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(1, true);
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isEmpty();
  }

  private static Process start(List<String> command, int index, Map<String, String> env, List<Thread> relays)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(ProcessEnv.directory().toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    if (DataflowApi.enabled()) {
      builder.environment().put(DataflowApi.PORT, Integer.toString(DataflowApi.port() + index));
    }
    if (!ProcessEnv.isBorrowed()) {
      return builder.inheritIO().start();
    }
    // The background process's own streams are not the command's: pass the output on.
    Process process = builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    relays.add(relay(process.getInputStream(), System.out));
    relays.add(relay(process.getErrorStream(), System.err));
    return process;
  }

  private static Thread relay(InputStream from, PrintStream to) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try (from) {
                int n;
                while ((n = from.read(buffer)) >= 0) {
                  to.write(buffer, 0, n);
                  to.flush();
                }
              } catch (IOException e) {
                // The process is gone.
              }
            },
            "wax-cluster-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** `kill -INT` reaches this process alone; Java can only send TERM and KILL itself. */
  private static void passOnCtrlC(List<Process> processes) {
    List<String> command = new ArrayList<>(List.of("kill", "-s", "INT"));
    processes.stream().filter(Process::isAlive).forEach(p -> command.add(String.valueOf(p.pid())));
    if (command.size() > 3) {
      try {
        new ProcessBuilder(command).inheritIO().start();
      } catch (IOException e) {
        processes.forEach(Process::destroy);
      }
    }
  }

  private static int awaitAll(List<Process> started) {
    int status = 0;
    long graceDeadline = Long.MAX_VALUE;
    List<Process> running = new ArrayList<>(started);
    while (!running.isEmpty()) {
      for (Process process : List.copyOf(running)) {
        if (waitFor(process)) {
          running.remove(process);
          if (process.exitValue() != 0 && status == 0) {
            status = process.exitValue();
            graceDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
          }
        }
      }
      if (System.nanoTime() - graceDeadline > 0) {
        running.forEach(Process::destroyForcibly);
        System.err.println("wax: killed " + running.size() + " process(es) that did not stop after a failure");
        graceDeadline = Long.MAX_VALUE;
      }
    }
    return status;
  }

  private static boolean waitFor(Process process) {
    try {
      return process.waitFor(50, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return true;
    }
  }
}
