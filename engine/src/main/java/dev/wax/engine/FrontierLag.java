package dev.wax.engine;

/**
 * How many scheduling rounds Bytewax's core takes to carry the end of a step's input (or of an
 * epoch) through the step. Bytewax runs each core step as one or more Timely operators, and every
 * operator that holds capabilities lets a frontier pass only in the round after it saw it. These
 * rounds decide when items emitted at the end of input appear next to other steps' items, so Wax
 * counts them as Bytewax's core does (see {@code Worker}).
 *
 * @param beforeLogic rounds between the end of the step's input and the round in which the step's
 *     own logic sees it (operators in front of the logic, like the key routing of {@code
 *     stateful_batch})
 * @param afterLogic rounds between that round and the first one in which the steps reading this
 *     step's output see it end; 0 for steps that hold no capabilities (branch, merge,
 *     redistribute), whose output ends in the same round as their input
 */
public record FrontierLag(int beforeLogic, int afterLogic) {
  /** A step that holds no capabilities: the end passes through in the same round. */
  public static final FrontierLag NONE = new FrontierLag(0, 0);

  /** One Timely operator that holds capabilities and runs the step's logic. */
  public static final FrontierLag ONE_OPERATOR = new FrontierLag(0, 1);

  public FrontierLag {
    if (beforeLogic < 0 || afterLogic < 0) {
      throw new IllegalArgumentException("frontier lags are counts of rounds");
    }
  }

  /** Rounds from the end of the step's input to the end of its output. */
  public int total() {
    return beforeLogic + afterLogic;
  }
}
