package dev.wax.bridge;

import dev.wax.engine.runtime.Execution;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C while dataflows run: SIGINT stops every run of this JVM at its workers' next round (and
 * is passed on to the processes of a {@link LocalCluster}), and the Python caller raises {@code
 * KeyboardInterrupt}, as in Bytewax. A second SIGINT a second or more later ends the process at
 * once, for a run stuck in user code (one Ctrl-C may arrive twice: from the terminal and passed
 * on by a cluster's parent). Outside runs, SIGINT is handled as before (by Python's {@code
 * default_int_handler} in {@code wax python}).
 */
final class CtrlC {
  private static final Signal INT = new Signal("INT");
  private static final long REPEAT_NANOS = 1_000_000_000L;
  /** What SIGINT stops: the executions and local clusters of the runs in progress. */
  private static final List<Runnable> WATCHED = new ArrayList<>();
  private static int runs;
  private static SignalHandler outsideRuns;
  private static boolean requested;
  private static long requestedAt;

  private CtrlC() {}

  /** A run in progress; closing it ends the run. */
  interface Run extends AutoCloseable {
    @Override
    void close();
  }

  /** Starts a run: until every run is closed, SIGINT stops what the runs {@link #watch}. */
  static Run run() {
    enter();
    return CtrlC::exit;
  }

  /** An execution that SIGINT must stop; stopped at once if SIGINT came before it started. */
  static void watch(Execution execution) {
    watch(execution::interrupt);
  }

  /** What to do on SIGINT during the runs in progress; done at once if SIGINT came already. */
  static synchronized void watch(Runnable interrupt) {
    WATCHED.add(interrupt);
    if (requested) {
      interrupt.run();
    }
  }

  private static synchronized void enter() {
    if (runs++ == 0) {
      requested = false;
      try {
        outsideRuns = Signal.handle(INT, signal -> interrupt());
      } catch (IllegalArgumentException e) {
        // The JVM keeps SIGINT to itself (-Xrs): Ctrl-C ends the process as it would anyway.
        outsideRuns = null;
      }
    }
  }

  private static synchronized void exit() {
    if (--runs == 0) {
      if (outsideRuns != null) {
        Signal.handle(INT, outsideRuns);
      }
      WATCHED.clear();
      requested = false;
    }
  }

  private static synchronized void interrupt() {
    if (requested && System.nanoTime() - requestedAt > REPEAT_NANOS) {
      byte[] line = "KeyboardInterrupt\n".getBytes(StandardCharsets.UTF_8);
      System.err.write(line, 0, line.length);
      System.err.flush();
      Runtime.getRuntime().halt(130);
    }
    if (!requested) {
      requested = true;
      requestedAt = System.nanoTime();
      WATCHED.forEach(Runnable::run);
    }
  }
}
