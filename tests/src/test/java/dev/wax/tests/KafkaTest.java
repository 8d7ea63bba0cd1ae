package dev.wax.tests;

import static dev.wax.tests.KafkaClients.copied;
import static dev.wax.tests.KafkaClients.records;
import static dev.wax.tests.KafkaClients.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wax.cli.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bytewax.connectors.kafka} against a real broker: a single-node KRaft Kafka in this JVM
 * (what {@code wax kafka broker} runs), on port 19092 because seed 003's flow names that port.
 */
class KafkaTest {
  private static final int SEED_PORT = 19092;

  @TempDir static Path brokerDir;
  private static KafkaBroker broker;
  private static KafkaClients kafka;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start(brokerDir, SEED_PORT);
    kafka = new KafkaClients(broker.address());
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void seedFlowWritesEveryRecordAnonymised(@TempDir Path tmp) throws Exception {
    kafka.createTopic("in_topic", 1);
    kafka.createTopic("out_topic", 1);
    kafka.produce(
        "in_topic",
        List.of(
            List.of("1", "{\"user_id\": \"1\", \"email\": \"ada@example.com\"}"),
            List.of("2", "{\"user_id\": \"2\", \"email\": \"grace@bytewax.io\"}"),
            List.of("3", "{\"user_id\": \"3\", \"email\": \"alan@example.org\"}")));
    Path out = tmp.resolve("out");
    Path err = tmp.resolve("err");
    Process flow = Wax.start(out, err, "run", "examples/kafka/kafka_in_out.py");
    try {
      List<List<String>> written = kafka.read("out_topic", 3, Duration.ofMinutes(3));
      assertEquals(
          List.of(
              List.of("", "{\"user_id\": \"1\", \"email\": \"******@example.com\"}"),
              List.of("", "{\"user_id\": \"2\", \"email\": \"******@bytewax.io\"}"),
              List.of("", "{\"user_id\": \"3\", \"email\": \"******@example.org\"}")),
          written);
    } finally {
      flow.destroy();
      flow.waitFor(30, TimeUnit.SECONDS);
    }
    List<String> inspected = Files.readAllLines(out);
    assertEquals(3, inspected.size(), String.join("\n", inspected) + Files.readString(err));
    assertTrue(
        inspected.get(0).startsWith(
            "kafka_in_out.inspect-oks: KafkaSourceMessage(key=b'1', value=b'{\"user_id\": \"1\", "
                + "\"email\": \"ada@example.com\"}', topic='in_topic', headers=[], latency=None, offset=0, "
                + "partition=0, timestamp=(1, "),
        inspected.get(0));
  }

  @Test
  void topicsOfSeveralPartitionsAreCopiedExactlyOnceOnTwoWorkersAndOnTwoProcesses() throws Exception {
    kafka.createTopic("copy_a", 3);
    kafka.createTopic("copy_b", 2);
    List<List<String>> records = records(60);
    kafka.produce("copy_a", records.subList(0, 40));
    kafka.produce("copy_b", records.subList(40, 60));
    List<List<String>> expected = copied(records);

    kafka.createTopic("copy_out_w2", 1);
    Wax.Result workers = copy(Map.of("KAFKA_IN", "copy_a,copy_b", "KAFKA_OUT", "copy_out_w2"), "run", "-w", "2");
    assertEquals(0, workers.exit(), workers.toString());
    assertEquals(sorted(expected), sorted(kafka.read("copy_out_w2", 60, Duration.ofSeconds(30))));

    kafka.createTopic("copy_out_p2", 1);
    Wax.Result processes =
        copy(Map.of("KAFKA_IN", "copy_a,copy_b", "KAFKA_OUT", "copy_out_p2"), "testing", "-p", "2", "-w", "2");
    assertEquals(0, processes.exit(), processes.toString());
    assertEquals(sorted(expected), sorted(kafka.read("copy_out_p2", 60, Duration.ofSeconds(30))));
  }

  /**
   * The exactly-once sink on two workers without recovery (each epoch commits as it closes), and
   * on two processes of two workers with recovery (each epoch commits once both processes
   * committed its snapshot): a read_committed consumer reads every record once.
   */
  @Test
  void anExactlyOnceSinkCommitsEveryRecordOnTwoWorkersAndOnTwoProcessesWithRecovery(@TempDir Path tmp)
      throws Exception {
    kafka.createTopic("tx_in", 3);
    List<List<String>> records = records(60);
    kafka.produce("tx_in", records);

    kafka.createTopic("tx_out_w2", 2);
    Wax.Result workers =
        copy(Map.of("KAFKA_IN", "tx_in", "KAFKA_OUT", "tx_out_w2", "KAFKA_TRANSACTIONAL_ID", "tx-w2"), "run", "-w", "2");
    assertEquals(0, workers.exit(), workers.toString());
    assertEquals(sorted(copied(records)), sorted(kafka.read("tx_out_w2", 61, Duration.ofSeconds(5))));

    kafka.createTopic("tx_out_p2", 2);
    Path recovery = Wax.recoveryDir(tmp, 3);
    Map<String, String> env =
        Map.of(
            "WAX_TEST_BROKERS", broker.address(), "KAFKA_IN", "tx_in", "KAFKA_OUT", "tx_out_p2",
            "KAFKA_TRANSACTIONAL_ID", "tx-p2");
    String addresses = Wax.freeAddresses(2);
    List<Process> processes = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      processes.add(
          Wax.start(
              env, tmp.resolve("out" + p), tmp.resolve("err" + p), "run", "tests/flows/kafka_copy.py", "-i", "" + p,
              "-a", addresses, "-w", "2", "-r", recovery.toString(), "-s", "0.2", "-b", "0"));
    }
    try {
      for (int p = 0; p < 2; p++) {
        assertTrue(processes.get(p).waitFor(3, TimeUnit.MINUTES), "process " + p + " did not end");
        assertEquals(0, processes.get(p).exitValue(), Files.readString(tmp.resolve("err" + p)));
      }
    } finally {
      processes.forEach(Process::destroyForcibly);
    }
    assertEquals(sorted(copied(records)), sorted(kafka.read("tx_out_p2", 61, Duration.ofSeconds(5))));
  }

  @Test
  void startingOffsetPicksWhereUnresumedPartitionsStart() throws Exception {
    kafka.createTopic("offsets_in", 1);
    List<List<String>> records = records(10);
    kafka.produce("offsets_in", records);

    kafka.createTopic("offsets_from_6", 1);
    Wax.Result fromSix = copy(Map.of("KAFKA_IN", "offsets_in", "KAFKA_OUT", "offsets_from_6", "KAFKA_START", "6"), "run");
    assertEquals(0, fromSix.exit(), fromSix.toString());
    assertEquals(
        List.of(List.of("k6", "v6!"), List.of("k7", "v7!"), List.of("k8", "v8!"), List.of("k9", "v9!")),
        kafka.read("offsets_from_6", 4, Duration.ofSeconds(30)));

    kafka.createTopic("offsets_from_end", 1);
    Wax.Result fromEnd = copy(Map.of("KAFKA_IN", "offsets_in", "KAFKA_OUT", "offsets_from_end", "KAFKA_START", "end"), "run");
    assertEquals(0, fromEnd.exit(), fromEnd.toString());
    assertEquals(List.of(), kafka.read("offsets_from_end", 0, Duration.ofSeconds(5)));
  }

  @Test
  void aResumedRunReadsOnFromTheSnapshottedOffsets(@TempDir Path recovery) throws Exception {
    kafka.createTopic("resume_in", 2);
    List<List<String>> first = new ArrayList<>();
    List<List<String>> second = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      (i < 12 ? first : second).add(List.of("k" + i, "v" + i));
    }
    kafka.produce("resume_in", first);
    Wax.Result init = Wax.interpreted("recovery", "init", recovery.toString(), "2");
    assertEquals(0, init.exit(), init.toString());

    kafka.createTopic("resume_out_1", 1);
    Wax.Result run1 =
        copy(Map.of("KAFKA_IN", "resume_in", "KAFKA_OUT", "resume_out_1"), "run", "-r", recovery.toString(), "-s", "1", "-b", "0");
    assertEquals(0, run1.exit(), run1.toString());
    assertEquals(sorted(copied(first)), sorted(kafka.read("resume_out_1", 12, Duration.ofSeconds(30))));

    kafka.produce("resume_in", second);
    kafka.createTopic("resume_out_2", 1);
    Wax.Result run2 =
        copy(Map.of("KAFKA_IN", "resume_in", "KAFKA_OUT", "resume_out_2"), "run", "-r", recovery.toString(), "-s", "1", "-b", "0");
    assertEquals(0, run2.exit(), run2.toString());
    assertEquals(sorted(copied(second)), sorted(kafka.read("resume_out_2", 8, Duration.ofSeconds(30))));
  }

  @Test
  void recordsThatFailToDeserializeGoToTheErrsStreamSayingWhereTheyCameFrom() throws Exception {
    kafka.createTopic("errs_in", 1);
    kafka.produce("errs_in", List.of(List.of("a", "{\"a\": 1}"), List.of("b", "not json"), List.of("c", "[2]")));
    Wax.Result result = flow("tests/flows/kafka_errors.py", Map.of("KAFKA_IN", "errs_in"), "run");
    assertEquals(0, result.exit(), result.toString());
    // (How the two steps' lines interleave is the scheduler's business, not the connector's.)
    assertEquals(
        List.of("kafka_errors.ok: {'a': 1}", "kafka_errors.ok: [2]"),
        result.out().lines().filter(line -> line.startsWith("kafka_errors.ok")).toList());
    assertEquals(
        List.of("kafka_errors.err: ('_VALUE_DESERIALIZATION', 'errs_in', 0, 1, b'not json')"),
        result.out().lines().filter(line -> line.startsWith("kafka_errors.err")).toList());
  }

  @Test
  void aMissingTopicAndUnreachableBrokersAreErrorsNamingThem() throws Exception {
    kafka.createTopic("missing_out", 1);
    Wax.Result missing = copy(Map.of("KAFKA_IN", "no_such_topic", "KAFKA_OUT", "missing_out"), "run");
    assertEquals(1, missing.exit(), missing.toString());
    assertTrue(
        missing.err().contains(
            "error listing partitions for Kafka topic `'no_such_topic'`: the topic does not exist on "
                + broker.address()),
        missing.toString());

    Wax.Result unreachable =
        copy(Map.of("WAX_TEST_BROKERS", "127.0.0.1:1", "KAFKA_IN", "copy_a", "KAFKA_OUT", "missing_out"), "run");
    assertEquals(1, unreachable.exit(), unreachable.toString());
    assertTrue(
        unreachable.err().contains("no Kafka broker answered within 15 s at 127.0.0.1:1"), unreachable.toString());
    assertFalse(unreachable.err().contains("\tat "), unreachable.toString());
  }

  @Test
  void theBrokerCommandRunsUntilCtrlCAndRefusesATakenPort(@TempDir Path tmp) throws Exception {
    Wax.Result taken = Wax.run(Map.of(), "kafka", "broker", "--port", "" + SEED_PORT);
    assertEquals(1, taken.exit(), taken.toString());
    assertEquals(
        "wax: cannot start the Kafka broker: port 19092 on 127.0.0.1 is in use (pick another with --port)\n",
        taken.err());

    Path out = tmp.resolve("out");
    Process broker =
        Wax.start(out, tmp.resolve("err"), "kafka", "broker", "--port", "0", "--dir", tmp.resolve("data").toString());
    try {
      // (A first interpreted start after a build records the launcher's start-up cache first.)
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (!Files.readString(out).contains("Kafka broker ready at localhost:") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      String ready = Files.readString(out);
      assertTrue(ready.matches("Kafka broker ready at localhost:\\d+ \\(data in .*\\)\n"), ready);
      new ProcessBuilder("kill", "-INT", "" + broker.pid()).start().waitFor();
      assertTrue(broker.waitFor(60, TimeUnit.SECONDS), "the broker did not stop on SIGINT");
      assertTrue(Files.readString(out).endsWith("Kafka broker stopped\n"), Files.readString(out));
      assertTrue(Files.exists(tmp.resolve("data/logs/meta.properties")), "--dir keeps the broker's data");
    } finally {
      broker.destroyForcibly();
    }
  }

  private static Wax.Result copy(Map<String, String> env, String command, String... options) throws Exception {
    return flow("tests/flows/kafka_copy.py", env, command, options);
  }

  /**
   * {@code wax COMMAND FLOW OPTIONS}, interpreted, with the test broker in {@code
   * WAX_TEST_BROKERS} unless {@code env} names other brokers.
   */
  private static Wax.Result flow(String file, Map<String, String> env, String command, String... options)
      throws Exception {
    Map<String, String> all = new HashMap<>(Map.of("WAX_RUNTIME", "interpreted", "WAX_TEST_BROKERS", broker.address()));
    all.putAll(env);
    List<String> args = new ArrayList<>(List.of(command, file));
    args.addAll(List.of(options));
    return Wax.run(all, args.toArray(String[]::new));
  }
}
