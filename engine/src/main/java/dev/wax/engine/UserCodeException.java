package dev.wax.engine;

/**
 * User code called by a step failed. The message names the step (and key, where there is one) in
 * Bytewax's words, e.g. {@code error calling `mapper` in step "flow.m"}; the user's own exception
 * is the cause.
 */
public class UserCodeException extends WaxException {
  private final String stepId;

  public UserCodeException(String message, String stepId, Throwable cause) {
    super(message, cause);
    this.stepId = stepId;
  }

  /** Error raised while calling the user function {@code role} of step {@code stepId}. */
  public static UserCodeException calling(String role, String stepId, Throwable cause) {
    return new UserCodeException(
        "error calling `" + role + "` in step " + quote(stepId), stepId, cause);
  }

  /** Same as {@link #calling(String, String, Throwable)} for the logic of one key. */
  public static UserCodeException callingForKey(
      String role, String stepId, String key, Throwable cause) {
    return new UserCodeException(
        "error calling `" + role + "` in step " + quote(stepId) + " for key " + quote(key),
        stepId,
        cause);
  }

  public String stepId() {
    return stepId;
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
