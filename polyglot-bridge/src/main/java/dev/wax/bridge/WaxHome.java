package dev.wax.bridge;

import dev.wax.engine.ProcessEnv;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where Wax keeps its files: the cache folder ({@code $WAX_CACHE}, else {@code
 * $XDG_CACHE_HOME/wax}, else {@code ~/.cache/wax}) holding GraalPy's extracted Python home and the
 * {@code bytewax} package, and the directory of that package.
 *
 * <p>The package, and the packages Wax ships beside it, come from {@code -Dwax.python.lib=DIRS}
 * when set (a path list: the launcher points it at the sources, so edits apply at once, and at
 * the packages the build fetched), otherwise from the {@code wax-python/} resources of the
 * python-lib jar, extracted once per content hash.
 */
public final class WaxHome {
  private static final String RESOURCE_ROOT = "wax-python";

  private WaxHome() {}

  public static Path cacheDir() {
    String explicit = ProcessEnv.get("WAX_CACHE");
    if (explicit != null && !explicit.isEmpty()) {
      return Path.of(explicit);
    }
    String xdg = ProcessEnv.get("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("wax");
  }

  /**
   * Where {@code wax install} puts packages, which every Context imports from ({@code
   * $WAX_SITE_PACKAGES}, else {@code $XDG_DATA_HOME/wax/site-packages}, else {@code
   * ~/.local/share/wax/site-packages}): data, not cache, so it is never cleared.
   */
  public static Path sitePackages() {
    String explicit = ProcessEnv.get("WAX_SITE_PACKAGES");
    if (explicit != null && !explicit.isEmpty()) {
      return ProcessEnv.resolve(Path.of(explicit));
    }
    String xdg = ProcessEnv.get("XDG_DATA_HOME");
    Path base =
        xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("wax").resolve("site-packages");
  }

  /** Makes GraalPy extract its Python home under our cache unless told otherwise. */
  public static void configureResourceCache() {
    String key = "polyglot.engine.userResourceCache";
    if (System.getProperty(key) == null) {
      System.setProperty(key, cacheDir().resolve("graalpy").toString());
    }
  }

  /** The directories that hold the {@code bytewax} package and the packages shipped with it. */
  public static List<Path> pythonLibs() {
    String explicit = System.getProperty("wax.python.lib");
    if (explicit != null && !explicit.isEmpty()) {
      return Stream.of(explicit.split(File.pathSeparator)).map(Path::of).toList();
    }
    return List.of(pythonLib());
  }

  private static Path pythonLib() {
    URL marker = WaxHome.class.getClassLoader().getResource(RESOURCE_ROOT + "/bytewax/__init__.py");
    if (marker == null) {
      throw new IllegalStateException("the bytewax package is missing from the class path");
    }
    try {
      if ("file".equals(marker.getProtocol())) {
        return Path.of(marker.toURI()).getParent().getParent();
      }
      try (FileSystem jar = FileSystems.newFileSystem(marker.toURI(), Map.of())) {
        Path root = jar.getPath(RESOURCE_ROOT);
        Path target = cacheDir().resolve("python-lib").resolve(hash(root));
        if (!Files.isDirectory(target)) {
          extract(root, target);
        }
        return target;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the bytewax package", e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hash(Path root) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Path file : files(root)) {
        digest.update(root.relativize(file).toString().getBytes());
        digest.update(Files.readAllBytes(file));
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void extract(Path root, Path target) throws IOException {
    Path staging = Files.createTempDirectory(target.getParent() == null ? Path.of(".") : createDirs(target.getParent()), "tmp");
    for (Path file : files(root)) {
      Path out = staging.resolve(root.relativize(file).toString());
      Files.createDirectories(out.getParent());
      try (InputStream in = Files.newInputStream(file)) {
        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException raced) {
      // Another process unpacked the same content first; theirs is as good as ours.
      if (!Files.isDirectory(target)) {
        throw raced;
      }
    }
  }

  private static Path createDirs(Path dir) throws IOException {
    Files.createDirectories(dir);
    return dir;
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
