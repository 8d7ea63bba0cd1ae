package dev.wax.engine;

/**
 * Root of every error the engine raises. Subclasses say whose fault it is: {@link UsageException}
 * for a badly built dataflow or bad arguments, {@link UserCodeException} for an exception thrown by
 * user code inside a step. Anything else escaping the engine is a bug in Wax.
 */
public class WaxException extends RuntimeException {
  public WaxException(String message) {
    super(message);
  }

  public WaxException(String message, Throwable cause) {
    super(message, cause);
  }
}
