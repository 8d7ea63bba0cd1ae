package dev.wax.cli;

/** Entry point of the {@code wax} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int status;
    try {
      status = execute(args);
    } catch (Throwable t) {
      // A JVM error (e.g. the runtime failing to start) still gets one line, not a stack trace.
      System.err.println("wax: internal error: " + t);
      status = 1;
    }
    System.exit(status);
  }

  /** Runs the command line and returns the exit status: 0 ok, 1 failure, 2 usage error. */
  public static int execute(String... args) {
    return WaxCommand.commandLine().execute(args);
  }
}
