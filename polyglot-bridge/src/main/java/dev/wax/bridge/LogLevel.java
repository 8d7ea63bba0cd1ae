package dev.wax.bridge;

import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sets how much Wax logs, in Bytewax's level names ({@code ERROR WARN INFO DEBUG TRACE}). Wax logs
 * through SLF4J; the {@code wax} command binds it to java.util.logging, whose levels can change
 * while running, which is what {@code bytewax.tracing.setup_tracing(log_level=...)} needs.
 */
public final class LogLevel {
  private static final Map<String, Level> LEVELS =
      Map.of(
          "ERROR", Level.SEVERE,
          "WARN", Level.WARNING,
          "INFO", Level.INFO,
          "DEBUG", Level.FINE,
          "TRACE", Level.FINEST);

  /** Held so the configured logger is not garbage-collected along with its level. */
  private static final Logger WAX = Logger.getLogger("dev.wax");

  private LogLevel() {}

  /** Applies a Bytewax level name; rejects unknown names with the list of known ones. */
  public static void set(String name) {
    Level level = LEVELS.get(name.toUpperCase(Locale.ROOT));
    if (level == null) {
      throw new IllegalArgumentException(
          "log level must be one of ERROR, WARN, INFO, DEBUG, TRACE; got " + name);
    }
    WAX.setLevel(level);
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      if (handler.getLevel().intValue() > level.intValue()) {
        handler.setLevel(level);
      }
    }
  }
}
