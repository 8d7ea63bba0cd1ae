package dev.wax.engine;

/**
 * The run was interrupted from outside (Ctrl-C): every worker stops at its next round, without
 * EOF and without closing the epoch; what sinks wrote so far stays written.
 */
public class RunInterrupted extends RuntimeException {
  public RunInterrupted() {
    super("the run was interrupted", null, false, false);
  }
}
