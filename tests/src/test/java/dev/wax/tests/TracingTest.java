package dev.wax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code setup_tracing(OtlpTracingConfig(...))}: a flow's spans reach a real OTLP receiver,
 * started here, over gRPC and over HTTP, named and nested as Bytewax's; a collector nobody
 * listens at costs a warning and nothing else.
 */
class TracingTest {
  private static final String FLOW = "tests/flows/traced.py";
  private static final String OUTPUT = "0\n2\n4\n6\n8\n";

  /**
   * On two workers: each worker's Context sets up the same tracing, and each traces its run. The
   * receiver answers the first export only after 3 s, as a loaded machine's first export may take:
   * the worker that ends meanwhile must still have its spans sent (once, they were dropped).
   */
  @Test
  void spansOfEveryWorkerReachAnOtlpReceiverOverGrpc() throws Exception {
    List<ResourceSpans> received = new CopyOnWriteArrayList<>();
    AtomicBoolean first = new AtomicBoolean(true);
    Server receiver =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .addService(
                new TraceServiceGrpc.TraceServiceImplBase() {
                  @Override
                  public void export(
                      ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> response) {
                    if (first.getAndSet(false)) {
                      sleep(3_000);
                    }
                    received.addAll(request.getResourceSpansList());
                    response.onNext(ExportTraceServiceResponse.getDefaultInstance());
                    response.onCompleted();
                  }
                })
            .build()
            .start();
    try {
      Wax.Result run =
          Wax.interpreted(Map.of("OTLP_URL", "grpc://127.0.0.1:" + receiver.getPort()), "run", FLOW, "-w", "2");
      assertEquals(OUTPUT, run.out(), run.toString());
      assertEquals("", Wax.withoutCacheNote(run.err()));
      assertBytewaxSpans(received, 2);
    } finally {
      receiver.shutdownNow();
    }
  }

  @Test
  void spansReachAnOtlpReceiverOverHttp() throws Exception {
    List<ResourceSpans> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/v1/traces",
        exchange -> {
          try (exchange;
              InputStream body = exchange.getRequestBody()) {
            received.addAll(ExportTraceServiceRequest.parseFrom(body).getResourceSpansList());
            byte[] reply = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(reply);
            }
          }
        });
    receiver.start();
    try {
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces";
      Wax.Result run = Wax.interpreted(Map.of("OTLP_URL", url), "run", FLOW);
      assertEquals(OUTPUT, run.out(), run.toString());
      assertBytewaxSpans(received, 1);
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void aCollectorNobodyListensAtCostsAWarningOnly() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    Wax.Result run = Wax.interpreted(Map.of("OTLP_URL", "grpc://127.0.0.1:" + closed), "run", FLOW);
    assertEquals(0, run.exit(), run.toString());
    assertEquals(OUTPUT, run.out());
    assertEquals(
        "wax: cannot send traces to http://127.0.0.1:" + closed + "; its spans are dropped, the flow runs on\n",
        Wax.withoutCacheNote(run.err()));
  }

  /**
   * One service, {@code traced}; a {@code worker_main} per worker, each holding a {@code
   * production_dataflow}, which hold the {@code step}s, which hold the {@code operator}s named as
   * Bytewax's operators.
   */
  private static void assertBytewaxSpans(List<ResourceSpans> received, int workers) throws InterruptedException {
    // The receiver may still be taking the last export in when the flow's process has ended.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (count(received, "worker_main") < workers && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(!received.isEmpty(), "no spans arrived");
    Set<String> services = new TreeSet<>();
    List<Span> spans = new CopyOnWriteArrayList<>();
    for (ResourceSpans resource : received) {
      services.add(attribute(resource.getResource().getAttributesList(), "service.name"));
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        spans.addAll(scope.getSpansList());
      }
    }
    assertEquals(Set.of("traced"), services);
    Map<String, List<Span>> byName = spans.stream().collect(Collectors.groupingBy(Span::getName));
    assertEquals(Set.of("worker_main", "production_dataflow", "step", "operator"), byName.keySet());
    Set<String> workerIndexes = new TreeSet<>();
    Set<Object> workerIds = new java.util.HashSet<>();
    for (Span worker : byName.get("worker_main")) {
      workerIndexes.add(attribute(worker.getAttributesList(), "worker"));
      workerIds.add(worker.getSpanId());
    }
    Set<String> expected = new TreeSet<>();
    for (int w = 0; w < workers; w++) {
      expected.add(Integer.toString(w));
    }
    assertEquals(expected, workerIndexes);
    assertEquals(workers, byName.get("worker_main").size());
    Set<Object> productionIds = new java.util.HashSet<>();
    for (Span production : byName.get("production_dataflow")) {
      assertTrue(workerIds.contains(production.getParentSpanId()), "a production_dataflow outside every worker_main");
      productionIds.add(production.getSpanId());
    }
    assertEquals(workers, productionIds.size());
    Set<Object> stepIds = byName.get("step").stream().map(Span::getSpanId).collect(Collectors.toSet());
    for (Span step : byName.get("step")) {
      assertTrue(productionIds.contains(step.getParentSpanId()), "a step outside every production_dataflow");
    }
    Set<String> operators = new TreeSet<>();
    for (Span operator : byName.get("operator")) {
      assertTrue(stepIds.contains(operator.getParentSpanId()), "an operator span outside every step");
      assertTrue(operator.getStartTimeUnixNano() <= operator.getEndTimeUnixNano());
      operators.add(attribute(operator.getAttributesList(), "operator"));
    }
    // TestingSource is a partitioned source; the StdOutSink a dynamic one, which Bytewax does not trace.
    assertEquals(Set.of("traced.inp.partitioned_input", "traced.double.flat_map_batch"), operators);
  }

  private static long count(List<ResourceSpans> received, String name) {
    return received.stream()
        .flatMap(resource -> resource.getScopeSpansList().stream())
        .flatMap(scope -> scope.getSpansList().stream())
        .filter(span -> span.getName().equals(name))
        .count();
  }

  private static String attribute(List<KeyValue> attributes, String key) {
    for (KeyValue attribute : attributes) {
      if (attribute.getKey().equals(key)) {
        var value = attribute.getValue();
        return value.hasIntValue() ? Long.toString(value.getIntValue()) : value.getStringValue();
      }
    }
    throw new AssertionError("no attribute " + key + " in " + attributes);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
