package dev.wax.bridge;

import dev.wax.engine.ProcessEnv;
import dev.wax.engine.tracing.RunTracing;
import dev.wax.engine.tracing.WorkerSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What {@code setup_tracing(tracing_config=...)} sets up for the command: runs from then on send
 * their spans (see {@link WorkerSpans}) over OTLP with the OpenTelemetry SDK, sampled by trace id
 * at the config's ratio, from a resource that names the service. A collector that cannot be
 * reached costs one warning; its spans are dropped and the flow runs on.
 */
final class Tracing implements RunTracing {
  /** Bytewax's default collector: gRPC on this host. */
  private static final String DEFAULT_URL = "http://localhost:4317";

  private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(10);
  /** How long the end of a run waits for its spans to leave. */
  private static final long FLUSH_MILLIS = 2_000;
  /**
   * How long the end of the command waits for the last spans: as long as one export may take, so
   * a loaded machine's slow export still arrives before the process ends.
   */
  private static final long SHUTDOWN_MILLIS = EXPORT_TIMEOUT.toMillis() + 1_000;

  private static final AttributeKey<String> OPERATOR = AttributeKey.stringKey("operator");
  private static final AttributeKey<Long> WORKER = AttributeKey.longKey("worker");
  private static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");
  private static final AttributeKey<Long> THREAD_ID = AttributeKey.longKey("thread.id");

  /** The SDK's own warnings repeat for every failed export: {@link WarnOnce} says it once. */
  private static final Logger OTEL_LOG = Logger.getLogger("io.opentelemetry");

  private static Tracing current;

  private final List<Object> config;
  private final BatchSpanProcessor batches;
  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private Tracing(List<Object> config, BatchSpanProcessor batches, SdkTracerProvider provider) {
    this.config = config;
    this.batches = batches;
    this.provider = provider;
    this.tracer = provider.get("bytewax");
  }

  /**
   * Sends the spans of this command's later runs to {@code url} (Bytewax's default when null),
   * in place of what an earlier call set up.
   *
   * @param jaeger whether the config was Bytewax's {@code JaegerConfig}, whose agent protocol
   *     OpenTelemetry no longer speaks: its spans go over OTLP to the same host, which Jaeger
   *     also receives
   */
  static synchronized void setUp(String serviceName, String url, double samplingRatio, boolean jaeger) {
    List<Object> config = Arrays.asList(serviceName, url, samplingRatio, jaeger);
    if (current != null && current.config.equals(config)) {
      return; // Each worker's Context of `-w N` sets up the same.
    }
    shutDown();
    OTEL_LOG.setLevel(Level.OFF);
    String endpoint = jaeger ? jaegerOtlpUrl(url) : otlpUrl(url);
    if (jaeger) {
      System.err.println(
          "wax: JaegerConfig: Jaeger's agent protocol is not supported; sending OTLP to " + endpoint);
    }
    BatchSpanProcessor batches = BatchSpanProcessor.builder(new WarnOnce(exporter(endpoint), endpoint)).build();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName)))
            .setSampler(Sampler.traceIdRatioBased(samplingRatio))
            .addSpanProcessor(batches)
            .build();
    current = new Tracing(config, batches, provider);
  }

  /** What runs started now trace to, or null when tracing is not set up. */
  static synchronized RunTracing current() {
    return current;
  }

  /** Sends the spans of the runs so far, waiting a moment at most. */
  static void flush() {
    Tracing tracing;
    synchronized (Tracing.class) {
      tracing = current;
    }
    if (tracing != null) {
      tracing.exportEnded(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS));
    }
  }

  /** Ends the command's tracing (the background process's next command starts without it). */
  static synchronized void shutDown() {
    if (current != null) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_MILLIS);
      current.exportEnded(deadline);
      current.provider.shutdown().join(millisUntil(deadline), TimeUnit.MILLISECONDS);
      current = null;
    }
  }

  /**
   * Exports every span ended so far, waiting until {@code deadline} at most. The SDK's flush takes
   * only the spans queued when it began, and a flush asked for meanwhile is handed that one's
   * result: so wait for a flush under way, then have one of this call's own. (When shutting down
   * after a shared flush, the SDK dropped the spans that flush had not taken: a worker's spans
   * went missing when another worker's first, slow export was still under way.)
   */
  private void exportEnded(long deadline) {
    CompletableResultCode underWay = batches.forceFlush();
    underWay.join(millisUntil(deadline), TimeUnit.MILLISECONDS);
    while (underWay.isDone() && System.nanoTime() - deadline < 0) {
      CompletableResultCode own = batches.forceFlush();
      if (own != underWay && own != CompletableResultCode.ofSuccess()) {
        own.join(millisUntil(deadline), TimeUnit.MILLISECONDS);
        return;
      }
      // The finished flush has not yet made way for a new one.
      Thread.onSpinWait();
    }
  }

  private static long millisUntil(long deadline) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }

  /**
   * The collector's URL: {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} first, as in Bytewax, then
   * {@code url}; Bytewax's {@code grpc://} scheme means {@code http://}.
   */
  private static String otlpUrl(String url) {
    String fromEnvironment = ProcessEnv.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    String chosen = fromEnvironment != null ? fromEnvironment : url != null ? url : DEFAULT_URL;
    return chosen.startsWith("grpc://") ? "http://" + chosen.substring("grpc://".length()) : chosen;
  }

  /** A Jaeger agent's {@code host:port} (6831 by default) as the OTLP gRPC URL of that host. */
  private static String jaegerOtlpUrl(String agent) {
    String host = agent == null ? "127.0.0.1" : agent.replaceFirst("^[a-z]+://", "").replaceFirst(":\\d+$", "");
    return "http://" + host + ":4317";
  }

  /**
   * No retries: a failed export is dropped at once, so the end of a run never waits on a
   * collector. OTLP over HTTP for a URL of port 4318 or ending in {@code /v1/traces} (OTLP's HTTP
   * conventions), over gRPC otherwise, as Bytewax always does.
   */
  private static SpanExporter exporter(String endpoint) {
    URI uri = URI.create(endpoint);
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (uri.getPort() == 4318 || path.endsWith("/v1/traces")) {
      String full = path.endsWith("/v1/traces") ? endpoint : endpoint.replaceFirst("/?$", "/v1/traces");
      return OtlpHttpSpanExporter.builder().setEndpoint(full).setTimeout(EXPORT_TIMEOUT).setRetryPolicy(null).build();
    }
    return OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).setTimeout(EXPORT_TIMEOUT).setRetryPolicy(null).build();
  }

  @Override
  public WorkerSpans forWorker(int index) {
    return new OtelWorkerSpans(index);
  }

  /** One worker's spans, opened and closed on its thread. */
  private final class OtelWorkerSpans implements WorkerSpans {
    private final int index;
    private final Clock clock = Clock.getDefault();
    private Attributes thread;
    private Span workerMain;
    private Span production;
    private Span step;

    OtelWorkerSpans(int index) {
      this.index = index;
    }

    @Override
    public void runStarted() {
      Thread current = Thread.currentThread();
      thread = Attributes.of(THREAD_NAME, current.getName(), THREAD_ID, current.getId());
      workerMain =
          tracer.spanBuilder("worker_main").setAllAttributes(thread).setAttribute(WORKER, (long) index).startSpan();
      production = child("production_dataflow", workerMain, clock.now());
    }

    @Override
    public long now() {
      return clock.now();
    }

    @Override
    public void operatorWorked(String operator, long roundStart, long start) {
      if (step == null) {
        step = child("step", production, roundStart);
      }
      tracer
          .spanBuilder("operator")
          .setParent(Context.root().with(step))
          .setStartTimestamp(start, TimeUnit.NANOSECONDS)
          .setAllAttributes(thread)
          .setAttribute(OPERATOR, operator)
          .startSpan()
          .end(clock.now(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void roundEnded() {
      if (step != null) {
        step.end(clock.now(), TimeUnit.NANOSECONDS);
        step = null;
      }
    }

    @Override
    public void runEnded() {
      roundEnded();
      if (production != null) {
        production.end();
        workerMain.end();
        production = null;
      }
    }

    private Span child(String name, Span parent, long start) {
      return tracer
          .spanBuilder(name)
          .setParent(Context.root().with(parent))
          .setStartTimestamp(start, TimeUnit.NANOSECONDS)
          .setAllAttributes(thread)
          .startSpan();
    }
  }

  /** Exports through {@code delegate}; the first failure says, once, that spans are dropped. */
  private static final class WarnOnce implements SpanExporter {
    private final SpanExporter delegate;
    private final String endpoint;
    private final AtomicBoolean warned = new AtomicBoolean();

    WarnOnce(SpanExporter delegate, String endpoint) {
      this.delegate = delegate;
      this.endpoint = endpoint;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      CompletableResultCode result = delegate.export(spans);
      result.whenComplete(
          () -> {
            if (!result.isSuccess() && warned.compareAndSet(false, true)) {
              System.err.println(
                  "wax: cannot send traces to " + endpoint + "; its spans are dropped, the flow runs on");
            }
          });
      return result;
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }
  }
}
