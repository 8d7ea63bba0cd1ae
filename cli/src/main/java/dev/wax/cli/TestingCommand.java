package dev.wax.cli;

import dev.wax.bridge.LocalCluster;
import dev.wax.engine.UsageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wax testing IMPORT_STR -p N -w M}: a local cluster of N processes on free loopback
 * ports, like {@code python -m bytewax.testing}; see {@link LocalCluster}.
 */
@Command(
    name = "testing",
    mixinStandardHelpOptions = true,
    description = "Runs a dataflow as a local cluster of processes, like `python -m bytewax.testing`.")
public final class TestingCommand implements Callable<Integer> {
  @Parameters(paramLabel = "IMPORT_STR", description = "Dataflow import string, as for `wax run`.")
  String importStr;

  @Option(
      names = {"-p", "--processes"},
      defaultValue = "1",
      description = "Number of separate processes to run.")
  int processes;

  @Option(
      names = {"-w", "--workers-per-process"},
      defaultValue = "1",
      description = "Number of workers for each process.")
  int workersPerProcess;

  @Option(
      names = {"-s", "--snapshot-interval"},
      description = "Seconds between state snapshots; also the epoch length.")
  Double snapshotInterval;

  @Override
  public Integer call() throws Exception {
    if (processes < 1) {
      throw new UsageException("-p/--processes must be at least 1; got " + processes);
    }
    if (workersPerProcess < 1) {
      throw new UsageException("-w/--workers-per-process must be at least 1; got " + workersPerProcess);
    }
    String addresses = String.join(";", LoopbackAddresses.free(processes));
    List<List<String>> commands = new ArrayList<>();
    for (int id = 0; id < processes; id++) {
      List<String> command = new ArrayList<>(List.of(launcher().toString(), "run", importStr));
      command.addAll(List.of("-w", String.valueOf(workersPerProcess), "-i", String.valueOf(id), "-a", addresses));
      if (snapshotInterval != null) {
        command.addAll(List.of("-s", String.valueOf(snapshotInterval)));
      }
      commands.add(command);
    }
    LocalCluster.Outcome outcome = LocalCluster.run(commands);
    return outcome.interrupted() ? 130 : outcome.status();
  }

  /** The {@code bin/wax} launcher this JVM was started by. */
  private static Path launcher() {
    return Path.of(System.getProperty("wax.home", ".")).resolve("bin/wax");
  }
}
