package dev.wax.tests;

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
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start(brokerDir, SEED_PORT);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void seedFlowWritesEveryRecordAnonymised(@TempDir Path tmp) throws Exception {
    createTopic("in_topic", 1);
    createTopic("out_topic", 1);
    produce(
        "in_topic",
        List.of(
            List.of("1", "{\"user_id\": \"1\", \"email\": \"ada@example.com\"}"),
            List.of("2", "{\"user_id\": \"2\", \"email\": \"grace@bytewax.io\"}"),
            List.of("3", "{\"user_id\": \"3\", \"email\": \"alan@example.org\"}")));
    Path out = tmp.resolve("out");
    Path err = tmp.resolve("err");
    Process flow = Wax.start(out, err, "run", "examples/kafka/kafka_in_out.py");
    try {
      List<List<String>> written = read("out_topic", 3, Duration.ofMinutes(3));
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
    createTopic("copy_a", 3);
    createTopic("copy_b", 2);
    List<List<String>> records = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      records.add(List.of("k" + i, "v" + i));
    }
    produce("copy_a", records.subList(0, 40));
    produce("copy_b", records.subList(40, 60));
    List<List<String>> expected = copied(records);

    createTopic("copy_out_w2", 1);
    Wax.Result workers = copy(Map.of("KAFKA_IN", "copy_a,copy_b", "KAFKA_OUT", "copy_out_w2"), "run", "-w", "2");
    assertEquals(0, workers.exit(), workers.toString());
    assertEquals(sorted(expected), sorted(read("copy_out_w2", 60, Duration.ofSeconds(30))));

    createTopic("copy_out_p2", 1);
    Wax.Result processes =
        copy(Map.of("KAFKA_IN", "copy_a,copy_b", "KAFKA_OUT", "copy_out_p2"), "testing", "-p", "2", "-w", "2");
    assertEquals(0, processes.exit(), processes.toString());
    assertEquals(sorted(expected), sorted(read("copy_out_p2", 60, Duration.ofSeconds(30))));
  }

  @Test
  void startingOffsetPicksWhereUnresumedPartitionsStart() throws Exception {
    createTopic("offsets_in", 1);
    List<List<String>> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      records.add(List.of("k" + i, "v" + i));
    }
    produce("offsets_in", records);

    createTopic("offsets_from_6", 1);
    Wax.Result fromSix = copy(Map.of("KAFKA_IN", "offsets_in", "KAFKA_OUT", "offsets_from_6", "KAFKA_START", "6"), "run");
    assertEquals(0, fromSix.exit(), fromSix.toString());
    assertEquals(
        List.of(List.of("k6", "v6!"), List.of("k7", "v7!"), List.of("k8", "v8!"), List.of("k9", "v9!")),
        read("offsets_from_6", 4, Duration.ofSeconds(30)));

    createTopic("offsets_from_end", 1);
    Wax.Result fromEnd = copy(Map.of("KAFKA_IN", "offsets_in", "KAFKA_OUT", "offsets_from_end", "KAFKA_START", "end"), "run");
    assertEquals(0, fromEnd.exit(), fromEnd.toString());
    assertEquals(List.of(), read("offsets_from_end", 0, Duration.ofSeconds(5)));
  }

  @Test
  void aResumedRunReadsOnFromTheSnapshottedOffsets(@TempDir Path recovery) throws Exception {
    createTopic("resume_in", 2);
    List<List<String>> first = new ArrayList<>();
    List<List<String>> second = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      (i < 12 ? first : second).add(List.of("k" + i, "v" + i));
    }
    produce("resume_in", first);
    Wax.Result init = Wax.interpreted("recovery", "init", recovery.toString(), "2");
    assertEquals(0, init.exit(), init.toString());

    createTopic("resume_out_1", 1);
    Wax.Result run1 =
        copy(Map.of("KAFKA_IN", "resume_in", "KAFKA_OUT", "resume_out_1"), "run", "-r", recovery.toString(), "-s", "1", "-b", "0");
    assertEquals(0, run1.exit(), run1.toString());
    assertEquals(sorted(copied(first)), sorted(read("resume_out_1", 12, Duration.ofSeconds(30))));

    produce("resume_in", second);
    createTopic("resume_out_2", 1);
    Wax.Result run2 =
        copy(Map.of("KAFKA_IN", "resume_in", "KAFKA_OUT", "resume_out_2"), "run", "-r", recovery.toString(), "-s", "1", "-b", "0");
    assertEquals(0, run2.exit(), run2.toString());
    assertEquals(sorted(copied(second)), sorted(read("resume_out_2", 8, Duration.ofSeconds(30))));
  }

  /**
   * A tailing flow with recovery is killed with SIGKILL while records keep arriving, then
   * started again: every record is written, and only those after the last snapshot twice (a
   * restart from the beginning would repeat at least the 500 already written).
   */
  @Test
  void aKilledRunResumesAfterItsLastSnapshotAndLosesNothing(@TempDir Path tmp) throws Exception {
    createTopic("crash_in", 2);
    createTopic("crash_out", 1);
    Path recovery = Files.createDirectories(tmp.resolve("recovery"));
    Wax.Result init = Wax.interpreted("recovery", "init", recovery.toString(), "2");
    assertEquals(0, init.exit(), init.toString());
    Map<String, String> env =
        Map.of("WAX_TEST_BROKERS", broker.address(), "KAFKA_IN", "crash_in", "KAFKA_OUT", "crash_out", "KAFKA_TAIL", "1");
    String[] args = {"run", "tests/flows/kafka_copy.py", "-r", recovery.toString(), "-s", "0.2", "-b", "0"};
    List<List<String>> records = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      records.add(List.of("k" + i, "v" + i));
    }
    Thread producer =
        new Thread(
            () -> {
              try {
                for (List<String> record : records) {
                  produce("crash_in", List.of(record));
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
      read("crash_out", 500, Duration.ofMinutes(3));
      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      int beforeKill = read("crash_out", 0, Duration.ofSeconds(2)).size();
      second = Wax.start(env, tmp.resolve("out2"), tmp.resolve("err2"), args);
      producer.join();
      List<List<String>> written =
          read("crash_out", all -> all.stream().distinct().count() >= records.size(), Duration.ofMinutes(3));
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

  @Test
  void recordsThatFailToDeserializeGoToTheErrsStreamSayingWhereTheyCameFrom() throws Exception {
    createTopic("errs_in", 1);
    produce("errs_in", List.of(List.of("a", "{\"a\": 1}"), List.of("b", "not json"), List.of("c", "[2]")));
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
    createTopic("missing_out", 1);
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

  private static void createTopic(String name, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.address()))) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
  }

  /** Writes {@code [key, value]} records, spread over the topic's partitions by key. */
  private static void produce(String topic, List<List<String>> records) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", broker.address()), new StringSerializer(), new StringSerializer())) {
      for (List<String> record : records) {
        producer.send(new ProducerRecord<>(topic, record.get(0), record.get(1))).get(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * The {@code [key, value]} of every record in {@code topic} (a missing key as ""), in offset
   * order per partition, once at least {@code count} arrived or {@code patience} passed.
   */
  private static List<List<String>> read(String topic, int count, Duration patience) {
    return read(topic, all -> count > 0 && all.size() >= count, patience);
  }

  /** Every record of {@code topic} once {@code enough} says so or {@code patience} passed. */
  private static List<List<String>> read(String topic, Predicate<List<List<String>>> enough, Duration patience) {
    List<List<String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", broker.address(), "isolation.level", "read_committed"),
            new StringDeserializer(),
            new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + patience.toNanos();
      while (System.nanoTime() < deadline && !enough.test(records)) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          records.add(List.of(record.key() == null ? "" : record.key(), record.value()));
        }
      }
    }
    return records;
  }

  private static List<List<String>> sorted(List<List<String>> records) {
    return records.stream().sorted((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b))).toList();
  }
}
