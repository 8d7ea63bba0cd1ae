package dev.wax.engine;

/**
 * User code called by a step failed. The message names the step (and key or partition, where there
 * is one) in Bytewax's words, e.g. {@code error calling `mapper` in step "flow.m.flat_map_batch"};
 * the user's own exception is the cause.
 *
 * <p>An exception with no message stands for an error Bytewax lets through unwrapped (e.g. from a
 * stateful builder): callers should surface its cause as it is.
 */
public class UserCodeException extends WaxException {
  private final String stepId;

  public UserCodeException(String message, String stepId, Throwable cause) {
    super(message, cause);
    this.stepId = stepId;
  }

  /** Wraps nothing: the cause should reach the user exactly as user code raised it. */
  public static UserCodeException unwrapped(String stepId, Throwable cause) {
    return new UserCodeException(null, stepId, cause);
  }

  public boolean isUnwrapped() {
    return getMessage() == null;
  }

  public String stepId() {
    return stepId;
  }

  /** Quotes an id or key the way Bytewax's messages show them: {@code "flow.step"}. */
  public static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
