package dev.wax.engine;

/**
 * Thrown by a source partition to stop the whole run at once, without EOF and without error: the
 * run returns normally. Mirrors {@code bytewax.inputs.AbortExecution}.
 */
public class AbortExecution extends RuntimeException {
  public AbortExecution() {
    super("execution aborted by a source", null, false, false);
  }
}
