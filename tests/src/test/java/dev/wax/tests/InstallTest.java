package dev.wax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wax install}: a user's own pure-Python package, from a wheel file and offline, is
 * importable by every later flow and {@code wax python}; a newer version replaces the older; a
 * wheel built for a platform is refused, saying why.
 */
class InstallTest {
  @Test
  void anInstalledWheelIsImportableAndANewerOneReplacesIt(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("WAX_SITE_PACKAGES", dir.resolve("site").toString(), "WAX_RUNTIME", "interpreted");
    Path v1 = wheel(dir, "1.0", "py3-none-any", Map.of("greeting/__init__.py", "WORD = 'hello'\n", "greeting/old.py", ""));
    Wax.Result installed = Wax.run(env, "install", v1.toString());
    assertEquals(0, installed.exit(), installed.toString());
    assertEquals("installed greeting 1.0 into " + dir.resolve("site") + "\n", installed.out());

    Path v2 = wheel(dir, "2.0", "py3-none-any", Map.of("greeting/__init__.py", "WORD = 'hello again'\n"));
    assertEquals(0, Wax.run(env, "install", v2.toString()).exit());
    assertFalse(Files.exists(dir.resolve("site/greeting/old.py")), "version 1.0's own file is left");
    assertFalse(Files.exists(dir.resolve("site/greeting-1.0.dist-info")));

    Files.writeString(
        dir.resolve("flow.py"),
        """
        import bytewax.operators as op
        from bytewax.connectors.stdio import StdOutSink
        from bytewax.dataflow import Dataflow
        from bytewax.testing import TestingSource
        from greeting import WORD

        flow = Dataflow("greet")
        op.output("out", op.input("inp", flow, TestingSource([WORD])), StdOutSink())
        """);
    Wax.Result flow = Wax.run(env, "run", dir.resolve("flow.py").toString());
    assertEquals("hello again\n", flow.out(), flow.toString());
  }

  @Test
  void aWheelForAPlatformIsRefused(@TempDir Path dir) throws Exception {
    Path native_ = wheel(dir, "1.0", "cp312-cp312-manylinux_2_17_x86_64", Map.of("greeting/__init__.py", ""));
    Wax.Result refused = Wax.run(Map.of("WAX_SITE_PACKAGES", dir.resolve("site").toString()), "install", native_.toString());
    assertEquals(2, refused.exit(), refused.toString());
    assertEquals(
        "wax: `greeting-1.0-cp312-cp312-manylinux_2_17_x86_64.whl` is built for cp312-cp312-manylinux_2_17_x86_64: "
            + "Wax runs pure-Python packages only (tag ...-none-any)\n",
        Wax.withoutCacheNote(refused.err()));
    assertTrue(Files.notExists(dir.resolve("site/greeting")));
  }

  /** A wheel of the project {@code greeting}, written as the wheel format defines it. */
  private static Path wheel(Path dir, String version, String tag, Map<String, String> files) throws IOException {
    String distInfo = "greeting-" + version + ".dist-info/";
    Map<String, String> all = new LinkedHashMap<>(files);
    all.put(distInfo + "METADATA", "Metadata-Version: 2.1\nName: greeting\nVersion: " + version + "\n");
    all.put(distInfo + "WHEEL", "Wheel-Version: 1.0\nGenerator: InstallTest\nRoot-Is-Purelib: true\nTag: " + tag + "\n");
    StringBuilder record = new StringBuilder();
    all.keySet().forEach(name -> record.append(name).append(",,\n"));
    all.put(distInfo + "RECORD", record + distInfo + "RECORD,,\n");
    Path wheel = dir.resolve("greeting-" + version + "-" + tag + ".whl");
    try (OutputStream file = Files.newOutputStream(wheel);
        ZipOutputStream zip = new ZipOutputStream(file)) {
      for (Map.Entry<String, String> entry : all.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return wheel;
  }
}
