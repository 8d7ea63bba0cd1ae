package dev.wax.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wax.engine.UsageException;
import dev.wax.engine.WaxException;
import dev.wax.engine.runtime.Execution;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Only processes that know the cluster's secret join it; strangers and broken frames cannot harm it. */
class MembershipTest {
  private static final ClusterSecret SECRET = ClusterSecret.of("the secret of this test's cluster", "test");

  /**
   * While two processes run dataflows in a row, strangers knock on process 0's port: with an
   * old-style HELLO and no proof, with a forged proof after a real challenge, and with data at
   * once. Each is turned away within seconds, and every run still counts every item.
   */
  @Test
  void strangersAreTurnedAwayAndEveryRunStaysExact() throws Exception {
    RunsInARow series = new RunsInARow(200, SECRET);
    series.start();
    int turnedAway = 0;
    for (int attempt = 0; series.running(); attempt++) {
      try (RawPeer stranger = new RawPeer(series.port(0))) {
        switch (attempt % 3) {
          case 0 -> stranger.send(Frames.HELLO, Frames.helloFields(1, 2, 1, 0));
          case 1 -> {
            stranger.send(Frames.CHALLENGE, ClusterSecret.nonce());
            stranger.read();
            stranger.send(Frames.HELLO, RawPeer.concat(Frames.helloFields(1, 2, 1, 0), new byte[32]));
          }
          default -> stranger.send(Frames.DATA, new byte[40]);
        }
        assertTrue(stranger.closedWithin(Duration.ofSeconds(5)), "stranger " + attempt + " was not turned away");
        turnedAway++;
      } catch (ConnectException e) {
        // Between two runs nobody listens.
      } catch (SocketException | EOFException e) {
        // A run ended while the stranger talked: its end closed every connection.
      }
    }
    series.awaitEnd(Duration.ofMinutes(2));
    series.assertEveryRunCountedEveryItem();
    assertTrue(turnedAway >= 10, "only " + turnedAway + " strangers reached the cluster");
  }

  @Test
  void aProcessWithAnotherSecretCannotJoin() throws Exception {
    List<String> addresses = List.of("127.0.0.1:" + ProcessZero.freePort(), "127.0.0.1:" + ProcessZero.freePort());
    Duration timeout = Duration.ofSeconds(2);
    CompletableFuture<Execution> first =
        CompletableFuture.supplyAsync(() -> Mesh.join(ClusterConfig.parse(addresses, 0, timeout, SECRET), 1, 0));
    ClusterSecret other = ClusterSecret.of("another secret, not the cluster's", "test");
    WaxException refused =
        assertThrows(WaxException.class, () -> Mesh.join(ClusterConfig.parse(addresses, 1, timeout, other), 1, 0));
    assertEquals("process 1 cannot join process 0 at " + addresses.get(0) + ": that process has another"
        + " cluster secret; WAX_CLUSTER_SECRET (or the file WAX_CLUSTER_SECRET_FILE names) must be the same"
        + " in every process", refused.getMessage());
    Throwable alone = assertThrows(Exception.class, () -> first.get(30, TimeUnit.SECONDS)).getCause();
    assertEquals("process 0 could not connect to every process within 2 s", alone.getMessage());
  }

  @Test
  void withoutASecretOnlyLoopbackAddressesMayFormACluster() {
    ClusterConfig beyond =
        ClusterConfig.parse(List.of("127.0.0.1:7001", "192.0.2.1:7002"), 0, Duration.ofSeconds(1), ClusterSecret.NONE);
    UsageException refused = assertThrows(UsageException.class, () -> Mesh.join(beyond, 1, 0));
    assertEquals("process 1's address 192.0.2.1:7002 is not a loopback address, and no cluster secret is"
        + " set: anyone who reaches the cluster's ports could join it and run code in it. Give every process"
        + " the same secret in WAX_CLUSTER_SECRET (e.g. `export WAX_CLUSTER_SECRET=$(openssl rand -hex 32)`)"
        + " or in a file named by WAX_CLUSTER_SECRET_FILE", refused.getMessage());
    ClusterConfig.parse(List.of("localhost:7001", "127.0.0.2:7002"), 0, Duration.ofSeconds(1), ClusterSecret.NONE)
        .requireSecretBeyondLoopback();
    ClusterConfig.parse(List.of("127.0.0.1:7001", "192.0.2.1:7002"), 0, Duration.ofSeconds(1), SECRET)
        .requireSecretBeyondLoopback();
  }

  @Test
  void aSecretShorterThanSixteenBytesIsRefused() {
    UsageException refused = assertThrows(UsageException.class, () -> ClusterSecret.of("short", "WAX_CLUSTER_SECRET"));
    assertEquals("WAX_CLUSTER_SECRET holds 5 bytes; a cluster secret needs at least 16 (for example the output"
        + " of `openssl rand -hex 32`)", refused.getMessage());
  }

  /** A frame no member would send: the run fails with a message that names the sender. */
  @Test
  void aMemberThatSendsABrokenFrameFailsTheRunNamingIt() throws Exception {
    assertBrokenFrame(frame(Frames.DATA, ByteBuffer.allocate(20).putInt(0).putInt(0).putInt(1).putInt(5)
            .putInt(1 << 30).array()),
        "a DATA frame of 5 items with 1073741824 keys in 0 bytes");
    assertBrokenFrame(frame(Frames.DATA, ByteBuffer.allocate(12).putInt(3).putInt(0).putInt(1).array()),
        "a frame from worker 1 for worker 3's step 0, but process 0 runs workers 0 to 0 and process 1 runs 1 to 1");
    assertBrokenFrame(frame(Frames.DATA, ByteBuffer.allocate(6).putInt(0).putShort((short) 0).array()),
        "a frame of type 2 and 7 bytes, shorter than its fields say");
    assertBrokenFrame(frame((byte) 99, new byte[0]), "a frame of type 99 after the handshake");
    assertBrokenFrame(frame(Frames.CHALLENGE, new byte[32]), "a frame of type 10 after the handshake");
    assertBrokenFrame(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array(),
        "a frame said to hold 2147483647 bytes (frames hold 1 to 268435456 bytes)");
    assertBrokenFrame(ByteBuffer.allocate(4).putInt(0).array(),
        "a frame said to hold 0 bytes (frames hold 1 to 268435456 bytes)");
  }

  private static byte[] frame(byte type, byte[] body) {
    return ByteBuffer.allocate(5 + body.length).putInt(1 + body.length).put(type).put(body).array();
  }

  /** Process 0 with a raw member as process 1, which sends {@code bytes} once it has joined. */
  private static void assertBrokenFrame(byte[] bytes, String why) throws Exception {
    ProcessZero zero = ProcessZero.join(SECRET, Duration.ofSeconds(10));
    try (RawPeer member = zero.connect()) {
      member.join(SECRET, 1, 2);
      Execution execution = zero.execution();
      member.sendRaw(bytes);
      assertEquals("process 1 at " + zero.addresses.get(1) + " sent a broken frame: " + why,
          ProcessZero.awaitFailure(execution));
      assertTrue(member.closedWithin(Duration.ofSeconds(5)));
      execution.finish();
    }
  }
}
