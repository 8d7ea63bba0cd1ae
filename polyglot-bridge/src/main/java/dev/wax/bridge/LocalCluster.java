package dev.wax.bridge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The processes of a local test cluster ({@code wax testing}, {@code python -m bytewax.testing},
 * {@code test_cluster}): started together, awaited together. Ctrl-C on this process reaches them
 * too, and once one fails the others get a grace period to stop before they are killed.
 */
public final class LocalCluster {
  /** How it ended: the highest exit status, and whether Ctrl-C stopped it. */
  public record Outcome(int status, boolean interrupted) {}

  private static final long GRACE_SECONDS = 15;

  private LocalCluster() {}

  /** Starts one process per command, sharing this process's standard streams; waits for all. */
  public static Outcome run(List<List<String>> commands) throws IOException {
    List<Process> started = new ArrayList<>();
    for (List<String> command : commands) {
      started.add(new ProcessBuilder(command).inheritIO().start());
    }
    AtomicBoolean interrupted = new AtomicBoolean();
    try (CtrlC.Run run = CtrlC.run()) {
      CtrlC.watch(
          () -> {
            interrupted.set(true);
            passOnCtrlC(started);
          });
      return new Outcome(awaitAll(started), interrupted.get());
    }
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
