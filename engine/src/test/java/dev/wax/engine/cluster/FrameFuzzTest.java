package dev.wax.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wax.engine.runtime.Execution;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated and random bytes against a real listening process, for a bounded time ({@code
 * wax.fuzz.seconds}, default 5 per test; the seed is printed so a failure can be replayed with
 * {@code wax.fuzz.seed}). Strangers' bytes never get in and never stop the process; a member's
 * bytes are taken in as frames or fail the run with a message that names the member and says
 * what was wrong, never a bare Java exception, and never a hang.
 */
class FrameFuzzTest {
  private static final ClusterSecret SECRET = ClusterSecret.of("the secret of the fuzzed cluster", "test");
  private static final long SECONDS = Long.getLong("wax.fuzz.seconds", 5);

  /** Valid frames (length prefix included) that mutations start from. */
  private static final List<byte[]> CORPUS =
      List.of(
          frame(Frames.DATA, ByteBuffer.allocate(28).putInt(0).putInt(0).putInt(1).putInt(1).putInt(1)
              .putInt(1).put((byte) 'k').array()),
          frame(Frames.DATA, ByteBuffer.allocate(20).putInt(0).putInt(1).putInt(1).putInt(2).putInt(-1).array()),
          frame(Frames.EPOCH_END, ByteBuffer.allocate(20).putInt(0).putInt(0).putInt(1).putLong(3).array()),
          frame(Frames.END, ByteBuffer.allocate(12).putInt(0).putInt(2).putInt(1).array()),
          frame(Frames.FAILURE, ByteBuffer.allocate(9).putInt(1).putInt(1).put((byte) 'x').array()),
          frame(Frames.PING, new byte[0]),
          frame(Frames.CHALLENGE, new byte[ClusterSecret.NONCE_LENGTH]),
          frame(Frames.HELLO, new byte[Frames.HELLO_FIELDS + ClusterSecret.PROOF_LENGTH]));

  @Test
  void strangersBytesNeverGetInAndNeverStopTheProcess() throws Exception {
    Random random = seeded("strangers");
    ProcessZero zero = ProcessZero.join(SECRET, Duration.ofSeconds(SECONDS + 30));
    long end = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
    int cases = 0;
    while (System.nanoTime() < end) {
      try (RawPeer stranger = zero.connect()) {
        stranger.sendRaw(mutated(random));
        stranger.shutdownOutput();
        assertTrue(stranger.closedWithin(Duration.ofSeconds(10)), "case " + cases + " was not turned away");
      } catch (SocketException e) {
        // Refused while it still wrote: turned away all the same.
      }
      cases++;
    }
    // The process still waits for its real peer, which joins.
    try (RawPeer member = zero.connect()) {
      member.join(SECRET, 1, 2);
      Execution execution = zero.execution();
      assertFalse(execution.isCutShort());
      member.send(Frames.BYE, new byte[0]);
      execution.finish();
    }
    System.out.println("fuzzed strangers: " + cases + " connections");
    assertTrue(cases > 20, "only " + cases + " cases ran");
  }

  @Test
  void membersBytesAreTakenInOrFailTheRunSayingWhy() throws Exception {
    Random random = seeded("members");
    long end = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
    int cases = 0;
    while (System.nanoTime() < end) {
      ProcessZero zero = ProcessZero.join(SECRET, Duration.ofSeconds(10));
      byte[] bytes = mutated(random);
      try (RawPeer member = zero.connect()) {
        member.join(SECRET, 1, 2);
        Execution execution = zero.execution();
        try {
          member.sendRaw(bytes);
          member.shutdownOutput();
        } catch (SocketException e) {
          // Process 0 already closed the connection on an earlier part of the bytes.
        }
        String failure = ProcessZero.awaitFailure(execution);
        String where = "case " + cases + " " + hex(bytes) + ": " + failure;
        // The connection's end alone fails the run, unless the bytes held a goodbye (BYE).
        if (failure != null) {
          assertTrue(failure.contains("process 1 "), where);
          if (failure.startsWith("process 1 at " + zero.addresses.get(1) + " sent a broken frame: ")) {
            assertFalse(failure.contains("java.") || failure.contains("Exception"), where);
          }
        }
        execution.finish();
      }
      cases++;
    }
    System.out.println("fuzzed members: " + cases + " runs");
    assertTrue(cases > 10, "only " + cases + " cases ran");
  }

  private static Random seeded(String test) {
    long seed = Long.getLong("wax.fuzz.seed", System.nanoTime());
    System.out.println("fuzz " + test + ": -Dwax.fuzz.seed=" + seed);
    return new Random(seed);
  }

  /** A corpus frame or two with a few random changes, or random bytes. */
  private static byte[] mutated(Random random) {
    if (random.nextInt(8) == 0) {
      byte[] noise = new byte[random.nextInt(300)];
      random.nextBytes(noise);
      return noise;
    }
    byte[] first = CORPUS.get(random.nextInt(CORPUS.size()));
    byte[] bytes = random.nextBoolean() ? first : RawPeer.concat(first, CORPUS.get(random.nextInt(CORPUS.size())));
    bytes = bytes.clone();
    int changes = 1 + random.nextInt(3);
    for (int i = 0; i < changes; i++) {
      switch (random.nextInt(4)) {
        case 0 -> {
          if (bytes.length > 0) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
          }
        }
        case 1 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
        case 2 -> {
          byte[] tail = new byte[random.nextInt(16)];
          random.nextBytes(tail);
          bytes = RawPeer.concat(bytes, tail);
        }
        default -> {
          if (bytes.length >= 4) {
            ByteBuffer.wrap(bytes).putInt(0, interestingLength(random));
          }
        }
      }
    }
    return bytes;
  }

  private static int interestingLength(Random random) {
    int[] lengths = {0, 1, -1, 5, 127, 128, 129, FrameDecoder.MAX_FRAME, FrameDecoder.MAX_FRAME + 1, Integer.MAX_VALUE};
    return lengths[random.nextInt(lengths.length)];
  }

  private static byte[] frame(byte type, byte[] body) {
    return ByteBuffer.allocate(5 + body.length).putInt(1 + body.length).put(type).put(body).array();
  }

  private static String hex(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(bytes);
  }
}
