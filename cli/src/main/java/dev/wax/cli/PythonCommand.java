package dev.wax.cli;

import dev.wax.bridge.PythonPrograms;
import dev.wax.bridge.PythonRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code wax python ...}: run any Python program on GraalPy with {@code bytewax} importable. */
@Command(
    name = "python",
    description = {
      "Runs a Python program on GraalPy like `python` does, with `bytewax` importable and",
      "PYTHONPATH honoured: wax python [script.py | -m module | -c code] [args...]"
    })
public final class PythonCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "ARGS", description = "What `python` would take.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    try (PythonRuntime runtime = PythonRuntime.start()) {
      return new PythonPrograms(runtime).python(args.toArray(String[]::new));
    }
  }
}
