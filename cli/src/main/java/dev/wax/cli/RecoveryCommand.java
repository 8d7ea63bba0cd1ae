package dev.wax.cli;

import dev.wax.engine.recovery.RecoveryStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code wax recovery init DIR COUNT}: what {@code python -m bytewax.recovery} does, without Python. */
@Command(
    name = "recovery",
    mixinStandardHelpOptions = true,
    description = "Manages recovery directories.",
    subcommands = {RecoveryCommand.Init.class})
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
}
