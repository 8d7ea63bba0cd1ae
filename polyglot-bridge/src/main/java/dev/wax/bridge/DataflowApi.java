package dev.wax.bridge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wax.engine.ProcessEnv;
import dev.wax.engine.WaxException;
import dev.wax.engine.metrics.RunMetrics;
import dev.wax.engine.runtime.Execution;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Bytewax's dataflow API for one run of this process, on {@code BYTEWAX_DATAFLOW_API_PORT} (3030):
 * {@code GET /dataflow} is the flow as {@code bytewax.visualize.to_json} renders it, {@code GET
 * /metrics} the steps' metrics, the JVM's, and those of the flow's own {@code prometheus_client}
 * registry, in Prometheus' text format. The workers of the run share one server, which stops when
 * the last of them leaves.
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
  private final byte[] dataflow;
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

  private DataflowApi(Execution execution, String dataflowJson) {
    this.execution = execution;
    this.dataflow = dataflowJson.getBytes(StandardCharsets.UTF_8);
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
  static DataflowApi join(Execution execution, String dataflowJson, int worker, Supplier<String> render) {
    DataflowApi api;
    synchronized (OPEN) {
      api = OPEN.get(execution);
      if (api == null) {
        api = new DataflowApi(execution, dataflowJson);
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
  }

  private HttpServer listen() {
    String host = ProcessEnv.get(HOST) == null ? "0.0.0.0" : ProcessEnv.get(HOST);
    int port = port();
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
      http.createContext("/dataflow", exchange -> respond(exchange, "application/json", dataflow));
      http.createContext("/metrics", exchange -> respond(exchange, "text/plain; charset=utf-8", scrape()));
      // One thread: a scrape is rare and short, and the server must not compete with workers.
      http.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "wax-dataflow-api");
        thread.setDaemon(true);
        return thread;
      }));
      http.start();
      return http;
    } catch (BindException e) {
      throw new WaxException(
          "the dataflow API cannot listen on port " + port + " (" + PORT + "): it is in use; "
              + "set " + PORT + " to a free port");
    } catch (IOException e) {
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

  private static void respond(HttpExchange exchange, String type, byte[] body) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.sendResponseHeaders(405, -1);
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
