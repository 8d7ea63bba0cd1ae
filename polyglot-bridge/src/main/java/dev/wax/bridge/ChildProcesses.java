package dev.wax.bridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.graalvm.polyglot.Value;

/**
 * Signals for child processes beyond what GraalPy's Java POSIX layer sends. That layer starts a
 * child as a Java {@link Process}, names it by a number of its own instead of its process id, and
 * can only kill or terminate it; {@code Popen.send_signal(SIGINT)} fails. Python's {@code
 * _wax_posix} learns each child's real id as it starts ({@link #spawn}) and sends the other
 * signals here.
 */
final class ChildProcesses {
  /** One start at a time in this JVM, so the one new child is the one the start made. */
  private static final Object STARTING = new Object();

  private ChildProcesses() {}

  /**
   * Runs {@code start}, which starts one child process; returns that child's process id, or 0
   * when it cannot be told (it ended at once, or another part of this JVM started one meanwhile).
   */
  static long spawn(Value start) {
    synchronized (STARTING) {
      Set<Long> before = children();
      start.executeVoid();
      Set<Long> started = children();
      started.removeAll(before);
      return started.size() == 1 ? started.iterator().next() : 0;
    }
  }

  private static Set<Long> children() {
    return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toCollection(HashSet::new));
  }

  /** Sends signal {@code number} to process {@code pid}, as the {@code kill} command does: null, else why it could not. */
  static String signal(long pid, int number) {
    synchronized (STARTING) {
      try {
        Process kill =
            new ProcessBuilder("kill", "-s", Integer.toString(number), Long.toString(pid))
                .redirectErrorStream(true)
                .start();
        String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        kill.waitFor();
        return kill.exitValue() == 0 ? null : output;
      } catch (IOException e) {
        return "cannot run kill: " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
    }
  }
}
