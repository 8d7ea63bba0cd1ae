package dev.wax.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code wax}: run Bytewax dataflows on the Wax engine. */
@Command(
    name = "wax",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Runs Bytewax dataflows (Python) on the Wax Java engine.",
    subcommands = {
      RunCommand.class,
      PythonCommand.class,
      TestingCommand.class,
      InstallCommand.class,
      BenchCommand.class,
      RecoveryCommand.class,
      KafkaCommand.class,
      CommandLine.HelpCommand.class
    })
public final class WaxCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new WaxCommand());
    cli.setExecutionExceptionHandler(new FailureHandler());
    // Everything after `wax python` belongs to the Python program, options included.
    CommandLine python = cli.getSubcommands().get("python");
    python.setUnmatchedOptionsArePositionalParams(true);
    python.setStopAtPositional(true);
    return cli;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }
}
