package dev.wax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Runs the Python test suite of the {@code bytewax} package ({@code python-lib/src/test/python})
 * with Debian's pure-Python pytest inside GraalPy, through {@code wax python -m pytest}.
 *
 * <p>Alone: its hundreds of tests in one process take half a minute on an idle machine, but
 * more than five beside the clusters and brokers other tests start, which made its run miss
 * {@link Wax}'s time limit.
 */
@Isolated
class PythonSuiteTest {
  /** Debian's python3-pytest and the pure-Python packages it needs; nothing else from there. */
  private static final List<String> PYTEST_PACKAGES =
      List.of("pytest", "_pytest", "pluggy", "iniconfig", "packaging", "py", "attr", "attrs");

  private static final Path DIST_PACKAGES = Path.of("/usr/lib/python3/dist-packages");

  @Test
  void bytewaxPackageSuitePasses() throws Exception {
    Path pythonPath = pytestOnly();
    Wax.Result result =
        Wax.run(
            Map.of("WAX_RUNTIME", "interpreted", "PYTHONPATH", pythonPath.toString()),
            "python",
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "python-lib/src/test/python");
    System.out.println(result.out());
    assertEquals(0, result.exit(), result.toString());
    assertTrue(result.out().contains(" passed"), result.toString());
  }

  /** A directory that links only pytest and its dependencies from Debian's dist-packages. */
  private static Path pytestOnly() throws IOException {
    assertTrue(
        Files.isDirectory(DIST_PACKAGES.resolve("pytest")),
        "Debian's python3-pytest is not installed (apt-get install python3-pytest)");
    Path dir = Files.createTempDirectory("wax-pytest");
    for (String pkg : PYTEST_PACKAGES) {
      Path source = DIST_PACKAGES.resolve(pkg);
      if (Files.exists(source)) {
        Files.createSymbolicLink(dir.resolve(pkg), source);
      }
    }
    return dir;
  }
}
