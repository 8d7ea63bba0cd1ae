package dev.wax.tests;

import static dev.wax.tests.KafkaClients.copied;
import static dev.wax.tests.KafkaClients.records;
import static dev.wax.tests.KafkaClients.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flows killed with SIGKILL and resumed, against a broker in its own process ({@code wax kafka
 * broker}), so that nothing of the broker dies with the flow or lives in the test's JVM.
 */
class KafkaCrashTest {
  private static final Pattern READY = Pattern.compile("Kafka broker ready at (localhost:\\d+) ");

  @TempDir static Path brokerDir;
  private static Process broker;
  private static KafkaClients kafka;

  @BeforeAll
  static void startBroker() throws Exception {
    Path out = brokerDir.resolve("out");
    broker =
        Wax.start(out, brokerDir.resolve("err"), "kafka", "broker", "--port", "0", "--dir", brokerDir.resolve("data").toString());
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    Matcher ready = READY.matcher("");
    while (!ready.reset(Files.readString(out)).find()) {
      if (System.nanoTime() > deadline || !broker.isAlive()) {
        throw new IllegalStateException("the broker did not start: " + Files.readString(brokerDir.resolve("err")));
      }
      Thread.sleep(100);
    }
    kafka = new KafkaClients(ready.group(1));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      new ProcessBuilder("kill", "-INT", "" + broker.pid()).start().waitFor();
      if (!broker.waitFor(60, TimeUnit.SECONDS)) {
        broker.destroyForcibly();
      }
    }
  }

  /**
   * A tailing flow with recovery is killed with SIGKILL while records keep arriving, then
   * started again: every record is written, and only those after the last snapshot twice (a
   * restart from the beginning would repeat at least the 500 already written).
   */
  @Test
  void aKilledRunResumesAfterItsLastSnapshotAndLosesNothing(@TempDir Path tmp) throws Exception {
    kafka.createTopic("crash_in", 2);
    kafka.createTopic("crash_out", 1);
    Path recovery = Wax.recoveryDir(tmp, 2);
    Map<String, String> env =
        Map.of("WAX_TEST_BROKERS", kafka.address(), "KAFKA_IN", "crash_in", "KAFKA_OUT", "crash_out", "KAFKA_TAIL", "1");
    String[] args = {"run", "tests/flows/kafka_copy.py", "-r", recovery.toString(), "-s", "0.2", "-b", "0"};
    List<List<String>> records = records(1000);
    Thread producer =
        new Thread(
            () -> {
              try {
                for (List<String> record : records) {
                  kafka.produce("crash_in", List.of(record));
                  Thread.sleep(10);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Process first = Wax.start(env, tmp.resolve("out1"), tmp.resolve("err1"), args);
    Process second = null;
    try {
      producer.start();
      kafka.read("crash_out", 500, Duration.ofMinutes(3));
      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      int beforeKill = kafka.read("crash_out", 0, Duration.ofSeconds(2)).size();
      second = Wax.start(env, tmp.resolve("out2"), tmp.resolve("err2"), args);
      producer.join();
      List<List<String>> written =
          kafka.read("crash_out", all -> all.stream().distinct().count() >= records.size(), Duration.ofMinutes(3));
      List<List<String>> distinct = written.stream().distinct().toList();
      assertEquals(sorted(copied(records)), sorted(distinct), Files.readString(tmp.resolve("err2")));
      int repeated = written.size() - distinct.size();
      System.out.printf("Kafka kill test: %d written before the kill, %d repeated after it%n", beforeKill, repeated);
      assertTrue(beforeKill >= 500 && repeated < 300, "written before the kill " + beforeKill + ", repeated " + repeated);
    } finally {
      first.destroyForcibly();
      if (second != null) {
        second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** What kafka_copy.py writes for these records. */
  private static List<List<String>> copied(List<List<String>> records) {
    return records.stream().map(r -> List.of(r.get(0), r.get(1) + "!")).toList();
  }

  /**
   * The exactly-once sink ({@code transactional.id}) on two workers, killed with SIGKILL five
   * times while records keep arriving and resumed each time: a {@code read_committed} consumer
   * then reads every record exactly once, none missing, none twice, also after one more kill and
   * resume once all was written.
   */
  @Test
  void anExactlyOnceSinkWritesEveryRecordOnceThroughFiveKills(@TempDir Path tmp) throws Exception {
    kafka.createTopic("eo_in", 2);
    kafka.createTopic("eo_out", 2);
    Path recovery = Wax.recoveryDir(tmp, 2);
    Map<String, String> env =
        Map.of(
            "WAX_TEST_BROKERS", kafka.address(), "KAFKA_IN", "eo_in", "KAFKA_OUT", "eo_out", "KAFKA_TAIL", "1",
            "KAFKA_TRANSACTIONAL_ID", "eo");
    String[] args = {"run", "tests/flows/kafka_copy.py", "-w", "2", "-r", recovery.toString(), "-s", "0.2", "-b", "0"};
    List<List<String>> records = records(1000);
    Thread producer =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < records.size(); i += 10) {
                  kafka.produce("eo_in", records.subList(i, i + 10));
                  Thread.sleep(50);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    producer.start();
    List<Integer> seenAtKills = new ArrayList<>();
    for (int run = 1; run <= 6; run++) {
      Process flow = Wax.start(env, tmp.resolve("out" + run), tmp.resolve("err" + run), args);
      try {
        int before = seenAtKills.isEmpty() ? 0 : seenAtKills.get(seenAtKills.size() - 1);
        // Runs 1-5 are killed once their output grew; run 6 once everything is there.
        int goal = run <= 5 ? Math.min(before + 50, records.size()) : records.size();
        List<List<String>> seen = kafka.read("eo_out", goal, Duration.ofMinutes(3));
        assertTrue(seen.size() >= goal, "run " + run + " wrote " + seen.size() + ": " + Files.readString(tmp.resolve("err" + run)));
        seenAtKills.add(seen.size());
      } finally {
        flow.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
    producer.join();
    // Once more, after everything was written: the resumed run must not write anything again
    // (a recovery writes before any new record, so the last record closes the check).
    Process last = Wax.start(env, tmp.resolve("out7"), tmp.resolve("err7"), args);
    try {
      List<List<String>> all = new ArrayList<>(records);
      all.add(List.of("last", "record"));
      kafka.produce("eo_in", all.subList(records.size(), all.size()));
      List<List<String>> written =
          kafka.read("eo_out", got -> got.contains(List.of("last", "record!")), Duration.ofMinutes(3));
      System.out.printf(
          "Kafka exactly-once test: read_committed counts at the kills %s, in the end %d%n", seenAtKills, written.size());
      assertEquals(sorted(copied(all)), sorted(written), Files.readString(tmp.resolve("err7")));
    } finally {
      last.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
