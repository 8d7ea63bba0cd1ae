package dev.wax.tests;

import dev.wax.bridge.KafkaLogs;
import java.time.Duration;
import java.util.ArrayList;
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

/** What the Kafka tests do on a broker with Kafka's Java client: topics, records in, records out. */
final class KafkaClients {
  static {
    KafkaLogs.quiet(); // Every client would log its whole configuration.
  }

  private final String address;

  KafkaClients(String address) {
    this.address = address;
  }

  String address() {
    return address;
  }

  /** {@code count} records {@code [k<i>, v<i>]}. */
  static List<List<String>> records(int count) {
    List<List<String>> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(List.of("k" + i, "v" + i));
    }
    return records;
  }

  /** What {@code tests/flows/kafka_copy.py} writes for these {@code [key, value]} records. */
  static List<List<String>> copied(List<List<String>> records) {
    return records.stream().map(r -> List.of(r.get(0), r.get(1) + "!")).toList();
  }

  void createTopic(String name, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", address))) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
  }

  /** Writes {@code [key, value]} records, spread over the topic's partitions by key. */
  void produce(String topic, List<List<String>> records) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", address), new StringSerializer(), new StringSerializer())) {
      for (List<String> record : records) {
        producer.send(new ProducerRecord<>(topic, record.get(0), record.get(1))).get(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * The {@code [key, value]} of every record in {@code topic} (a missing key as ""), in offset
   * order per partition, once at least {@code count} arrived or {@code patience} passed.
   */
  List<List<String>> read(String topic, int count, Duration patience) {
    return read(topic, all -> count > 0 && all.size() >= count, patience);
  }

  /** Every record of {@code topic} once {@code enough} says so or {@code patience} passed. */
  List<List<String>> read(String topic, Predicate<List<List<String>>> enough, Duration patience) {
    List<List<String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", address, "isolation.level", "read_committed"),
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

  static List<List<String>> sorted(List<List<String>> records) {
    return records.stream().sorted((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b))).toList();
  }
}
