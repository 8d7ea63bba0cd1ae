package dev.wax.bridge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.graalvm.polyglot.HostAccess;

/**
 * {@code bytewax.connectors.kafka}'s way to Apache Kafka's Java client. Python passes client
 * settings already translated to the Java client's names, as {@code [key, value, key, value...]}.
 */
public final class PyKafka {
  static {
    KafkaLogs.quiet();
  }

  /** How long listing a source's partitions may wait for the brokers. */
  static final Duration METADATA_TIMEOUT = Duration.ofSeconds(15);

  /**
   * The partitions of each topic, as Bytewax names them ({@code "3-topic"}), topic by topic in
   * the given order and by partition number within one.
   *
   * @throws IllegalStateException naming the brokers when none answers in time, or naming a topic
   *     that does not exist
   */
  @HostAccess.Export
  public List<String> listParts(String[] settings, String[] topics) {
    Map<String, Object> config = config(settings);
    config.put("request.timeout.ms", (int) METADATA_TIMEOUT.toMillis());
    config.put("default.api.timeout.ms", (int) METADATA_TIMEOUT.toMillis());
    List<String> parts = new ArrayList<>();
    try (Admin admin = Admin.create(config)) {
      for (String topic : topics) {
        TopicDescription description;
        try {
          description =
              admin.describeTopics(List.of(topic))
                  .allTopicNames()
                  .get(METADATA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                  .get(topic);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
            throw unreachable(config);
          }
          if (e.getCause() instanceof UnknownTopicOrPartitionException) {
            throw new IllegalStateException(
                "error listing partitions for Kafka topic `'" + topic + "'`: the topic does not exist on "
                    + config.get("bootstrap.servers"));
          }
          throw new IllegalStateException(
              "error listing partitions for Kafka topic `'" + topic + "'`: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
          throw unreachable(config);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while listing Kafka partitions");
        }
        TreeMap<Integer, String> byNumber = new TreeMap<>();
        description.partitions().forEach(p -> byNumber.put(p.partition(), p.partition() + "-" + topic));
        parts.addAll(byNumber.values());
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw unreachable(config);
    }
    return parts;
  }

  /** A reader of one partition from {@code startOffset} (or Kafka's OFFSET_BEGINNING/END). */
  @HostAccess.Export
  public PyKafkaReader reader(String[] settings, String topic, int partition, long startOffset, boolean tail, int batchSize) {
    Map<String, Object> config = config(settings);
    config.put("key.deserializer", ByteArrayDeserializer.class.getName());
    config.put("value.deserializer", ByteArrayDeserializer.class.getName());
    config.put("max.poll.records", batchSize);
    return new PyKafkaReader(config, topic, partition, startOffset, tail);
  }

  /** A producer for one worker's sink partition, each batch written at once. */
  @HostAccess.Export
  public PyKafkaWriter writer(String[] settings) {
    return new PyKafkaWriter(producerConfig(settings));
  }

  /**
   * Worker {@code worker}'s exactly-once sink partition: each epoch's output is one transaction
   * of {@code <transactionalId>-<worker>}, committed with the epoch's snapshot.
   */
  @HostAccess.Export
  public PyKafkaTransactionalWriter transactionalWriter(String[] settings, String transactionalId, int worker) {
    return new PyKafkaTransactionalWriter(producerConfig(settings), transactionalId, worker);
  }

  private static Map<String, Object> producerConfig(String[] settings) {
    Map<String, Object> config = config(settings);
    config.put("key.serializer", ByteArraySerializer.class.getName());
    config.put("value.serializer", ByteArraySerializer.class.getName());
    return config;
  }

  static Map<String, Object> config(String[] settings) {
    Map<String, Object> config = new HashMap<>();
    for (int i = 0; i + 1 < settings.length; i += 2) {
      config.put(settings[i], settings[i + 1]);
    }
    return config;
  }

  static IllegalStateException unreachable(Map<String, Object> config) {
    return new IllegalStateException(
        "no Kafka broker answered within "
            + METADATA_TIMEOUT.toSeconds()
            + " s at "
            + config.get("bootstrap.servers")
            + "; check the brokers' addresses and that they are running");
  }
}
