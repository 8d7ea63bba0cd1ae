package dev.wax.engine;

/** The dataflow or its configuration is invalid; the message says what was expected. */
public class UsageException extends WaxException {
  public UsageException(String message) {
    super(message);
  }
}
