package dev.wax.bridge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * Writes a Python sink partition's batches to Kafka. A batch arrives packed in one Python
 * {@code bytes} value ({@link KafkaRecords}); {@link #write} returns once every record of it is
 * acknowledged, as Bytewax's sink flushes after each batch.
 */
public final class PyKafkaWriter {
  private final KafkaProducer<byte[], byte[]> producer;

  PyKafkaWriter(Map<String, Object> config) {
    this.producer = new KafkaProducer<>(config);
  }

  /** @throws IllegalStateException naming the topic of the first record Kafka refused */
  @HostAccess.Export
  public void write(Value packed) {
    List<ProducerRecord<byte[], byte[]>> records = KafkaRecords.unpack(PyBytes.read(packed));
    List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
    for (ProducerRecord<byte[], byte[]> record : records) {
      sent.add(producer.send(record));
    }
    producer.flush();
    for (int i = 0; i < sent.size(); i++) {
      try {
        sent.get(i).get();
      } catch (ExecutionException e) {
        throw KafkaRecords.refused(records.get(i).topic(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while producing to Kafka");
      }
    }
  }

  @HostAccess.Export
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
