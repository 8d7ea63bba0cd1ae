package dev.wax.cli;

import dev.wax.engine.recovery.RecoveryStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wax recovery init DIR COUNT} (what {@code python -m bytewax.recovery} does, without
 * Python) and {@code wax recovery inspect DIR}.
 */
@Command(
    name = "recovery",
    mixinStandardHelpOptions = true,
    description = "Manages recovery directories.",
    subcommands = {RecoveryCommand.Init.class, RecoveryCommand.Inspect.class})
public final class RecoveryCommand {
  private RecoveryCommand() {}

  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = "Creates COUNT empty recovery partitions in the existing directory DIR.")
  static final class Init implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Existing directory for the partitions.")
    Path dir;

    @Parameters(index = "1", paramLabel = "COUNT", description = "How many partitions to create.")
    int count;

    @Override
    public Integer call() {
      RecoveryStore.init(dir, count);
      return 0;
    }
  }

  @Command(
      name = "inspect",
      mixinStandardHelpOptions = true,
      description = "Prints what the recovery directory DIR holds, without changing it.")
  static final class Inspect implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The recovery directory.")
    Path dir;

    @Override
    public Integer call() {
      RecoveryStore.Summary summary = RecoveryStore.summarize(dir);
      spec.commandLine()
          .getOut()
          .printf(
              "partitions=%d resume_epoch=%d snapshots=%d state_bytes=%d%n",
              summary.partitions(), summary.resumeEpoch(), summary.snapshots(), summary.stateBytes());
      summary.openToOthers().forEach(open -> spec.commandLine().getErr().println("wax: warning: " + open));
      return 0;
    }
  }
}
