package dev.wax.cli;

import dev.wax.bridge.WaxHome;
import dev.wax.engine.ProcessEnv;
import dev.wax.engine.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wax install WHEEL...}: installs pure-Python wheel files, offline, where every flow and
 * {@code wax python} imports from. pip cannot run on Wax: it needs {@code unicodedata}'s Unicode
 * 3.2 tables, which GraalPy has only in a C extension. A pure-Python wheel needs no more than
 * unpacking (the wheel format's own definition of installing it); dependencies are not fetched.
 */
@Command(
    name = "install",
    mixinStandardHelpOptions = true,
    description = {
      "Installs pure-Python wheel files (.whl) for every Wax flow and `wax python`, offline;",
      "into $WAX_SITE_PACKAGES, else ~/.local/share/wax/site-packages. Install each wheel a",
      "package needs: dependencies are not fetched."
    })
public final class InstallCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "WHEEL", description = "Wheel files to install.")
  List<Path> wheels = new ArrayList<>();

  @Option(
      names = {"-t", "--target"},
      paramLabel = "DIR",
      description = "Install into DIR instead (put it on PYTHONPATH to use it).")
  Path target;

  @Override
  public Integer call() throws IOException {
    Path into = (target == null ? WaxHome.sitePackages() : ProcessEnv.resolve(target)).toAbsolutePath().normalize();
    Files.createDirectories(into);
    for (Path wheel : wheels) {
      install(ProcessEnv.resolve(wheel), into);
    }
    return 0;
  }

  private static void install(Path wheel, Path into) throws IOException {
    if (!Files.isRegularFile(wheel)) {
      throw new UsageException("wheel file `" + wheel + "` does not exist");
    }
    try (ZipFile zip = new ZipFile(wheel.toFile())) {
      String distInfo = distInfo(wheel, zip);
      checkPurePython(wheel, read(zip, distInfo + "/WHEEL"));
      String project = distInfo.substring(0, distInfo.indexOf('-'));
      uninstall(project, into);
      String data = distInfo.substring(0, distInfo.length() - ".dist-info".length()) + ".data/";
      for (ZipEntry entry : zip.stream().filter(e -> !e.isDirectory()).toList()) {
        String name = placed(entry.getName(), data);
        if (name == null) {
          continue;
        }
        Path file = into.resolve(name).normalize();
        if (!file.startsWith(into)) {
          throw new UsageException("wheel `" + wheel + "` has a file outside its directory: " + entry.getName());
        }
        Files.createDirectories(file.getParent());
        try (InputStream in = zip.getInputStream(entry)) {
          Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      String version = distInfo.substring(project.length() + 1, distInfo.length() - ".dist-info".length());
      System.out.println("installed " + project + " " + version + " into " + into);
    } catch (java.util.zip.ZipException e) {
      throw new UsageException("`" + wheel + "` is not a wheel (a zip archive): " + e.getMessage());
    }
  }

  /** The wheel's {@code NAME-VERSION.dist-info} directory. */
  private static String distInfo(Path wheel, ZipFile zip) {
    List<String> found =
        zip.stream()
            .map(ZipEntry::getName)
            .filter(n -> n.matches("[^/]+\\.dist-info/WHEEL"))
            .map(n -> n.substring(0, n.indexOf('/')))
            .toList();
    if (found.size() != 1) {
      throw new UsageException("`" + wheel + "` is not a wheel: it needs exactly one *.dist-info/WHEEL file");
    }
    return found.get(0);
  }

  /** Only wheels tagged for any platform: Wax cannot load C extensions. */
  private static void checkPurePython(Path wheel, String metadata) {
    for (String line : metadata.split("\n")) {
      if (line.startsWith("Tag:")) {
        String tag = line.substring(4).trim();
        if (!tag.endsWith("-none-any")) {
          throw new UsageException(
              "`" + wheel.getFileName() + "` is built for " + tag
                  + ": Wax runs pure-Python packages only (tag ...-none-any)");
        }
      }
    }
  }

  /**
   * Where an archive entry goes, relative to the target, or null to leave it out: the {@code
   * .data/purelib} and {@code platlib} trees go to the top, scripts, headers and data nowhere.
   */
  private static String placed(String name, String data) {
    if (!name.startsWith(data)) {
      return name;
    }
    String rest = name.substring(data.length());
    for (String tree : List.of("purelib/", "platlib/")) {
      if (rest.startsWith(tree)) {
        return rest.substring(tree.length());
      }
    }
    return null;
  }

  /** Removes an installed version of {@code project}: the files its RECORD lists, and the record. */
  private static void uninstall(String project, Path into) throws IOException {
    List<Path> old;
    try (Stream<Path> listed = Files.list(into)) {
      old = listed.filter(p -> p.getFileName().toString().startsWith(project + "-") && p.getFileName().toString().endsWith(".dist-info")).toList();
    }
    for (Path distInfo : old) {
      Path record = distInfo.resolve("RECORD");
      if (Files.exists(record)) {
        for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
          Path file = into.resolve(line.split(",", 2)[0]).normalize();
          if (!line.isBlank() && file.startsWith(into)) {
            Files.deleteIfExists(file);
          }
        }
      }
      try (Stream<Path> tree = Files.walk(distInfo)) {
        for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  private static String read(ZipFile zip, String name) throws IOException {
    try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
    }
  }
}
