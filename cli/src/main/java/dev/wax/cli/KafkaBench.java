package dev.wax.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code wax bench --workload kafka}: small JSON records from one Kafka topic to another, each
 * parsed, changed and written again, through Wax ({@code examples/bench/kafka_roundtrip.py}:
 * {@code deserialize -> map -> serialize} in Python) and through a plain Java consume, transform,
 * produce loop (Jackson), both on the same broker started here.
 */
final class KafkaBench {
  /** Runs a benchmark child that prints one run line per run; its items/s per run. */
  interface ChildRuns {
    List<double[]> run(List<String> command) throws Exception;
  }

  private static final String TOPIC = "users";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintWriter out;
  private final int records;
  private final int runs;

  KafkaBench(PrintWriter out, int records, int runs) {
    this.out = out;
    this.records = records;
    this.runs = runs;
  }

  void run(Path home, ChildRuns wax) throws Exception {
    out.printf("%nkafka: %,d JSON records, topic -> parse -> change -> write -> topic (1 partition, one broker here)%n", records);
    Path dir = Files.createTempDirectory("wax-bench-kafka-");
    try (KafkaBroker broker = KafkaBroker.start(dir, 0)) {
      String brokers = broker.address();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers))) {
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
      }
      fill(brokers);
      double java = 0;
      for (int run = 1; run <= runs; run++) {
        double perSecond = javaLoop(brokers, TOPIC + "-java-" + run);
        out.printf("    Java loop run %d: %,.0f records/s%n", run, perSecond);
        out.flush();
        java = Math.max(java, perSecond);
      }
      List<double[]> perRun =
          wax.run(List.of(home.resolve("bin/wax").toString(), "python",
              home.resolve("examples/bench/kafka_roundtrip.py").toString(), brokers, TOPIC, "" + records, "" + runs));
      double waxBest = 0;
      for (int run = 0; run < perRun.size(); run++) {
        out.printf("    Wax run %d: %,.0f records/s%n", run + 1, perRun.get(run)[0]);
        if (run > 0) {
          waxBest = Math.max(waxBest, perRun.get(run)[0]);
        }
      }
      long written = count(brokers, TOPIC + "-wax-" + perRun.size());
      out.printf("Java loop best %,.0f records/s; Wax first run %,.0f, best warm run %,.0f records/s (%,d written): "
              + "Wax/Java %.2f warm, %.2f cold%n",
          java, perRun.get(0)[0], waxBest, written, waxBest / java, perRun.get(0)[0] / java);
      out.flush();
    } finally {
      Directories.deleteTree(dir);
    }
  }

  private void fill(String brokers) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = producer(brokers)) {
      for (int i = 0; i < records; i++) {
        ObjectNode user = JSON.createObjectNode().put("id", i).put("name", "user-" + i).put("value", i % 100);
        producer.send(new ProducerRecord<>(TOPIC, ("k" + i % 1000).getBytes(), JSON.writeValueAsBytes(user)));
      }
      producer.flush();
    }
  }

  /** Reads every record of the input, changes it as the Python map does, writes it; records/s. */
  private double javaLoop(String brokers, String outTopic) throws IOException {
    long start = System.nanoTime();
    int seen = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(brokers);
        KafkaProducer<byte[], byte[]> producer = producer(brokers)) {
      TopicPartition partition = new TopicPartition(TOPIC, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      while (seen < records) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          ObjectNode user = (ObjectNode) JSON.readTree(record.value());
          ObjectNode changed =
              JSON.createObjectNode()
                  .put("id", user.get("id").asLong())
                  .put("name", user.get("name").asText().toUpperCase())
                  .put("value", user.get("value").asLong() * 2)
                  .put("seen", true);
          producer.send(new ProducerRecord<>(outTopic, record.key(), JSON.writeValueAsBytes(changed)));
          seen++;
        }
      }
      producer.flush();
    }
    return records / ((System.nanoTime() - start) / 1e9);
  }

  private static long count(String brokers, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(brokers)) {
      TopicPartition partition = new TopicPartition(topic, 0);
      return consumer.endOffsets(List.of(partition)).get(partition);
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String brokers) {
    return new KafkaConsumer<>(
        Map.of("bootstrap.servers", brokers, "max.poll.records", 1000),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  private static KafkaProducer<byte[], byte[]> producer(String brokers) {
    return new KafkaProducer<>(Map.of("bootstrap.servers", brokers), new ByteArraySerializer(), new ByteArraySerializer());
  }
}
