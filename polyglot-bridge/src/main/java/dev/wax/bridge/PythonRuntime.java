package dev.wax.bridge;

import dev.wax.engine.ProcessEnv;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The one owner of GraalPy: a shared polyglot {@link Engine} (so every Context shares compiled
 * code) and the single place Contexts are configured. A Context must only ever be entered by one
 * thread at a time; Python values never leave the Context that made them.
 */
public final class PythonRuntime implements AutoCloseable {
  /**
   * Python may call only what the bridge exports with {@code @HostAccess.Export}, and may read
   * Java lists and arrays (batches the engine hands over) like sequences.
   */
  private static final HostAccess HOST_ACCESS =
      HostAccess.newBuilder(HostAccess.EXPLICIT)
          .allowListAccess(true)
          .allowArrayAccess(true)
          .allowIterableAccess(true)
          .allowIteratorAccess(true)
          .build();

  /** The engine every command of a long-lived JVM uses (see {@link #keepEngine}); else null. */
  private static Engine kept;

  private final Engine engine;
  private final List<Path> pythonLibs;
  private final boolean ownsEngine;

  private PythonRuntime(Engine engine, List<Path> pythonLibs, boolean ownsEngine) {
    this.engine = engine;
    this.pythonLibs = pythonLibs;
    this.ownsEngine = ownsEngine;
  }

  /** Starts the shared engine; the Python home is unpacked under Wax's cache on first use. */
  public static synchronized PythonRuntime start() {
    if (kept != null) {
      return new PythonRuntime(kept, WaxHome.pythonLibs(), false);
    }
    return new PythonRuntime(newEngine(), WaxHome.pythonLibs(), true);
  }

  /**
   * From now on every {@link #start} shares one engine that is never closed, so the code GraalPy
   * compiled for one command serves the next (Wax's warm background process).
   */
  public static synchronized void keepEngine() {
    if (kept == null) {
      kept = newEngine();
    }
  }

  private static Engine newEngine() {
    WaxHome.configureResourceCache();
    return Engine.newBuilder("python").option("engine.WarnInterpreterOnly", "false").build();
  }

  /** True when GraalPy runs with the Graal JIT compiler rather than interpreted. */
  public boolean isOptimized() {
    return !"Interpreted".equals(engine.getImplementationName());
  }

  public String implementationName() {
    return engine.getImplementationName();
  }

  /**
   * A new Context with {@code bytewax} importable, {@code sys.argv == argv} and the engine bound.
   *
   * @param argv {@code sys.argv}; its first element is the program name
   */
  public Context newContext(String[] argv, InputStream in, OutputStream out, OutputStream err) {
    return newContext(argv, in, out, err, null);
  }

  /** A new Context as above whose flows run as {@code slot}'s worker; null for its own runs. */
  Context newContext(
      String[] argv, InputStream in, OutputStream out, OutputStream err, WorkerSlot slot) {
    String executable = System.getProperty("wax.executable", "");
    Context.Builder builder =
        Context.newBuilder("python")
            .engine(engine)
            .allowHostAccess(HOST_ACCESS)
            .allowPolyglotAccess(PolyglotAccess.newBuilder().allowBindingsAccess("python").build())
            // Flows read files, import modules from disk and may start subprocesses and threads.
            .allowIO(IOAccess.ALL)
            .allowCreateThread(true)
            .allowCreateProcess(true)
            .allowEnvironmentAccess(
                ProcessEnv.isBorrowed() ? EnvironmentAccess.NONE : EnvironmentAccess.INHERIT)
            .environment(ProcessEnv.isBorrowed() ? ProcessEnv.all() : Map.of())
            .environment("PYTHONTZPATH", "/usr/share/zoneinfo")
            .option("python.PythonPath", pythonPath())
            // Compiled modules are cached under Wax's cache (never beside sources): imports of
            // the standard library and bytewax take seconds when compiled afresh every start.
            .option("python.DontWriteBytecodeFlag", "false")
            .option("python.PyCachePrefix", WaxHome.cacheDir().resolve("pycache").toString())
            .option("python.Executable", executable)
            .arguments("python", argv.length == 0 ? new String[] {""} : argv)
            .in(in)
            .out(out)
            .err(err);
    if (ProcessEnv.isBorrowed()) {
      builder.currentWorkingDirectory(ProcessEnv.directory());
    }
    Context context = builder.build();
    context.getPolyglotBindings().putMember(PyHost.BINDING, new PyHost(implementationName(), slot));
    // Not in the bytewax package: importing that patches `datetime`, which a Context a Java
    // program uses without bytewax must not get.
    context.eval(
        "python",
        "import _wax_no_native, _wax_posix, polyglot\n"
            + "_wax_no_native.install()\n"
            + "_wax_posix.install(polyglot.import_value('" + PyHost.BINDING + "'))");
    return context;
  }

  public Context newContext(String[] argv) {
    return newContext(argv, System.in, System.out, System.err);
  }

  /**
   * The bytewax package and those shipped with it first, then the user's {@code PYTHONPATH}, then
   * what {@code wax install} installed (as site-packages comes after PYTHONPATH).
   */
  private String pythonPath() {
    List<String> path = new ArrayList<>();
    pythonLibs.forEach(lib -> path.add(lib.toString()));
    String user = ProcessEnv.get("PYTHONPATH");
    if (user != null && !user.isEmpty()) {
      path.add(user);
    }
    path.add(WaxHome.sitePackages().toString());
    return String.join(File.pathSeparator, path);
  }

  @Override
  public void close() {
    if (ownsEngine) {
      engine.close();
    }
  }
}
