package dev.wax.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code wax bench --workload startup} and {@code --workload warmup}: what a user sees in the
 * first seconds of a process. Start-up is the wall time of {@code wax run} on a one-item flow,
 * each way Wax can start, beside CPython starting {@code print(1)}; warm-up is the items per
 * second of each of the first seconds of a long run, beside the CPython loop.
 */
final class StartupBench {
  private static final int STARTS = 5;
  private static final Pattern SECOND = Pattern.compile("second=(\\d+) items=(\\d+)");
  private static final Pattern TOTALS = Pattern.compile("emitted=(\\d+) count=(\\d+)");

  private final PrintWriter out;
  private final Path home;
  private final String cpython;

  StartupBench(PrintWriter out, Path home, String cpython) {
    this.out = out;
    this.home = home;
    this.cpython = cpython;
  }

  void startup() throws IOException, InterruptedException {
    String flow = home.resolve("examples/bench/one_item.py").toString();
    List<String> waxRun = List.of(home.resolve("bin/wax").toString(), "run", flow);
    out.printf("%nstartup: wall time of `wax run examples/bench/one_item.py`, median of %d%n", STARTS);
    double baseline = median(List.of(cpython, "-c", "print(1)"), Map.of(), "1\n");
    line("(c) CPython, `python3 -c 'print(1)'`", baseline, baseline);
    line("Wax, own JVM, optimizing runtime", median(waxRun, Map.of("WAX_DAEMON", "0"), "1\n"), baseline);
    line("Wax, own JVM, interpreted",
        median(waxRun, Map.of("WAX_DAEMON", "0", "WAX_RUNTIME", "interpreted"), "1\n"), baseline);

    // A background process of its own (the tag changes its JVM options), started by the first run.
    try (BenchDaemon daemon = new BenchDaemon()) {
      line("Wax, first run, starting the background process", time(waxRun, daemon.env(), "1\n"), baseline);
      line("Wax, next runs, warm background process", median(waxRun, daemon.env(), "1\n"), baseline);
      firstOutputAndCtrlC(daemon.env(), baseline);
    }
    out.flush();
  }

  /** As Bytewax's own test does: the first output line of an endless flow, then SIGINT. */
  private void firstOutputAndCtrlC(Map<String, String> env, double baseline)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(home.resolve("bin/wax-python").toString(), "-m", "bytewax.run",
            home.resolve("tests/flows/endless.py").toString());
    builder.environment().putAll(env);
    long start = System.nanoTime();
    Process process = builder.redirectError(ProcessBuilder.Redirect.DISCARD).start();
    BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    if (lines.readLine() == null) {
      throw new IllegalStateException("the endless flow printed nothing");
    }
    double first = (System.nanoTime() - start) / 1e9;
    long signalled = System.nanoTime();
    new ProcessBuilder("kill", "-s", "INT", "" + process.pid()).start().waitFor();
    lines.transferTo(java.io.Writer.nullWriter());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 130) {
      process.destroyForcibly();
      throw new IllegalStateException("the endless flow did not stop on SIGINT with status 130");
    }
    line("Wax, `wax-python -m bytewax.run`: first output", first, baseline);
    out.printf("%-52s %6.2f s%n", "    then SIGINT until it exited (status 130)", (System.nanoTime() - signalled) / 1e9);
  }

  void warmup(int seconds) throws IOException, InterruptedException {
    for (String workload : List.of("map", "window")) {
      out.printf("%nwarm-up, workload %s: items per second in each second of one %d-second run%n", workload, seconds);
      out.printf("(b) Wax, `wax python examples/bench/warmup.py` in its own JVM, optimizing runtime%n");
      out.printf("(c) CPython, `examples/bench/warmup_cpython.py`, the same lambdas in a loop%n");
      long[] wax = perSecond(List.of(home.resolve("bin/wax").toString(), "python",
          home.resolve("examples/bench/warmup.py").toString(), workload, "" + seconds), workload);
      long[] loop = perSecond(List.of(cpython, home.resolve("examples/bench/warmup_cpython.py").toString(),
          workload, "" + seconds), workload);
      out.printf("%6s %14s %14s %8s%n", "second", "(b) items/s", "(c) items/s", "(b)/(c)");
      int passed = 0;
      for (int s = 0; s < Math.min(wax.length, loop.length); s++) {
        out.printf("%6d %,14d %,14d %8.2f%n", s + 1, wax[s], loop[s], (double) wax[s] / loop[s]);
        if (wax[s] < loop[s]) {
          passed = 0;
        } else if (passed == 0) {
          passed = s + 1;
        }
      }
      out.printf(passed == 0 ? "Wax stays below the CPython loop%n"
          : "Wax is at or above the CPython loop from second %d on%n", passed);
      out.flush();
    }
  }

  /** Items per second of a warm-up child, after checking it counted every item it emitted. */
  private long[] perSecond(List<String> command, String workload) throws IOException, InterruptedException {
    String output = run(command, Map.of("WAX_DAEMON", "0"));
    List<Long> counts = new ArrayList<>();
    Matcher m = SECOND.matcher(output);
    while (m.find()) {
      counts.add(Long.parseLong(m.group(2)));
    }
    Matcher totals = TOTALS.matcher(output);
    if (!totals.find()) {
      throw new IllegalStateException(String.join(" ", command) + " printed no totals:\n" + output);
    }
    long emitted = Long.parseLong(totals.group(1));
    long expected = workload.equals("map") ? emitted - (emitted + 2) / 3 : emitted;
    if (Long.parseLong(totals.group(2)) != expected) {
      throw new IllegalStateException("counted " + totals.group(2) + " of " + expected + ":\n" + output);
    }
    return counts.stream().mapToLong(Long::longValue).toArray();
  }

  private void line(String name, double seconds, double baseline) {
    out.printf("%-52s %6.2f s   %6.1fx (c)%n", name, seconds, seconds / baseline);
    out.flush();
  }

  private double median(List<String> command, Map<String, String> env, String expected)
      throws IOException, InterruptedException {
    double[] walls = new double[STARTS];
    for (int i = 0; i < STARTS; i++) {
      walls[i] = time(command, env, expected);
    }
    Arrays.sort(walls);
    return walls[STARTS / 2];
  }

  private double time(List<String> command, Map<String, String> env, String expected)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    String output = run(command, env);
    if (!output.equals(expected)) {
      throw new IllegalStateException(String.join(" ", command) + " printed:\n" + output);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** The child's standard output; its errors (e.g. "building Wax") go to ours. */
  private static String run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
    }
    return output;
  }
}
