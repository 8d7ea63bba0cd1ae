package dev.wax.bridge;

import dev.wax.engine.WaxException;
import dev.wax.engine.cluster.ClusterConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * Runs whole Python programs in a fresh Context, the way the {@code python} command does: the
 * Python side ({@code bytewax._wax.main}) prints uncaught exceptions as a traceback and returns
 * the exit status.
 */
public final class PythonPrograms {
  private final PythonRuntime runtime;
  private final OutputStream out;
  private final OutputStream err;

  /** Programs printing to this process's standard output and error. */
  public PythonPrograms(PythonRuntime runtime) {
    this(runtime, System.out, System.err);
  }

  /** Programs printing to {@code out} and {@code err}. */
  public PythonPrograms(PythonRuntime runtime, OutputStream out, OutputStream err) {
    this.runtime = runtime;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs {@code python ARGS}: a script path, {@code -m module} or {@code -c code}, then its
   * arguments.
   *
   * @return the exit status
   */
  public int python(String[] args) {
    String[] argv = args.length == 0 ? new String[] {""} : args;
    try (Context context = runtime.newContext(argv, System.in, out, err)) {
      return exitStatus(context, () -> main(context).invokeMember("main", args, true));
    } finally {
      Tracing.shutDown();
    }
  }

  /**
   * Runs a dataflow like {@code python -m bytewax.run IMPORT_STR}.
   *
   * @param epochIntervalSeconds system time per epoch
   * @return the exit status: 0 when the flow completed, 1 when it failed (traceback printed)
   */
  public int runFlow(String importStr, double epochIntervalSeconds) {
    return runFlow(importStr, epochIntervalSeconds, 1);
  }

  /**
   * Runs a dataflow with {@code workers} workers, each on its own thread with its own Context
   * that imports the flow itself. Output lines of different workers never mix; when one worker
   * fails, it prints the error and the others stop quietly.
   *
   * @return 0 when the flow completed on every worker, else 1
   */
  public int runFlow(String importStr, double epochIntervalSeconds, int workers) {
    return runFlow(importStr, epochIntervalSeconds, workers, null);
  }

  /**
   * Runs a dataflow as above, as one process of {@code cluster} (or alone when null): connects to
   * the other processes first, then runs this process's workers. When another process fails, its
   * message is printed here too.
   *
   * @return 0 when the flow completed on every worker of every process, else 1
   */
  public int runFlow(String importStr, double epochIntervalSeconds, int workers, ClusterConfig cluster) {
    return runFlow(importStr, epochIntervalSeconds, workers, cluster, null, 0);
  }

  /**
   * Runs a dataflow as above with recovery: it resumes from and snapshots into the partitions in
   * {@code recoveryDir} (none when null), keeping superseded snapshots for {@code
   * backupIntervalSeconds}.
   */
  public int runFlow(
      String importStr,
      double epochIntervalSeconds,
      int workers,
      ClusterConfig cluster,
      Path recoveryDir,
      double backupIntervalSeconds) {
    String[] argv = {"-m", "bytewax.run", importStr};
    String dir = recoveryDir == null ? null : recoveryDir.toString();
    // Only a flow alone in its process owns SIGINT's Python handler (see `run_flow`).
    BiFunction<Context, Boolean, Value> program =
        (context, ownsCtrlC) ->
            main(context)
                .invokeMember("run_flow", importStr, epochIntervalSeconds, dir, backupIntervalSeconds, ownsCtrlC);
    try {
      if (workers == 1 && cluster == null) {
        try (Context context = runtime.newContext(argv, System.in, out, err)) {
          return exitStatus(context, () -> program.apply(context, true));
        }
      }
      return onWorkers(workers, cluster, argv, context -> program.apply(context, false));
    } finally {
      Tracing.shutDown();
    }
  }

  /**
   * Runs {@code python ARGS} once per worker, each in its own Context on its own thread: the k-th
   * dataflow the program runs ({@code run_main}, ...) on one worker joins the k-th on the others,
   * as one run of {@code workers} workers per process (of {@code cluster}, when not null).
   *
   * @return 0 when every worker's program succeeded, else the highest worker's exit status
   *     (130 after Ctrl-C)
   */
  public int pythonOnWorkers(String[] args, int workers, ClusterConfig cluster) {
    try {
      return onWorkers(workers, cluster, args, context -> main(context).invokeMember("main", args, false));
    } finally {
      Tracing.shutDown();
    }
  }

  private int onWorkers(
      int workers, ClusterConfig cluster, String[] argv, Function<Context, Value> program) {
    RunSeries series = new RunSeries(workers, cluster);
    AtomicInteger status = new AtomicInteger();
    series.onThreads(index -> status.accumulateAndGet(runSlot(new WorkerSlot(series, index), argv, program), Math::max));
    String remote = series.remoteFailure();
    if (remote != null) {
      printError("wax: " + remote);
      return 1;
    }
    return status.get();
  }

  private void printError(String line) {
    synchronized (err) {
      try {
        err.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        err.flush();
      } catch (IOException e) {
        // Nowhere left to report it; the exit status still says the run failed.
      }
    }
  }

  private int runSlot(WorkerSlot slot, String[] argv, Function<Context, Value> program) {
    int status = 1;
    try (LineStream lineOut = new LineStream(out);
        LineStream lineErr = new LineStream(err);
        Context context = runtime.newContext(argv, System.in, lineOut, lineErr, slot)) {
      status = exitStatus(context, () -> program.apply(context));
    } catch (IOException | RuntimeException e) {
      printError("wax: worker " + slot.index() + " failed: " + e.getMessage());
    }
    if (status != 0) {
      // The program may have failed before its next run (e.g. the import failed): the other
      // workers must not wait for it there.
      slot.abandon(new WaxException("worker " + slot.index() + " failed"));
    }
    return status;
  }

  /** The module {@code bytewax._wax.main}, which holds the Python side of these programs. */
  private static Value main(Context context) {
    return context.eval("python", "import bytewax._wax.main\nbytewax._wax.main");
  }

  private static int exitStatus(Context context, Supplier<Value> program) {
    try {
      return program.get().asInt();
    } catch (PolyglotException e) {
      if (e.isExit()) {
        return e.getExitStatus();
      }
      throw e;
    }
  }
}
