package dev.wax.cli;

import dev.wax.bridge.PythonPrograms;
import dev.wax.bridge.PythonRuntime;
import dev.wax.engine.api.Dataflow;
import dev.wax.engine.api.KV;
import dev.wax.engine.api.Sinks;
import dev.wax.engine.api.Sources;
import dev.wax.engine.api.Windowed;
import dev.wax.engine.cluster.ClusterConfig;
import dev.wax.engine.io.DynamicSink;
import dev.wax.engine.io.FixedPartitionedSource;
import dev.wax.engine.io.SourcePartition;
import dev.wax.engine.recovery.RecoveryStore;
import dev.wax.engine.runtime.RunOptions;
import dev.wax.engine.window.EventClockSpec;
import dev.wax.engine.window.SessionWindowerSpec;
import dev.wax.engine.window.SlidingWindowerSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
      "Runs each workload four ways: (a) Wax with Java functions, (b) Wax with Python",
      "lambdas (`wax python`), (c) CPython 3 with a plain loop and the same lambdas,",
      "(d) a plain Java loop. Workload map: N integers -> map x*2 -> filter x %% 3 != 0",
      "-> count. Workload window:",
      "events with 1,000 keys counted per key in 10-second tumbling windows, then the",
      "memory of 1,000,000 keys' short sessions. Workload parallel: both Python flows on -w 1,",
      "-w 2 and 2 processes x 1 worker, as ratios to -w 1."
    })
public final class BenchCommand implements Callable<Integer> {
  private static final Pattern RUN_LINE =
      Pattern.compile("run=(\\d+) items=(\\d+) seconds=([0-9.]+) items_per_s=(\\d+) count=(\\d+)");
  /** How many commands in a row the background-process figures run. */
  private static final int COMMANDS = 5;
  private static final Pattern MAX_RSS = Pattern.compile("maxrss_kb=(\\d+)");
  private static final long MS = 1_000L;
  private static final long WINDOW_MICROS = 10_000_000L;
  private static final int BATCH_SIZE = 10_000;

  @Spec CommandSpec spec;

  @Option(names = "-n", defaultValue = "10000000", description = "Items per run (default ${DEFAULT-VALUE}).")
  int items;

  @Option(names = "--runs", defaultValue = "5", description = "Runs per way; the best counts (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--python", defaultValue = "python3", description = "The CPython to compare with.")
  String cpython;

  @Option(
      names = "--workload",
      defaultValue = "all",
      description =
          "map (map/filter/count), window (windowed count, session memory), startup (`wax run`"
              + " of one item, each way Wax starts), warmup (items per second in each second of"
              + " both workloads' first minute), parallel (both"
              + " with Python functions on 1 and 2 workers and 2 processes), recovery (windowed"
              + " count with recovery off and on, resume time), kafka (Kafka to Kafka through"
              + " Python JSON, against a Java loop on the same broker) or all.")
  String workload;

  @Option(names = "--resume-keys", defaultValue = "1000000", description = "Keys whose state the recovery workload resumes from (default ${DEFAULT-VALUE}).")
  int resumeKeys;

  @Option(names = "--window-events", defaultValue = "10000000", description = "Events of the windowed count (default ${DEFAULT-VALUE}).")
  int windowEvents;

  @Option(names = "--kafka-records", defaultValue = "1000000", description = "Records of the Kafka workload (default ${DEFAULT-VALUE}).")
  int kafkaRecords;

  @Option(names = "--warmup-seconds", defaultValue = "60", description = "Length of the warm-up runs (default ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(names = "--parallel-runs", defaultValue = "30", description = "Runs of each parallel configuration (default ${DEFAULT-VALUE}).")
  int parallelRuns;

  /** PROCESS_ID,WORKERS,ADDRESSES,SCRIPT,WORKLOAD,N,RUNS of one process {@link #launch} starts. */
  @Option(names = "--child", hidden = true)
  String child;

  private PrintWriter out;
  private long lastRssKb;

  @Override
  public Integer call() throws Exception {
    if (child != null) {
      return child();
    }
    out = spec.commandLine().getOut();
    Path home = Path.of(System.getProperty("wax.home", "."));
    out.printf("best of %d runs each; JVM %s%n", runs, System.getProperty("java.version"));
    if (workload.equals("map") || workload.equals("all")) {
      mapFilterCount(home);
    }
    StartupBench firstSeconds = new StartupBench(out, home, cpython);
    if (workload.equals("startup") || workload.equals("all")) {
      firstSeconds.startup();
    }
    if (workload.equals("warmup") || workload.equals("all")) {
      firstSeconds.warmup(warmupSeconds);
    }
    if (workload.equals("window") || workload.equals("all")) {
      windowedCount(home);
      sessionMemory();
    }
    if (workload.equals("parallel") || workload.equals("all")) {
      parallel(home);
    }
    if (workload.equals("recovery") || workload.equals("all")) {
      recovery(home);
    }
    if (workload.equals("kafka") || workload.equals("all")) {
      new KafkaBench(out, kafkaRecords, runs).run(home, command -> childRuns(command, kafkaRecords));
    }
    return 0;
  }

  private static final Pattern RECOVERY_LINE =
      Pattern.compile("mode=(on|off) run=(\\d+) seconds=([0-9.]+) items_per_s=(\\d+)(?: db=(\\S+))?");
  private static final Pattern RESUME_LINE = Pattern.compile("resume keys=(\\d+) seconds=([0-9.]+)");

  /**
   * The windowed count with recovery off and on (1-second epochs), alternating in one Python
   * program so both are equally warm; then the time to resume from {@code --resume-keys} keys'
   * state.
   */
  private void recovery(Path home) throws Exception {
    out.printf("%nrecovery: windowed count, %,d events, 1-second epochs, recovery off vs on (runs alternate)%n",
        windowEvents);
    List<String> command =
        List.of(home.resolve("bin/wax").toString(), "python", home.resolve("examples/bench/recovery.py").toString(),
            "" + windowEvents, "" + runs, "" + resumeKeys);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("WAX_DAEMON", "0");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
    }
    double off = 0;
    double on = 0;
    Matcher m = RECOVERY_LINE.matcher(output);
    while (m.find()) {
      double perSecond = Double.parseDouble(m.group(4));
      boolean first = m.group(2).equals("1");
      String snapshots = "";
      if (m.group(5) != null) {
        // The run kept every snapshot: what it stored is what it wrote.
        Path db = Path.of(m.group(5));
        RecoveryStore.Summary summary = RecoveryStore.summarize(db);
        long epochs = summary.resumeEpoch() - 1;
        snapshots = String.format(", %,d epochs, %,d snapshots, %,d state bytes per epoch",
            epochs, summary.snapshots() / epochs, summary.stateBytes() / epochs);
        Directories.deleteTree(db);
      }
      out.printf("    recovery %-3s run %s: %,.0f events/s%s%n", m.group(1), m.group(2), perSecond, snapshots);
      if (!first && m.group(1).equals("off")) {
        off = Math.max(off, perSecond);
      } else if (!first) {
        on = Math.max(on, perSecond);
      }
    }
    out.printf("best warm run: off %,.0f events/s, on %,.0f events/s: recovery costs %.0f%% of throughput%n",
        off, on, 100 * (1 - on / off));
    Matcher resume = RESUME_LINE.matcher(output);
    if (resume.find()) {
      out.printf("resume from %,d keys' state, until the first new item is written: %s s%n", Long.parseLong(resume.group(1)), resume.group(2));
    }
    out.flush();
  }

  private void mapFilterCount(Path home) throws Exception {
    long expected = expectedCount(items);
    out.printf("%nworkload: %,d integers -> map x*2 -> filter x %% 3 != 0 -> count (expect %,d)%n", items, expected);
    double javaLoop = best(this::plainJavaLoop, expected, items);
    report("(d) plain Java loop", javaLoop, javaLoop, "d");
    double waxJava = best(this::waxJavaFlow, expected, items);
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
    firstRunsOnBackgroundProcess(
        List.of(home.resolve("bin/wax").toString(), "python",
            home.resolve("examples/bench/map_filter_count.py").toString(), "" + items, "1"),
        expected, cpythonBest);
    out.printf("(a)/(d) = %.2f   (b warm)/(c) = %.2f%n",
        waxJava / javaLoop, bestOf(py.subList(1, py.size())) / cpythonBest);
  }

  /** The windowed-count workload: 1,000 keys, event time i ms, 10 s tumbling windows. */
  private void windowedCount(Path home) throws Exception {
    int n = windowEvents;
    out.printf("%nworkload: %,d events, 1,000 keys, event time i ms, 10 s tumbling windows, count "
        + "(expect %,d windows summing to %,d)%n", n, (long) n / 10_000 * 1000, n);
    double javaLoop = best(() -> windowJavaLoop(n), n, n);
    report("(d) plain Java loop, hash maps", javaLoop, javaLoop, "d");
    double waxJava = best(() -> windowWaxJava(n), n, n);
    report("(a) Wax, Java functions", waxJava, javaLoop, "d");
    out.printf("    peak RSS of this JVM so far: %,d MB%n", peakRssKb() / 1024);
    List<double[]> cp =
        childRuns(timed(List.of(cpython, home.resolve("examples/bench/window_count_cpython.py").toString(),
            "" + n, "" + runs)), n);
    double cpythonBest = bestOf(cp);
    report("(c) CPython dict loop, same lambdas", cpythonBest, cpythonBest, "c");
    out.printf("    peak RSS: %,d MB%n", lastRssKb / 1024);
    List<double[]> py =
        childRuns(timed(List.of(home.resolve("bin/wax").toString(), "python",
            home.resolve("examples/bench/window_count.py").toString(), "" + n, "" + runs)), n);
    report("(b) Wax, Python flow, first run", py.get(0)[0], cpythonBest, "c");
    double warm = py.size() > 1 ? bestOf(py.subList(1, py.size())) : py.get(0)[0];
    report("(b) Wax, Python flow, best warm run", warm, cpythonBest, "c");
    out.printf("    peak RSS: %,d MB%n", lastRssKb / 1024);
    firstRunsOnBackgroundProcess(
        List.of(home.resolve("bin/wax").toString(), "python",
            home.resolve("examples/bench/window_count.py").toString(), "" + n, "1"),
        n, cpythonBest);
    out.printf("(a)/(d) = %.2f   (b warm)/(c) = %.2f%n", waxJava / javaLoop, warm / cpythonBest);
  }

  /**
   * The windowed count and the map/filter/count with Python functions on one worker, two workers
   * (one Context each) and two processes of one worker. Each configuration runs in JVMs of its
   * own, as {@code wax run} would, and runs its workload many times in the same Contexts: on two
   * cores the JIT compiles for minutes on the core a second worker needs, so early runs measure
   * the compiler more than the engine. Each run's time excludes starting Python.
   */
  private void parallel(Path home) throws Exception {
    String script = home.resolve("examples/bench/parallel.py").toString();
    out.printf(
        "%nparallel workers, Python flows, each configuration in its own JVM(s), %d runs: best run,"
            + " and median of the later half%n",
        parallelRuns);
    parallelWorkload(script, "window", String.format("windowed count, %,d events", windowEvents),
        windowEvents, windowEvents);
    parallelWorkload(script, "map", String.format("map/filter/count, %,d integers", items),
        items, expectedCount(items));
  }

  private void parallelWorkload(String script, String workload, String name, long n, long expected)
      throws Exception {
    out.printf("workload: %s, source in 2 partitions%n", name);
    out.flush();
    double[] one = null;
    for (int[] config : new int[][] {{1, 1}, {1, 2}, {2, 1}}) {
      int processes = config[0];
      int workers = config[1];
      double[] perRun = launch(script, workload, processes, workers, n, expected);
      double best = Arrays.stream(perRun).max().orElse(0);
      double[] later = Arrays.copyOfRange(perRun, perRun.length / 2, perRun.length);
      Arrays.sort(later);
      double median = later[later.length / 2];
      if (one == null) {
        one = new double[] {best, median};
      }
      String label = processes == 1 ? "-w " + workers + ", 1 process" : processes + " processes x -w " + workers;
      report("    " + label + ", best", best, one[0], "-w 1");
      report("    " + label + ", median", median, one[1], "-w 1");
    }
  }

  private static final Pattern BENCH_LINE =
      Pattern.compile("bench run=(\\d+) (start|end)=([0-9.]+)(?: count=(\\d+))?");

  /**
   * Starts the processes of one configuration ({@code wax bench --child}), each running the
   * workload program {@link #parallelRuns} times on its workers; items/s of each run, from the
   * first partition's start to the last sink's close.
   */
  private double[] launch(
      String script, String workload, int processes, int workers, long n, long expected)
      throws Exception {
    List<String> addresses = processes == 1 ? List.of() : LoopbackAddresses.free(processes);
    List<Process> started = new ArrayList<>();
    List<Path> outputs = new ArrayList<>();
    try {
      for (int p = 0; p < processes; p++) {
        Path output = Files.createTempFile("wax-bench-", ".out");
        outputs.add(output);
        String child = String.join(",", String.valueOf(p), String.valueOf(workers), String.join(";", addresses),
            script, workload, String.valueOf(n), String.valueOf(parallelRuns));
        started.add(
            new ProcessBuilder(sameJvm("bench", "--child", child))
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start());
      }
      for (Process process : started) {
        if (process.waitFor() != 0) {
          throw new IllegalStateException(
              "a process of " + processes + " x -w " + workers + " running " + script + " failed");
        }
      }
      return runThroughputs(outputs, n, expected);
    } finally {
      started.forEach(Process::destroyForcibly);
      for (Path output : outputs) {
        Files.deleteIfExists(output);
      }
    }
  }

  /** A command line starting this JVM again (same Java, flags and class path) with {@code args}. */
  private static List<String> sameJvm(String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

  private double[] runThroughputs(List<Path> outputs, long n, long expected) throws IOException {
    double[] start = new double[parallelRuns];
    double[] end = new double[parallelRuns];
    long[] count = new long[parallelRuns];
    Arrays.fill(start, Double.MAX_VALUE);
    for (Path output : outputs) {
      for (String line : Files.readAllLines(output)) {
        Matcher m = BENCH_LINE.matcher(line);
        if (m.matches()) {
          int run = Integer.parseInt(m.group(1));
          double at = Double.parseDouble(m.group(3));
          if (m.group(2).equals("start")) {
            start[run] = Math.min(start[run], at);
          } else {
            end[run] = Math.max(end[run], at);
            count[run] += Long.parseLong(m.group(4));
          }
        }
      }
    }
    double[] perRun = new double[parallelRuns];
    int late = 0;
    for (int run = 0; run < parallelRuns; run++) {
      if (count[run] != expected) {
        late++;
      }
      perRun[run] = n / (end[run] - start[run]);
    }
    if (late > 0) {
      // Event-time windows with no wait: a long pause (JIT, GC) makes later items late.
      out.printf("    note: %d of %d runs counted fewer than %,d; the rest arrived late%n", late, parallelRuns, expected);
    }
    return perRun;
  }

  /** {@code --child}: this JVM is one process of a configuration {@link #launch} started. */
  private int child() {
    String[] parts = child.split(",", -1);
    int processId = Integer.parseInt(parts[0]);
    int workers = Integer.parseInt(parts[1]);
    ClusterConfig cluster =
        parts[2].isEmpty()
            ? null
            : ClusterConfig.fromEnvironment(List.of(parts[2].split(";")), processId);
    String[] args = {parts[3], parts[4], parts[5], parts[6], "2"};
    try (PythonRuntime runtime = PythonRuntime.start()) {
      return new PythonPrograms(runtime, System.out, System.err).pythonOnWorkers(args, workers, cluster);
    }
  }

  private static String key(long i) {
    return Long.toString(((i * 2654435761L) >> 16) % 1000);
  }

  private long windowJavaLoop(int n) {
    Map<String, Map<Long, Long>> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      long window = i * MS / WINDOW_MICROS;
      counts.computeIfAbsent(key(i), k -> new HashMap<>()).merge(window, 1L, Long::sum);
    }
    long total = 0;
    long windows = 0;
    for (Map<Long, Long> perKey : counts.values()) {
      windows += perKey.size();
      for (long c : perKey.values()) {
        total += c;
      }
    }
    checkWindows(windows, n);
    return total;
  }

  private long windowWaxJava(int n) {
    long[] totals = new long[2];
    Dataflow flow = new Dataflow("window_count");
    flow.<Integer>input("inp", Sources.of(range(n), BATCH_SIZE))
        .keyOn("key", i -> key(i))
        .countWindow(
            "count",
            new EventClockSpec(values -> timestampsMillis(values), 0),
            SlidingWindowerSpec.tumbling(WINDOW_MICROS, 0))
        .down()
        .output(
            "out",
            (DynamicSink)
                (stepId, worker, workers) ->
                    batch -> {
                      for (Object item : batch) {
                        totals[0]++;
                        totals[1] += (Long) ((Windowed<?>) ((KV<?>) item).value()).value();
                      }
                    });
    flow.run();
    checkWindows(totals[0], n);
    return totals[1];
  }

  private static long[] timestampsMillis(List<Object> values) {
    long[] ts = new long[values.size()];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = (Integer) values.get(i) * MS;
    }
    return ts;
  }

  private static void checkWindows(long windows, int n) {
    if (windows != (long) n / 10_000 * 1000) {
      throw new IllegalStateException("wrong window count " + windows);
    }
  }

  /**
   * One million keys with one item each, session gap 1 s: the items' sessions close by the
   * watermark before EOF, and the window step's key state goes back to zero.
   */
  private void sessionMemory() {
    int keys = 1_000_000;
    List<Long> liveAtEpochClose = new ArrayList<>();
    Dataflow flow = new Dataflow("sessions");
    flow.<Integer>input("inp", pausedRange(keys, Duration.ofSeconds(3)))
        .keyOn("key", i -> "k" + i)
        .countWindow(
            "count", new EventClockSpec(values -> new long[values.size()], 0), new SessionWindowerSpec(1_000_000L))
        .down()
        .output("out", (DynamicSink) (stepId, worker, workers) -> batch -> {});
    flow.run(
        RunOptions.defaults()
            .withEpochInterval(Duration.ofMillis(500))
            .withEpochListener((epoch, live) -> liveAtEpochClose.add(live)));
    long peak = liveAtEpochClose.stream().mapToLong(Long::longValue).max().orElse(0);
    long beforeEof = liveAtEpochClose.get(Math.max(0, liveAtEpochClose.size() - 2));
    // As in Bytewax, a key keeps its clock and session ids after its sessions close.
    out.printf("%nsessions: %,d keys with one short session each: peak live window keys %,d, "
        + "live keys once their sessions closed (last epoch before EOF) %,d; peak RSS %,d MB%n",
        keys, peak, beforeEof, peakRssKb() / 1024);
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

  /** Best items/s over the runs of {@code n} items; each run must produce the expected count. */
  private double best(Workload workload, long expected, int n) {
    double best = 0;
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      long count = workload.run();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (count != expected) {
        throw new IllegalStateException("wrong count " + count + ", expected " + expected);
      }
      best = Math.max(best, n / seconds);
    }
    return best;
  }

  /** The integers 0..n-1 in batches, then a pause of {@code pause}, then EOF. */
  private static FixedPartitionedSource pausedRange(int n, Duration pause) {
    return new FixedPartitionedSource() {
      @Override
      public List<String> listParts() {
        return List.of("range");
      }

      @Override
      public SourcePartition buildPart(String stepId, String partKey, Object resumeState) {
        return new SourcePartition() {
          int next;
          Instant awake;

          @Override
          public List<Object> nextBatch() {
            if (next >= n) {
              if (awake != null) {
                return null;
              }
              awake = Instant.now().plus(pause);
              return List.of();
            }
            List<Object> batch = new ArrayList<>(BATCH_SIZE);
            for (int i = 0; i < BATCH_SIZE && next < n; i++) {
              batch.add(next++);
            }
            return batch;
          }

          @Override
          public Instant nextAwake() {
            return awake;
          }
        };
      }
    };
  }

  /** Runs a command under /usr/bin/time (when present) so its peak RSS can be read. */
  private static List<String> timed(List<String> command) {
    if (!Files.isExecutable(Path.of("/usr/bin/time"))) {
      return command;
    }
    List<String> timedCommand = new ArrayList<>(List.of("/usr/bin/time", "-f", "maxrss_kb=%M"));
    timedCommand.addAll(command);
    return timedCommand;
  }

  /** Peak resident memory of this JVM, from /proc. */
  private static long peakRssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      // Not on Linux: report nothing.
    }
    return 0;
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

  /**
   * What a user's commands see: {@code command} (one run each) {@value #COMMANDS} times in a row on
   * a background process of the bench's own, which the first of them starts; each line is that
   * command's only, first run, in a fresh Context on an ever warmer JVM.
   */
  private void firstRunsOnBackgroundProcess(List<String> command, long expected, double cpythonBest)
      throws IOException, InterruptedException {
    try (BenchDaemon daemon = new BenchDaemon()) {
      for (int i = 1; i <= COMMANDS; i++) {
        double first = childRuns(command, expected, daemon.env()).get(0)[0];
        report("(b) command " + i + " on one background process, its run", first, cpythonBest, "c");
      }
    }
  }

  /** Runs a child that prints one RUN_LINE per run in a JVM of its own; returns items/s per run. */
  private List<double[]> childRuns(List<String> command, long expected) throws IOException, InterruptedException {
    // Its first run is the cold run a fresh process sees.
    return childRuns(command, expected, Map.of("WAX_DAEMON", "0"));
  }

  private List<double[]> childRuns(List<String> command, long expected, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    List<double[]> results = new ArrayList<>();
    Matcher m = RUN_LINE.matcher(output);
    while (m.find()) {
      long count = Long.parseLong(m.group(5));
      if (count != expected) {
        // With zero lateness, items a slow (e.g. still warming up) run takes longer than their
        // event-time spacing to reach are late, as in Bytewax; say so rather than hide it.
        out.printf("    note: run %s counted %,d of %,d items; the rest arrived late%n", m.group(1), count, expected);
      }
      results.add(new double[] {Double.parseDouble(m.group(4))});
    }
    Matcher rss = MAX_RSS.matcher(output);
    lastRssKb = rss.find() ? Long.parseLong(rss.group(1)) : 0;
    if (exit != 0 || results.isEmpty()) {
      throw new IllegalStateException(String.join(" ", command) + " failed (exit " + exit + "):\n" + output);
    }
    return results;
  }

  private static double bestOf(List<double[]> runs) {
    return runs.stream().mapToDouble(r -> r[0]).max().orElse(0);
  }

}
