package dev.wax.bridge;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.graalvm.polyglot.HostAccess;

/**
 * Reads one Kafka partition for a Python source partition. Each {@link #poll()} hands over what
 * the consumer has fetched as one string of packed records (see {@link #pack}), which Python
 * unpacks in one go: one crossing per batch, not per record.
 */
public final class PyKafkaReader {
  /** librdkafka's logical offsets, as {@code confluent_kafka} exposes them. */
  static final long OFFSET_BEGINNING = -2;

  static final long OFFSET_END = -1;
  static final long OFFSET_STORED = -1000;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicPartition partition;
  /** Without tail: the end offset when reading started; the partition ends there. */
  private final long endOffset;

  private String error;

  PyKafkaReader(Map<String, Object> config, String topic, int partition, long startOffset, boolean tail) {
    this.consumer = new KafkaConsumer<>(config);
    this.partition = new TopicPartition(topic, partition);
    try {
      consumer.assign(List.of(this.partition));
      seek(startOffset);
      this.endOffset =
          tail ? Long.MAX_VALUE : consumer.endOffsets(List.of(this.partition), PyKafka.METADATA_TIMEOUT).get(this.partition);
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      consumer.close(Duration.ZERO);
      throw PyKafka.unreachable(config);
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
  }

  private void seek(long offset) {
    if (offset >= 0) {
      consumer.seek(partition, offset);
    } else if (offset == OFFSET_BEGINNING) {
      consumer.seekToBeginning(List.of(partition));
    } else if (offset == OFFSET_END) {
      consumer.seekToEnd(List.of(partition));
    } else if (offset == OFFSET_STORED) {
      OffsetAndMetadata committed = consumer.committed(java.util.Set.of(partition)).get(partition);
      if (committed != null) {
        consumer.seek(partition, committed.offset());
      }
    } else {
      throw new IllegalArgumentException(
          "starting offset must be OFFSET_BEGINNING, OFFSET_END, OFFSET_STORED or a number >= 0; got " + offset);
    }
  }

  /**
   * The records fetched so far (at most the batch size), packed; null once a partition read
   * without tail reached its end. A consumer error ends the batch early: {@link #error()} says it.
   */
  @HostAccess.Export
  public String poll() {
    error = null;
    if (consumer.position(partition) >= endOffset) {
      return null;
    }
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = consumer.poll(Duration.ofMillis(1));
    } catch (KafkaException e) {
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
      return "";
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
        if (record.offset() >= endOffset) {
          // Past the end seen at the start: left unread, and the next poll ends the partition.
          consumer.seek(partition, endOffset);
          break;
        }
        pack(record, out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return PyBytes.handOver(bytes.toByteArray());
  }

  /** The error that ended the last poll, or null. */
  @HostAccess.Export
  public String error() {
    return error;
  }

  /**
   * A fixed head {@code offset:q timestamp_type:b timestamp:q key_length:i value_length:i
   * header_count:i} (lengths -1 for None), then the key's and the value's bytes, then each
   * header as {@code name_length:i name value_length:i value}; big-endian. One fixed head lets
   * Python read a record's numbers in one go.
   */
  private static void pack(ConsumerRecord<byte[], byte[]> record, DataOutputStream out) throws IOException {
    byte[] key = record.key();
    byte[] value = record.value();
    Header[] headers = record.headers().toArray();
    out.writeLong(record.offset());
    out.writeByte(record.timestampType().id + 1);
    out.writeLong(record.timestamp());
    out.writeInt(key == null ? -1 : key.length);
    out.writeInt(value == null ? -1 : value.length);
    out.writeInt(headers.length);
    if (key != null) {
      out.write(key);
    }
    if (value != null) {
      out.write(value);
    }
    for (Header header : headers) {
      writeBytes(header.key().getBytes(StandardCharsets.UTF_8), out);
      writeBytes(header.value(), out);
    }
  }

  private static void writeBytes(byte[] bytes, DataOutputStream out) throws IOException {
    if (bytes == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(bytes.length);
      out.write(bytes);
    }
  }

  @HostAccess.Export
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
