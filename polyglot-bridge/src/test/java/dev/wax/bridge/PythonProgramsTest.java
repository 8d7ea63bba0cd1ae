package dev.wax.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java API for Python flows: run a flow file in a few lines and get its exit status. */
class PythonProgramsTest {
  private static PythonRuntime runtime;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void start() {
    runtime = PythonRuntime.start();
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  private static Path write(Path dir, String name, String code) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, code);
    return file;
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void runsAFlowFile(@TempDir Path dir) throws IOException {
    Path flow =
        write(
            dir,
            "double.py",
            String.join(
                "\n",
                "import bytewax.operators as op",
                "from bytewax.dataflow import Dataflow",
                "from bytewax.connectors.stdio import StdOutSink",
                "from bytewax.testing import TestingSource",
                "flow = Dataflow('double')",
                "s = op.input('inp', flow, TestingSource([1, 2, 3]))",
                "op.output('out', op.map('double', s, lambda x: x * 2), StdOutSink())",
                ""));
    int status = new PythonPrograms(runtime, out, err).runFlow(flow.toString(), 10);
    assertEquals(0, status, err());
    assertEquals("2\n4\n6\n", out());
  }

  @Test
  void failingFlowPrintsPythonTracebackAndReturnsOne(@TempDir Path dir) throws IOException {
    Path flow =
        write(
            dir,
            "fail.py",
            String.join(
                "\n",
                "import bytewax.operators as op",
                "from bytewax.dataflow import Dataflow",
                "from bytewax.connectors.stdio import StdOutSink",
                "from bytewax.testing import TestingSource",
                "flow = Dataflow('fail')",
                "s = op.input('inp', flow, TestingSource([1, 0]))",
                "op.output('out', op.map('inv', s, lambda x: 1 / x), StdOutSink())",
                ""));
    int status = new PythonPrograms(runtime, out, err).runFlow(flow.toString(), 10);
    assertEquals(1, status);
    assertEquals("1.0\n", out());
    assertTrue(err().contains("ZeroDivisionError: division by zero"), err());
    assertTrue(
        err()
            .contains(
                "bytewax.errors.BytewaxRuntimeError: error calling `mapper` in step "
                    + "\"fail.inv.flat_map_batch\""),
        err());
    assertTrue(!err().contains("\tat "), "no Java stack trace: " + err());
  }

  @Test
  void pythonProgramsGetArgvAndExitStatus(@TempDir Path dir) throws IOException {
    Path script = write(dir, "args.py", "import sys\nprint(sys.argv[1:])\nsys.exit(3)\n");
    int status = new PythonPrograms(runtime, out, err).python(new String[] {script.toString(), "a", "b"});
    assertEquals(3, status);
    assertEquals("['a', 'b']\n", out());
  }

  @Test
  void dashCRunsCode() {
    int status =
        new PythonPrograms(runtime, out, err)
            .python(new String[] {"-c", "import bytewax; print(bytewax.__version__)"});
    assertEquals(0, status, err());
    assertEquals("0.21.1+wax.0.1.0\n", out());
  }
}
