package dev.wax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dataflow API's page, loaded in headless Chromium during a running flow: it draws the flow
 * and its numbers change as the flow runs. A screenshot is kept as {@code
 * tests/target/dashboard.png}.
 */
class DashboardTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void thePageDrawsTheFlowAndItsNumbersChangeLive(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Map<String, String> env =
        Map.of(
            "BYTEWAX_DATAFLOW_API_ENABLED", "1",
            "BYTEWAX_DATAFLOW_API_PORT", Integer.toString(port),
            "BYTEWAX_DATAFLOW_API_CACHE_PATH", dir.toString(),
            "WAX_DATAFLOW_API_HOST", "127.0.0.1",
            "STOP_FILE", dir.resolve("stop").toString());
    Process flow = Wax.start(env, dir.resolve("out.txt"), dir.resolve("err.txt"), "run", "tests/flows/ticking.py");
    try (Browser browser = Browser.start(dir)) {
      awaitApi(flow, port, dir);
      browser.call("Page.navigate", Map.of("url", "http://127.0.0.1:" + port + "/"));
      JsonNode first = browser.awaitPage("Number(document.body.dataset.polls) >= 2 && document.querySelector('#graph svg') !== null");
      Thread.sleep(2_500);
      JsonNode later = browser.page();

      assertTrue(later.get("polls").asInt() > first.get("polls").asInt(), "the page stopped polling: " + later);
      assertEquals("Dataflow ticking", later.get("title").asText());
      for (String step : new String[] {"inp", "double", "out"}) {
        assertTrue(later.get("graph").asText().contains(step), "the chart lacks " + step + ": " + later);
      }
      long before = items(first, "ticking.inp", 2);
      long after = items(later, "ticking.inp", 2);
      assertTrue(after > before, "the source's count did not move: " + first + " then " + later);
      assertTrue(Double.parseDouble(cell(later, "ticking.inp", 4)) > 0, "no rate: " + later);
      assertTrue(items(later, "ticking.double.flat_map_batch", 1) > 0, later.toString());

      String png = browser.call("Page.captureScreenshot", Map.of("format", "png")).get("data").asText();
      Files.write(Wax.ROOT.resolve("tests/target/dashboard.png"), Base64.getDecoder().decode(png));
    } finally {
      Files.writeString(dir.resolve("stop"), "");
      assertTrue(flow.waitFor(120, TimeUnit.SECONDS), "the flow did not stop");
      flow.destroyForcibly();
    }
    assertEquals(0, flow.exitValue(), Files.readString(dir.resolve("err.txt")));
  }

  private static void awaitApi(Process flow, int port, Path dir) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (System.nanoTime() < deadline) {
      if (!flow.isAlive()) {
        throw new AssertionError("the flow ended early:\n" + Files.readString(dir.resolve("err.txt")));
      }
      try {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/steps.json")).build();
        if (HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the dataflow API never answered");
  }

  /** Column {@code column} of the table row of {@code step}, as a number. */
  private static long items(JsonNode page, String step, int column) {
    return Long.parseLong(cell(page, step, column));
  }

  private static String cell(JsonNode page, String step, int column) {
    for (JsonNode row : page.get("rows")) {
      if (row.get(0).asText().equals(step)) {
        return row.get(column).asText();
      }
    }
    throw new AssertionError("no row for " + step + " in " + page);
  }

  /** Headless Chromium, driven over its DevTools protocol. */
  private static final class Browser implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    /** What the page shows: its poll count, title, the chart's text and the table's rows. */
    private static final String PAGE =
        "JSON.stringify({polls: Number(document.body.dataset.polls),"
            + " title: document.getElementById('flow').textContent,"
            + " graph: (document.querySelector('#graph svg') || {textContent: ''}).textContent,"
            + " rows: [...document.querySelectorAll('#steps tr')].map(r => [...r.children].map(c => c.textContent))})";

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    /** Replies by request id, completed by the socket's listener. */
    private final Map<Integer, CompletableFuture<JsonNode>> replies;

    private Browser(Process process, WebSocket socket, Map<Integer, CompletableFuture<JsonNode>> replies) {
      this.process = process;
      this.socket = socket;
      this.replies = replies;
    }

    static Browser start(Path dir) throws Exception {
      Path log = dir.resolve("chromium.log");
      Process process =
          new ProcessBuilder(
                  "chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--remote-debugging-port=0", "--user-data-dir=" + dir.resolve("chromium-profile"),
                  "--window-size=1200,900", "about:blank")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        Matcher listening = LISTENING.matcher(Files.readString(log));
        if (listening.find()) {
          URI browser = URI.create(listening.group(1));
          HttpRequest list = HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list")).build();
          for (JsonNode target : JSON.readTree(HTTP.send(list, HttpResponse.BodyHandlers.ofString()).body())) {
            if (target.get("type").asText().equals("page")) {
              Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
              WebSocket socket =
                  HTTP.newWebSocketBuilder()
                      .buildAsync(URI.create(target.get("webSocketDebuggerUrl").asText()), listener(replies))
                      .get(30, TimeUnit.SECONDS);
              return new Browser(process, socket, replies);
            }
          }
        }
        Thread.sleep(100);
      }
      process.destroyForcibly();
      throw new AssertionError("Chromium did not start:\n" + Files.readString(log));
    }

    private static WebSocket.Listener listener(Map<Integer, CompletableFuture<JsonNode>> replies) {
      StringBuilder message = new StringBuilder();
      return new WebSocket.Listener() {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
          message.append(data);
          if (last) {
            try {
              JsonNode reply = JSON.readTree(message.toString());
              if (reply.has("id")) {
                replies.computeIfAbsent(reply.get("id").asInt(), id -> new CompletableFuture<>()).complete(reply);
              }
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            message.setLength(0);
          }
          webSocket.request(1);
          return null;
        }
      };
    }

    /** Calls a DevTools method; its result. */
    JsonNode call(String method, Map<String, Object> params) throws Exception {
      int id = ids.incrementAndGet();
      CompletableFuture<JsonNode> reply = replies.computeIfAbsent(id, i -> new CompletableFuture<>());
      String request = JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params));
      socket.sendText(request, true).get(30, TimeUnit.SECONDS);
      JsonNode answer = reply.get(60, TimeUnit.SECONDS);
      if (answer.has("error")) {
        throw new AssertionError(method + " failed: " + answer.get("error"));
      }
      return answer.get("result");
    }

    JsonNode page() throws Exception {
      JsonNode result = call("Runtime.evaluate", Map.of("expression", PAGE, "returnByValue", true));
      return JSON.readTree(result.get("result").get("value").asText());
    }

    /** What the page shows once {@code condition} holds in it. */
    JsonNode awaitPage(String condition) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        JsonNode holds = call("Runtime.evaluate", Map.of("expression", condition, "returnByValue", true));
        if (holds.get("result").path("value").asBoolean(false)) {
          return page();
        }
        Thread.sleep(200);
      }
      throw new AssertionError("the page never showed " + condition + ": " + page());
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }
}
