package dev.wax.bridge;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * Writes a Python sink partition's batches to Kafka. A batch arrives packed in one Python
 * {@code bytes} value; {@link #write} returns once every record of it is acknowledged, as
 * Bytewax's sink flushes after each batch.
 */
public final class PyKafkaWriter {
  private final KafkaProducer<byte[], byte[]> producer;

  PyKafkaWriter(Map<String, Object> config) {
    this.producer = new KafkaProducer<>(config);
  }

  /**
   * Sends a batch packed as {@code count:i} then per record {@code topic partition:i
   * timestamp:q key value header_count:i (name value)*}, byte strings as {@code length:i bytes}
   * (-1 for None), partition -1 and timestamp 0 for "not set".
   *
   * @throws IllegalStateException naming the topic of the first record Kafka refused
   */
  @HostAccess.Export
  public void write(Value packed) {
    ByteBuffer in = ByteBuffer.wrap(PyBytes.read(packed));
    int count = in.getInt();
    List<Future<RecordMetadata>> sent = new ArrayList<>(count);
    List<String> topics = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String topic = new String(readBytes(in), StandardCharsets.UTF_8);
      int partition = in.getInt();
      long timestamp = in.getLong();
      byte[] key = readBytes(in);
      byte[] value = readBytes(in);
      RecordHeaders headers = new RecordHeaders();
      for (int h = in.getInt(); h > 0; h--) {
        headers.add(new String(readBytes(in), StandardCharsets.UTF_8), readBytes(in));
      }
      sent.add(
          producer.send(
              new ProducerRecord<>(
                  topic, partition < 0 ? null : partition, timestamp == 0 ? null : timestamp, key, value, headers)));
      topics.add(topic);
    }
    producer.flush();
    for (int i = 0; i < count; i++) {
      try {
        sent.get(i).get();
      } catch (ExecutionException e) {
        throw new IllegalStateException(
            "error producing to Kafka topic `'" + topics.get(i) + "'`: " + e.getCause().getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while producing to Kafka");
      }
    }
  }

  private static byte[] readBytes(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return bytes;
  }

  @HostAccess.Export
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
