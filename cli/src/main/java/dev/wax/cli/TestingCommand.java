package dev.wax.cli;

import dev.wax.engine.UsageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wax testing IMPORT_STR -p N -w M}: a local cluster of N processes on free loopback
 * ports, like {@code python -m bytewax.testing}. It waits for all of them; once one fails, the
 * others get a short grace period to stop on their own before they are killed.
 */
@Command(
    name = "testing",
    mixinStandardHelpOptions = true,
    description = "Runs a dataflow as a local cluster of processes, like `python -m bytewax.testing`.")
public final class TestingCommand implements Callable<Integer> {
  /** How long the others may take to stop after one process failed. */
  private static final long GRACE_SECONDS = 15;

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
    List<Process> started = new ArrayList<>();
    for (int id = 0; id < processes; id++) {
      List<String> command = new ArrayList<>(List.of(launcher().toString(), "run", importStr));
      command.addAll(List.of("-w", String.valueOf(workersPerProcess), "-i", String.valueOf(id), "-a", addresses));
      if (snapshotInterval != null) {
        command.addAll(List.of("-s", String.valueOf(snapshotInterval)));
      }
      started.add(new ProcessBuilder(command).inheritIO().start());
    }
    return awaitAll(started);
  }

  private static int awaitAll(List<Process> started) throws InterruptedException {
    int status = 0;
    long graceDeadline = Long.MAX_VALUE;
    List<Process> running = new ArrayList<>(started);
    while (!running.isEmpty()) {
      for (Process process : List.copyOf(running)) {
        if (process.waitFor(50, TimeUnit.MILLISECONDS)) {
          running.remove(process);
          if (process.exitValue() != 0 && status == 0) {
            status = process.exitValue();
            graceDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
          }
        }
      }
      if (System.nanoTime() - graceDeadline > 0) {
        running.forEach(Process::destroyForcibly);
        System.err.println("wax: killed " + running.size() + " process(es) that did not stop after a failure");
        graceDeadline = Long.MAX_VALUE;
      }
    }
    return status;
  }

  /** The {@code bin/wax} launcher this JVM was started by. */
  private static Path launcher() {
    return Path.of(System.getProperty("wax.home", ".")).resolve("bin/wax");
  }
}
