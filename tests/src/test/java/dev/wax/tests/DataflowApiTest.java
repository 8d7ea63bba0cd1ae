package dev.wax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytewax's dataflow API: with {@code BYTEWAX_DATAFLOW_API_ENABLED}, a running {@code wax run}
 * serves the flow's JSON on {@code /dataflow} and Prometheus metrics on {@code /metrics}: the
 * steps' item counts and call durations under Bytewax's names and labels, the JVM's, and the
 * flow's own {@code prometheus_client} metrics.
 */
class DataflowApiTest {
  private static final String FLOW = "tests/flows/metered.py";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void aRunningFlowServesItsShapeAndMetrics(@TempDir Path dir) throws Exception {
    int port = freePort();
    try (Running flow = Running.start(dir, port, "run", FLOW)) {
      // The HTTP thread reads the steps' metrics as they are: wait until the last step's are in.
      String metrics =
          flow.awaitMetrics(
              "bytewax_item_out_count_total{otel_scope_name=\"bytewax\",step_id=\"metered.inp\",worker_index=\"0\"} 10.0",
              "bytewax_out_part_write_batch_duration_seconds_count{otel_scope_name=\"bytewax\",step_id=\"metered.out\",worker_index=\"0\"}");
      assertContainsLines(
          metrics,
          "# HELP bytewax_item_inp_count_total number of items this step has ingested",
          "# TYPE bytewax_item_inp_count_total counter",
          "bytewax_item_inp_count_total{otel_scope_name=\"bytewax\",step_id=\"metered.double.flat_map_batch\",worker_index=\"0\"} 10.0",
          "bytewax_item_inp_count_total{otel_scope_name=\"bytewax\",step_id=\"metered.out\",worker_index=\"0\"} 10.0",
          "# HELP bytewax_item_out_count_total number of items this step has emitted",
          "# TYPE bytewax_item_out_count_total counter",
          "bytewax_item_out_count_total{otel_scope_name=\"bytewax\",step_id=\"metered.double.flat_map_batch\",worker_index=\"0\"} 10.0",
          "bytewax_item_out_count_total{otel_scope_name=\"bytewax\",step_id=\"metered.inp\",worker_index=\"0\"} 10.0");
      assertContainsLines(
          metrics,
          "# HELP bytewax_flat_map_batch_duration_seconds `flat_map_batch` `mapper` duration in seconds",
          "# TYPE bytewax_flat_map_batch_duration_seconds histogram",
          "bytewax_flat_map_batch_duration_seconds_bucket{otel_scope_name=\"bytewax\",step_id=\"metered.double.flat_map_batch\",worker_index=\"0\",le=\"0.0\"} 0");
      for (String family :
          List.of(
              "# HELP bytewax_inp_part_next_batch_duration_seconds `next_batch` duration in seconds",
              "# HELP bytewax_out_part_write_batch_duration_seconds `write_batch` duration in seconds",
              "bytewax_out_part_write_batch_duration_seconds_bucket{otel_scope_name=\"bytewax\",step_id=\"metered.out\",worker_index=\"0\",le=\"10.0\"}",
              "bytewax_inp_part_next_batch_duration_seconds_count{otel_scope_name=\"bytewax\",step_id=\"metered.inp\",worker_index=\"0\"}",
              // The JVM's own, and the flow's own metric after every one of Wax's.
              "# TYPE jvm_memory_used_bytes gauge",
              "jvm_threads_current ",
              "# HELP metered_doubled_total Items the flow doubled\n# TYPE metered_doubled_total counter\nmetered_doubled_total 10.0\n")) {
        assertTrue(metrics.contains(family), family + " is missing from\n" + metrics);
      }
      assertTrue(metrics.indexOf("metered_doubled_total") > metrics.lastIndexOf("bytewax_"), metrics);

      HttpResponse<String> shape = get(port, "/dataflow");
      assertEquals(200, shape.statusCode());
      assertEquals("application/json", shape.headers().firstValue("Content-Type").orElse(""));
      assertEquals(toJson(FLOW), shape.body());
      // As in Bytewax, the JSON is also left in the cache path in case the flow crashes.
      assertEquals(toJson(FLOW), Files.readString(dir.resolve("dataflow.json")));

      flow.stop();
      assertEquals(
          IntStream.range(0, 10).mapToObj(i -> (i * 2) + "\n").reduce("", String::concat),
          flow.stdout());
    }
  }

  /**
   * Each process of a local cluster serves its own workers on the next port; with two workers,
   * each worker's Context has its own {@code prometheus_client} registry, and their samples say
   * whose they are.
   */
  @Test
  void eachProcessOfALocalClusterServesItsOwnWorkersOnTheNextPort(@TempDir Path dir) throws Exception {
    int port = freePorts(2);
    try (Running cluster = Running.start(dir, port, "testing", FLOW, "-p", "2", "-w", "2")) {
      for (int process = 0; process < 2; process++) {
        Running one = new Running(cluster.process, dir, port + process);
        int first = 2 * process;
        int second = first + 1;
        String metrics =
            one.awaitMetrics(
                "bytewax_item_out_count_total{otel_scope_name=\"bytewax\",step_id=\"metered.inp\",worker_index=\"" + first + "\"} 10.0",
                "bytewax_item_out_count_total{otel_scope_name=\"bytewax\",step_id=\"metered.inp\",worker_index=\"" + second + "\"} 10.0");
        assertContainsLines(
            metrics,
            "# HELP metered_doubled_total Items the flow doubled",
            "# TYPE metered_doubled_total counter",
            "metered_doubled_total{worker_index=\"" + first + "\"} 10.0",
            "metered_doubled_total{worker_index=\"" + second + "\"} 10.0");
        for (int other = 0; other < 4; other++) {
          if (other != first && other != second) {
            assertTrue(!metrics.contains("worker_index=\"" + other + "\""), metrics);
          }
        }
      }
      cluster.stop();
    }
  }

  @Test
  void aPortInUseIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      try (Running flow = Running.start(dir, port, "run", FLOW)) {
        assertTrue(flow.process.waitFor(240, TimeUnit.SECONDS), "still running with its port taken");
        assertEquals(1, flow.process.exitValue());
        String stderr = flow.stderr();
        assertTrue(
            stderr.contains(
                "the dataflow API cannot listen on port "
                    + port
                    + " (BYTEWAX_DATAFLOW_API_PORT): it is in use; set BYTEWAX_DATAFLOW_API_PORT to a free port"),
            stderr);
        assertTrue(!stderr.contains("\tat "), "a Java stack trace reached the user:\n" + stderr);
      }
    }
  }

  /** A flow started with the API enabled on {@code port}, stopped (and killed if need be) on close. */
  private record Running(Process process, Path dir, int port) implements AutoCloseable {
    static Running start(Path dir, int port, String... args) throws IOException {
      Map<String, String> env = new HashMap<>();
      env.put("BYTEWAX_DATAFLOW_API_ENABLED", "1");
      env.put("BYTEWAX_DATAFLOW_API_PORT", Integer.toString(port));
      env.put("BYTEWAX_DATAFLOW_API_CACHE_PATH", dir.toString());
      env.put("WAX_DATAFLOW_API_HOST", "127.0.0.1");
      env.put("STOP_FILE", dir.resolve("stop").toString());
      return new Running(Wax.start(env, dir.resolve("out.txt"), dir.resolve("err.txt"), args), dir, port);
    }

    /** The metrics once they contain every one of {@code lines}. */
    String awaitMetrics(String... lines) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      String body = "";
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new AssertionError("the flow ended early:\n" + stderr());
        }
        try {
          HttpResponse<String> response = get(port, "/metrics");
          assertEquals("text/plain; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
          body = response.body();
          if (List.of(lines).stream().allMatch(body::contains)) {
            return body;
          }
        } catch (IOException e) {
          // Not listening yet.
        }
        Thread.sleep(200);
      }
      throw new AssertionError("the metrics never showed " + List.of(lines) + "; last:\n" + body);
    }

    void stop() throws Exception {
      Files.writeString(dir.resolve("stop"), "");
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "still running after its stop file");
      assertEquals(0, process.exitValue(), stderr());
    }

    String stdout() throws IOException {
      return Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
      return Wax.withoutCacheNote(Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** What {@code bytewax.visualize.to_json} renders for the flow in {@code file}. */
  private static String toJson(String file) throws Exception {
    Wax.Result result =
        Wax.interpreted(
            "python",
            "-c",
            "import runpy, sys\n"
                + "from bytewax.visualize import to_json\n"
                + "sys.stdout.write(to_json(runpy.run_path('" + file + "')['flow']))");
    assertEquals(0, result.exit(), result.toString());
    return result.out();
  }

  private static int freePort() throws IOException {
    return freePorts(1);
  }

  /** The first of {@code count} consecutive ports that were free a moment ago. */
  private static int freePorts(int count) throws IOException {
    while (true) {
      int first;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        first = socket.getLocalPort();
      }
      if (first + count - 1 <= 65535 && IntStream.range(1, count).allMatch(i -> isFree(first + i))) {
        return first;
      }
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code lines} appear in {@code text} one after the other, as whole lines. */
  private static void assertContainsLines(String text, String... lines) {
    String block = "\n" + String.join("\n", lines) + "\n";
    assertTrue(("\n" + text).contains(block), "missing, in this order:" + block + "in:\n" + text);
  }
}
