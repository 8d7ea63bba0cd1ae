package dev.wax.cli;

import picocli.CommandLine;

/** Entry point of the {@code wax} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit status: 0 ok, 1 failure, 2 usage error. */
  public static int execute(String... args) {
    return WaxCommand.commandLine().execute(args);
  }
}
