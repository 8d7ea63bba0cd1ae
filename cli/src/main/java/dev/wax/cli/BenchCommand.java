package dev.wax.cli;

import dev.wax.engine.api.Dataflow;
import dev.wax.engine.api.KV;
import dev.wax.engine.api.Sinks;
import dev.wax.engine.api.Sources;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wax bench}: the map/filter/count workload four ways in one run, plus startup time.
 * Figures are throughputs and ratios between ways measured in the same run, since machines are
 * noisy; nothing here is asserted.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks N integers -> map x*2 -> filter x % 3 != 0 -> count four ways:",
      "(a) Wax with Java functions, (b) Wax with Python lambdas (`wax python`),",
      "(c) CPython 3 plain loop with the same lambdas, (d) a plain Java loop;",
      "then the wall time of `wax run` on a one-item flow."
    })
public final class BenchCommand implements Callable<Integer> {
  private static final Pattern RUN_LINE =
      Pattern.compile("run=(\\d+) items=(\\d+) seconds=([0-9.]+) items_per_s=(\\d+) count=(\\d+)");
  private static final int BATCH_SIZE = 10_000;

  @Spec CommandSpec spec;

  @Option(names = "-n", defaultValue = "10000000", description = "Items per run (default ${DEFAULT-VALUE}).")
  int items;

  @Option(names = "--runs", defaultValue = "5", description = "Runs per way; the best counts (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--python", defaultValue = "python3", description = "The CPython to compare with.")
  String cpython;

  private PrintWriter out;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    Path home = Path.of(System.getProperty("wax.home", "."));
    long expected = expectedCount(items);
    out.printf("workload: %,d integers -> map x*2 -> filter x %% 3 != 0 -> count (expect %,d)%n", items, expected);
    out.printf("best of %d runs each; JVM %s%n%n", runs, System.getProperty("java.version"));

    double javaLoop = best(this::plainJavaLoop, expected);
    report("(d) plain Java loop", javaLoop, javaLoop, "d");
    double waxJava = best(this::waxJavaFlow, expected);
    report("(a) Wax, Java functions", waxJava, javaLoop, "d");
    List<double[]> py =
        childRuns(List.of(home.resolve("bin/wax").toString(), "python",
            home.resolve("examples/bench/map_filter_count.py").toString(), "" + items, "" + runs), expected);
    List<double[]> cp =
        childRuns(List.of(cpython, home.resolve("examples/bench/map_filter_count_cpython.py").toString(),
            "" + items, "" + runs), expected);
    double cpythonBest = bestOf(cp);
    report("(c) CPython plain loop", cpythonBest, cpythonBest, "c");
    report("(b) Wax, Python lambdas, first run", py.get(0)[0], cpythonBest, "c");
    report("(b) Wax, Python lambdas, best warm run", bestOf(py.subList(1, py.size())), cpythonBest, "c");
    out.printf("%n(a)/(d) = %.2f   (b warm)/(c) = %.2f%n",
        waxJava / javaLoop, bestOf(py.subList(1, py.size())) / cpythonBest);
    startup(home);
    return 0;
  }

  private static long expectedCount(int n) {
    long count = 0;
    for (long x = 0; x < n; x++) {
      if ((x * 2) % 3 != 0) {
        count++;
      }
    }
    return count;
  }

  private void report(String name, double itemsPerSecond, double baseline, String baselineName) {
    out.printf("%-40s %,14.0f items/s   %6.2fx (%s)%n", name, itemsPerSecond, itemsPerSecond / baseline, baselineName);
    out.flush();
  }

  private interface Workload {
    long run();
  }

  /** Best items/s over the runs; each run must produce the expected count. */
  private double best(Workload workload, long expected) {
    double best = 0;
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      long count = workload.run();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (count != expected) {
        throw new IllegalStateException("wrong count " + count + ", expected " + expected);
      }
      best = Math.max(best, items / seconds);
    }
    return best;
  }

  private long plainJavaLoop() {
    IntUnaryOperator twice = x -> x * 2;
    IntPredicate keep = x -> x % 3 != 0;
    Function<Integer, String> key = x -> "ALL";
    Map<String, Long> counts = new HashMap<>();
    for (int x = 0; x < items; x++) {
      int y = twice.applyAsInt(x);
      if (keep.test(y)) {
        counts.merge(key.apply(y), 1L, Long::sum);
      }
    }
    return counts.get("ALL");
  }

  private long waxJavaFlow() {
    List<Object> result = new ArrayList<>();
    Dataflow flow = new Dataflow("bench");
    flow.<Integer>input("inp", Sources.of(range(items), BATCH_SIZE))
        .map("double", x -> x * 2)
        .filter("keep", x -> x % 3 != 0)
        .countFinal("count", x -> "ALL")
        .output("out", Sinks.collect(result));
    flow.run();
    return (Long) ((KV<?>) result.get(0)).value();
  }

  private static Iterable<Integer> range(int n) {
    return () ->
        new Iterator<>() {
          int next = 0;

          @Override
          public boolean hasNext() {
            return next < n;
          }

          @Override
          public Integer next() {
            return next++;
          }
        };
  }

  /** Runs a child that prints one RUN_LINE per run; returns items/s per run. */
  private List<double[]> childRuns(List<String> command, long expected) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    List<double[]> results = new ArrayList<>();
    Matcher m = RUN_LINE.matcher(output);
    while (m.find()) {
      if (Long.parseLong(m.group(5)) != expected) {
        throw new IllegalStateException("wrong count from " + command + ":\n" + output);
      }
      results.add(new double[] {Double.parseDouble(m.group(4))});
    }
    if (exit != 0 || results.isEmpty()) {
      throw new IllegalStateException(String.join(" ", command) + " failed (exit " + exit + "):\n" + output);
    }
    return results;
  }

  private static double bestOf(List<double[]> runs) {
    return runs.stream().mapToDouble(r -> r[0]).max().orElse(0);
  }

  private void startup(Path home) throws IOException, InterruptedException {
    List<String> command =
        List.of(home.resolve("bin/wax").toString(), "run", home.resolve("examples/bench/one_item.py").toString());
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      // stderr (e.g. "building Wax") goes to ours; only the flow's stdout is checked.
      Process process =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0 || !output.equals("1\n")) {
        throw new IllegalStateException("one-item flow failed:\n" + output);
      }
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
    }
    out.printf("%nstartup: `wax run examples/bench/one_item.py` best of 3: %.2f s wall%n", best);
    out.flush();
  }
}
