package dev.wax.engine.ops;

import dev.wax.engine.AbortExecution;
import dev.wax.engine.UserCodeException;
import dev.wax.engine.WaxException;
import java.util.function.Supplier;

/**
 * Calls user code and turns whatever it throws into a {@link UserCodeException} with the given
 * message (built only on failure). Engine errors and aborts pass through untouched.
 */
final class UserCall {
  private UserCall() {}

  static <T> T call(Supplier<String> message, String stepId, Supplier<T> code) {
    try {
      return code.get();
    } catch (AbortExecution | WaxException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new UserCodeException(message.get(), stepId, e);
    }
  }

  static void run(Supplier<String> message, String stepId, Runnable code) {
    call(
        message,
        stepId,
        () -> {
          code.run();
          return null;
        });
  }

  /** {@code error calling `what` in step "id"}. */
  static Supplier<String> calling(String what, String stepId) {
    return () -> "error calling " + what + " in step " + UserCodeException.quote(stepId);
  }

  /**
   * A stateful step's logic failed for {@code key}, in Bytewax's words: "in step" for {@code
   * on_batch} and just "in" for the other methods, as Bytewax has it.
   */
  static Supplier<String> callingLogic(String method, String stepId, String key) {
    String in = method.equals("on_batch") ? " in step " : " in ";
    return () ->
        "error calling `StatefulBatchLogic."
            + method
            + "`"
            + in
            + UserCodeException.quote(stepId)
            + " for key "
            + UserCodeException.quote(key);
  }

  /** {@code error calling `what` in step "id" for partition "part"}. */
  static Supplier<String> callingForPart(String what, String stepId, String part) {
    return () ->
        "error calling "
            + what
            + " in step "
            + UserCodeException.quote(stepId)
            + " for partition "
            + UserCodeException.quote(part);
  }
}
