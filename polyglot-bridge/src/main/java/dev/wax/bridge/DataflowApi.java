package dev.wax.bridge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wax.engine.ProcessEnv;
import dev.wax.engine.WaxException;
import dev.wax.engine.metrics.RunMetrics;
import dev.wax.engine.runtime.Execution;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Bytewax's dataflow API for one run of this process, on {@code BYTEWAX_DATAFLOW_API_PORT} (3030):
 * {@code GET /dataflow} is the flow as {@code bytewax.visualize.to_json} renders it, {@code GET
 * /metrics} the steps' metrics, the JVM's, and those of the flow's own {@code prometheus_client}
 * registry, in Prometheus' text format. Beyond Bytewax, {@code GET /} is a page that draws the
 * flow (Mermaid, with its script served here too: nothing comes from the internet) and shows
 * each step's items and rates as they change. The workers of the run share one server, which
 * stops when the last of them leaves.
 */
final class DataflowApi {
  static final String ENABLED = "BYTEWAX_DATAFLOW_API_ENABLED";
  static final String PORT = "BYTEWAX_DATAFLOW_API_PORT";
  /** Where it listens; Bytewax's is every interface. */
  private static final String HOST = "WAX_DATAFLOW_API_HOST";

  /** How long a scrape waits for a worker, busy in a long call, to render its Python metrics. */
  private static final long PYTHON_METRICS_WAIT_MILLIS = 2_000;

  private static final Map<Execution, DataflowApi> OPEN = new HashMap<>();

  private final Execution execution;
  private final RunMetrics metrics = new RunMetrics();
  private final Flow flow;
  private final byte[] dataflow;
  /** One thread: a scrape is rare and short, and the server must not compete with workers. */
  private final ExecutorService handler =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "wax-dataflow-api");
            thread.setDaemon(true);
            return thread;
          });
  private final HttpServer server;
  /** Per worker whose Context has its own registry: that registry's text, rendered on its thread. */
  private final Map<Integer, PythonRegistry> registries = new TreeMap<>();
  private int users;

  /** One worker Context's {@code prometheus_client} registry, and its last text. */
  private static final class PythonRegistry {
    final Supplier<String> render;
    volatile String last = "";

    PythonRegistry(Supplier<String> render) {
      this.render = render;
    }
  }

  /**
   * What the API shows of the flow: its id, its JSON ({@code to_json}), its Mermaid chart ({@code
   * to_mermaid}) and its core steps in order.
   */
  record Flow(String id, String json, String mermaid, List<String> stepIds) {}

  private DataflowApi(Execution execution, Flow flow) {
    this.execution = execution;
    this.flow = flow;
    this.dataflow = flow.json().getBytes(StandardCharsets.UTF_8);
    this.server = listen();
  }

  /** Whether the environment asks for the API (any value does, as in Bytewax). */
  static boolean enabled() {
    return ProcessEnv.get(ENABLED) != null;
  }

  /**
   * The API of {@code execution}'s run, started by the first worker to join; {@code render} gives
   * this worker Context's Python metrics and may only be called on {@code worker}'s thread.
   */
  static DataflowApi join(Execution execution, Flow flow, int worker, Supplier<String> render) {
    DataflowApi api;
    synchronized (OPEN) {
      api = OPEN.get(execution);
      if (api == null) {
        api = new DataflowApi(execution, flow);
        OPEN.put(execution, api);
      }
      api.users++;
    }
    synchronized (api.registries) {
      api.registries.put(worker, new PythonRegistry(render));
    }
    return api;
  }

  RunMetrics metrics() {
    return metrics;
  }

  /** A worker is done with the run: the last one stops the server. */
  void leave() {
    synchronized (OPEN) {
      if (--users > 0) {
        return;
      }
      OPEN.remove(execution);
    }
    server.stop(0);
    // The background process runs many commands: no thread may outlive its run.
    handler.shutdownNow();
  }

  private HttpServer listen() {
    String host = ProcessEnv.get(HOST) == null ? "0.0.0.0" : ProcessEnv.get(HOST);
    int port = port();
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
      http.createContext("/", this::route);
      http.setExecutor(handler);
      http.start();
      return http;
    } catch (BindException e) {
      handler.shutdown();
      throw new WaxException(
          "the dataflow API cannot listen on port " + port + " (" + PORT + "): it is in use; "
              + "set " + PORT + " to a free port");
    } catch (IOException e) {
      handler.shutdown();
      throw new WaxException("the dataflow API cannot listen on " + host + ":" + port + ": " + e.getMessage());
    }
  }

  /** The port the environment asks for. */
  static int port() {
    String value = ProcessEnv.get(PORT);
    if (value == null) {
      return 3030;
    }
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new WaxException(PORT + " must be a port number from 0 to 65535; got " + value);
  }

  /** Bytewax's two routes, then the page, its script, the chart it draws and the counts it polls. */
  private void route(HttpExchange exchange) throws IOException {
    switch (exchange.getRequestURI().getPath()) {
      case "/dataflow" -> respond(exchange, "application/json", dataflow);
      case "/metrics" -> respond(exchange, "text/plain; charset=utf-8", scrape());
      case "/" -> respond(exchange, "text/html; charset=utf-8", resource("dashboard.html"));
      case "/mermaid.min.js" -> respond(exchange, "text/javascript; charset=utf-8", resource("mermaid.min.js"));
      case "/dataflow.mmd" -> respond(exchange, "text/plain; charset=utf-8", flow.mermaid().getBytes(StandardCharsets.UTF_8));
      case "/steps.json" -> respond(exchange, "application/json", stepsJson().getBytes(StandardCharsets.UTF_8));
      default -> respond(exchange, null, null);
    }
  }

  /** {@code {"flow_id": ..., "steps": [{"step_id": ..., "items_in": n, "items_out": n}, ...]}}. */
  private String stepsJson() {
    StringBuilder json = new StringBuilder("{\"flow_id\": ").append(quoted(flow.id())).append(", \"steps\": [");
    for (String stepId : flow.stepIds()) {
      long[] items = metrics.items(stepId);
      if (json.charAt(json.length() - 1) != '[') {
        json.append(", ");
      }
      json.append("{\"step_id\": ").append(quoted(stepId))
          .append(", \"items_in\": ").append(items[0])
          .append(", \"items_out\": ").append(items[1]).append('}');
    }
    return json.append("]}").toString();
  }

  private static String quoted(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        quoted.append('\\').append(c);
      } else if (c < 0x20) {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    return quoted.append('"').toString();
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = DataflowApi.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("the dashboard's " + name + " is missing from Wax's build");
      }
      return in.readAllBytes();
    }
  }

  /** {@code body} as {@code type}; a null body is a 404. */
  private static void respond(HttpExchange exchange, String type, byte[] body) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Bytewax's order: the Rust side's metrics first, then the Python registry's. */
  private byte[] scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    metrics.write(out);
    Map<Integer, String> texts = new TreeMap<>();
    Map<Integer, PythonRegistry> now;
    synchronized (registries) {
      now = new TreeMap<>(registries);
    }
    now.forEach((worker, registry) -> texts.put(worker, render(worker, registry)));
    out.write(PythonMetricsText.merge(texts).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** The registry's text, rendered by its worker; its last text when the worker is busy or gone. */
  private String render(int worker, PythonRegistry registry) {
    CompletableFuture<String> text = new CompletableFuture<>();
    execution.onWorkerThread(
        worker,
        () -> {
          try {
            text.complete(registry.render.get());
          } catch (RuntimeException e) {
            text.completeExceptionally(e);
          }
        });
    try {
      registry.last = text.get(PYTHON_METRICS_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Served as it was last time.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return registry.last;
  }
}
