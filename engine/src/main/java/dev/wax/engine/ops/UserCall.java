package dev.wax.engine.ops;

import dev.wax.engine.AbortExecution;
import dev.wax.engine.UserCodeException;
import java.util.function.Supplier;

/** Calls user code and turns whatever it throws into a {@link UserCodeException} naming the step. */
final class UserCall {
  private UserCall() {}

  static <T> T call(String role, String stepId, Supplier<T> code) {
    try {
      return code.get();
    } catch (AbortExecution | UserCodeException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw UserCodeException.calling(role, stepId, e);
    }
  }

  static <T> T callForKey(String role, String stepId, String key, Supplier<T> code) {
    try {
      return code.get();
    } catch (AbortExecution | UserCodeException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw UserCodeException.callingForKey(role, stepId, key, e);
    }
  }

  static void run(String role, String stepId, Runnable code) {
    call(role, stepId, () -> {
      code.run();
      return null;
    });
  }
}
