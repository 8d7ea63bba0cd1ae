package dev.wax.engine.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.Map;

/**
 * The metrics of one run in this process, named, described and labelled as Bytewax's (with its
 * {@code bytewax_} prefix and {@code otel_scope_name} label), so dashboards made for Bytewax read
 * them; the JVM's own metrics (heap, GC, threads) come with them.
 */
public final class RunMetrics {
  /** Bytewax's buckets for every duration, in seconds. */
  private static final double[] DURATION_BOUNDS = {
    0, 0.0005, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10
  };

  /** The buckets OpenTelemetry gives Bytewax's batch sizes. */
  private static final double[] BATCH_SIZE_BOUNDS = {
    0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000
  };

  private static final Labels SCOPE = Labels.of("otel_scope_name", "bytewax");
  private static final String[] LABELS = {"step_id", "worker_index"};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  final Counter itemsIn = counter("item_inp_count", "number of items this step has ingested");
  final Counter itemsOut = counter("item_out_count", "number of items this step has emitted");
  final Histogram batchSizes =
      histogram("inp_part_next_batch_size", "`next_batch` batch size", BATCH_SIZE_BOUNDS);
  final Map<Timing, Histogram> timings = new EnumMap<>(Timing.class);

  public RunMetrics() {
    for (Timing timing : Timing.values()) {
      timings.put(timing, histogram(timing.metricName, timing.help, DURATION_BOUNDS));
    }
  }

  /** The metrics step {@code stepId} records on worker {@code worker}. */
  public StepMetrics forStep(String stepId, int worker) {
    return new StepMetrics(this, stepId, worker);
  }

  /** Items in and out of step {@code stepId} on every worker of this process, so far. */
  public long[] items(String stepId) {
    return new long[] {sum(itemsIn, stepId), sum(itemsOut, stepId)};
  }

  private static long sum(Counter counter, String stepId) {
    double total = 0;
    for (CounterSnapshot.CounterDataPointSnapshot point : counter.collect().getDataPoints()) {
      if (stepId.equals(point.getLabels().get("step_id"))) {
        total += point.getValue();
      }
    }
    return (long) total;
  }

  /** Writes the run's metrics, then the JVM's, in Prometheus' text format. */
  public void write(OutputStream out) throws IOException {
    PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    writer.write(out, registry.scrape());
    writer.write(out, Jvm.REGISTRY.scrape());
  }

  private Counter counter(String name, String help) {
    return Counter.builder()
        .name("bytewax_" + name)
        .help(help)
        .labelNames(LABELS)
        .constLabels(SCOPE)
        .register(registry);
  }

  private Histogram histogram(String name, String help, double[] bounds) {
    return Histogram.builder()
        .name("bytewax_" + name)
        .help(help)
        .labelNames(LABELS)
        .constLabels(SCOPE)
        .classicOnly()
        .classicUpperBounds(bounds)
        .register(registry);
  }

  /** The JVM's metrics: one registry per process, made when first served. */
  private static final class Jvm {
    static final PrometheusRegistry REGISTRY = new PrometheusRegistry();

    static {
      JvmMetrics.builder().register(REGISTRY);
    }
  }
}
