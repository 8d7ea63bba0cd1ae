package dev.wax.cli;

import dev.wax.bridge.PythonPrograms;
import dev.wax.bridge.PythonRuntime;
import dev.wax.engine.ProcessEnv;
import dev.wax.engine.UsageException;
import dev.wax.engine.cluster.ClusterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wax run IMPORT_STR}: the flags and environment variables of {@code python -m
 * bytewax.run}.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Runs a Bytewax dataflow, like `python -m bytewax.run`.",
    defaultValueProvider = RunCommand.EnvironmentDefaults.class)
public final class RunCommand implements Callable<Integer> {
  /** Options Bytewax also reads from environment variables, as its `bytewax.run` does. */
  static final class EnvironmentDefaults implements IDefaultValueProvider {
    private static final Map<String, String> VARIABLES =
        Map.of(
            "--workers-per-process", "BYTEWAX_WORKERS_PER_PROCESS",
            "--process-id", "BYTEWAX_PROCESS_ID",
            "--addresses", "BYTEWAX_ADDRESSES",
            "--recovery-directory", "BYTEWAX_RECOVERY_DIRECTORY",
            "--snapshot-interval", "BYTEWAX_SNAPSHOT_INTERVAL",
            "--backup-interval", "BYTEWAX_RECOVERY_BACKUP_INTERVAL");

    @Override
    public String defaultValue(ArgSpec arg) {
      String variable = arg instanceof OptionSpec option ? VARIABLES.get(option.longestName()) : null;
      return variable == null ? null : ProcessEnv.get(variable);
    }
  }

  @Parameters(
      paramLabel = "IMPORT_STR",
      description = {
        "Dataflow import string: path/to/flow.py, module, module:attr or",
        "module:factory('literal', 2); the default attribute is `flow`."
      })
  String importStr;

  @Option(
      names = {"-w", "--workers-per-process"},
      defaultValue = "1",
      description = "Number of workers for each process [env: BYTEWAX_WORKERS_PER_PROCESS].")
  int workersPerProcess;

  @Option(
      names = {"-i", "--process-id"},
      description = "Process id [env: BYTEWAX_PROCESS_ID, or n of BYTEWAX_POD_NAME <BYTEWAX_STATEFULSET_NAME>-n].")
  Integer processId;

  @Option(
      names = {"-a", "--addresses"},
      description = {
        "Addresses of all processes, separated by semicolons: \"host:port;host:port\"",
        "[env: BYTEWAX_ADDRESSES; with a process id, one per line in the file BYTEWAX_HOSTFILE_PATH]."
      })
  String addresses;

  @Option(
      names = {"-r", "--recovery-directory"},
      description = "Directory of pre-initialized recovery partitions [env: BYTEWAX_RECOVERY_DIRECTORY].")
  Path recoveryDirectory;

  @Option(
      names = {"-s", "--snapshot-interval"},
      description = "Seconds between state snapshots; also the epoch length [env: BYTEWAX_SNAPSHOT_INTERVAL].")
  Double snapshotInterval;

  @Option(
      names = {"-b", "--backup-interval"},
      description = "Seconds to keep older snapshots [env: BYTEWAX_RECOVERY_BACKUP_INTERVAL].")
  Double backupInterval;

  @Override
  public Integer call() throws Exception {
    checkOptions();
    // As in Bytewax, a negative interval has always passed: epochs close as with a zero one.
    double epochSeconds = snapshotInterval != null ? Math.max(0, snapshotInterval) : 10.0;
    try (PythonRuntime runtime = PythonRuntime.start()) {
      return new PythonPrograms(runtime)
          .runFlow(
              importStr,
              epochSeconds,
              workersPerProcess,
              cluster(),
              recoveryDirectory == null ? null : ProcessEnv.resolve(recoveryDirectory),
              backupInterval == null ? 0 : backupInterval);
    }
  }

  /**
   * The cluster {@code -a} and {@code -i} describe, or null to run alone. {@code
   * WAX_CONNECT_TIMEOUT} (seconds) bounds how long to wait for the other processes.
   */
  private ClusterConfig cluster() {
    if (addresses == null || addresses.isBlank()) {
      return null;
    }
    return ClusterConfig.fromEnvironment(List.of(addresses.split(";")), processId == null ? 0 : processId);
  }

  /** Validates the options. */
  private void checkOptions() throws Exception {
    // As on Bytewax's Kubernetes deployments: pod `<stateful set>-<n>` is process n, and a process
    // given no addresses reads them from the host file, one per line.
    String pod = ProcessEnv.get("BYTEWAX_POD_NAME");
    String statefulSet = ProcessEnv.get("BYTEWAX_STATEFULSET_NAME");
    if (processId == null && pod != null && statefulSet != null) {
      processId = Integer.parseInt(pod.replace(statefulSet + "-", ""));
    }
    String hostfile = ProcessEnv.get("BYTEWAX_HOSTFILE_PATH");
    if (processId != null && addresses == null && hostfile != null) {
      addresses =
          Files.readAllLines(ProcessEnv.resolve(Path.of(hostfile))).stream()
              .map(String::strip)
              .filter(line -> !line.isEmpty())
              .collect(Collectors.joining(";"));
    }
    if (processId != null && addresses == null) {
      throw new UsageException("the addresses option is required if a process_id is passed");
    }
    if (recoveryDirectory != null && (snapshotInterval == null || backupInterval == null)) {
      throw new UsageException(
          "when running with recovery, the `-s/--snapshot_interval` and `-b/--backup_interval` "
              + "values must be set");
    }
    if (workersPerProcess < 1) {
      throw new UsageException("-w/--workers-per-process must be at least 1; got " + workersPerProcess);
    }
    if (backupInterval != null && backupInterval < 0) {
      throw new UsageException("-b/--backup-interval can't be negative; got " + backupInterval);
    }
  }
}
