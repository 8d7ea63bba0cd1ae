package dev.wax.bridge;

import java.io.OutputStream;
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
      return exitStatus(context, () -> main(context).invokeMember("main", (Object) args));
    }
  }

  /**
   * Runs a dataflow like {@code python -m bytewax.run IMPORT_STR}.
   *
   * @param epochIntervalSeconds system time per epoch
   * @return the exit status: 0 when the flow completed, 1 when it failed (traceback printed)
   */
  public int runFlow(String importStr, double epochIntervalSeconds) {
    String[] argv = {"-m", "bytewax.run", importStr};
    try (Context context = runtime.newContext(argv, System.in, out, err)) {
      return exitStatus(
          context, () -> main(context).invokeMember("run_flow", importStr, epochIntervalSeconds));
    }
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
