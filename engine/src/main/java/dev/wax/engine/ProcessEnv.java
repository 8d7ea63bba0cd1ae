package dev.wax.engine;

import java.nio.file.Path;
import java.util.Map;

/**
 * The environment variables and working directory of the command being run. They are this JVM's
 * own, except in Wax's warm background process, which runs one client's command at a time with
 * the client's environment and directory ({@link #use}). Read them here, never from {@code
 * System.getenv} or {@code user.dir}, so a command behaves the same either way.
 */
public final class ProcessEnv {
  private static volatile Map<String, String> variables;
  private static volatile Path directory;

  private ProcessEnv() {}

  /** The variable {@code name}, or null when unset. */
  public static String get(String name) {
    Map<String, String> current = variables;
    return current == null ? System.getenv(name) : current.get(name);
  }

  /** Every variable. */
  public static Map<String, String> all() {
    Map<String, String> current = variables;
    return current == null ? System.getenv() : current;
  }

  /** The working directory, absolute. */
  public static Path directory() {
    Path current = directory;
    return current == null ? Path.of("").toAbsolutePath() : current;
  }

  /** {@code path} as the command's working directory sees it (this JVM's needs no change). */
  public static Path resolve(Path path) {
    Path current = directory;
    return current == null ? path : current.resolve(path);
  }

  /** True while a client's environment stands in for this JVM's own. */
  public static boolean isBorrowed() {
    return variables != null;
  }

  /** Runs the next command with a client's environment and working directory. */
  public static void use(Map<String, String> clientVariables, Path clientDirectory) {
    variables = Map.copyOf(clientVariables);
    directory = clientDirectory.toAbsolutePath();
  }

  /** Back to this JVM's own environment. */
  public static void reset() {
    variables = null;
    directory = null;
  }
}
