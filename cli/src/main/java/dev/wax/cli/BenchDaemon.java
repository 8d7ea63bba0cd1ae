package dev.wax.cli;

import java.util.Map;
import java.util.UUID;

/**
 * A background process of a benchmark's own: its tag changes the JVM options, so the first command
 * run with {@link #env} starts a new one and later ones find it warm; {@link #close} ends it.
 */
final class BenchDaemon implements AutoCloseable {
  private final String tag = "-Dwax.bench.daemon=" + UUID.randomUUID();

  /** The environment that sends a `wax run` or `wax python` command to this process. */
  Map<String, String> env() {
    return Map.of("WAX_DAEMON", "1", "WAX_JAVA_OPTS", tag);
  }

  @Override
  public void close() {
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(tag)).orElse(false))
        .forEach(ProcessHandle::destroy);
  }
}
