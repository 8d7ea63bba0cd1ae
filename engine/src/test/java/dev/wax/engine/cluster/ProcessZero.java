package dev.wax.engine.cluster;

import dev.wax.engine.runtime.Execution;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Process 0 of a two-process cluster, joining on a thread of this JVM, while the test plays
 * process 1 (or a stranger) with a {@link RawPeer}.
 */
final class ProcessZero {
  final List<String> addresses;
  private final CompletableFuture<Execution> joined;

  private ProcessZero(List<String> addresses, CompletableFuture<Execution> joined) {
    this.addresses = addresses;
    this.joined = joined;
  }

  static ProcessZero join(ClusterSecret secret, Duration timeout) throws IOException {
    List<String> addresses = List.of("127.0.0.1:" + freePort(), "127.0.0.1:" + freePort());
    ClusterConfig config = ClusterConfig.parse(addresses, 0, timeout, secret);
    return new ProcessZero(addresses, CompletableFuture.supplyAsync(() -> Mesh.join(config, 1, 0)));
  }

  /** A connection to process 0, once it listens. */
  RawPeer connect() throws Exception {
    int port = Integer.parseInt(addresses.get(0).substring(addresses.get(0).lastIndexOf(':') + 1));
    for (int attempt = 0; ; attempt++) {
      try {
        return new RawPeer(port);
      } catch (ConnectException e) {
        if (attempt == 500 || joined.isDone()) {
          throw e;
        }
        Thread.sleep(10);
      }
    }
  }

  /** Process 0's execution, once process 1 joined. */
  Execution execution() throws Exception {
    return joined.get(10, TimeUnit.SECONDS);
  }

  /** Process 0's failure, once there is one (null if none within 10 s). */
  static String awaitFailure(Execution execution) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (execution.remoteFailure() == null && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return execution.remoteFailure();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
