package dev.wax.bridge;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The records of a batch a Python sink partition packed: {@code count:i} then per record {@code
 * topic partition:i timestamp:q key value header_count:i (name value)*}, byte strings as {@code
 * length:i bytes} (-1 for None), partition -1 and timestamp 0 for "not set".
 */
final class KafkaRecords {
  private KafkaRecords() {}

  static List<ProducerRecord<byte[], byte[]>> unpack(byte[] packed) {
    ByteBuffer in = ByteBuffer.wrap(packed);
    int count = in.getInt();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
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
      records.add(
          new ProducerRecord<>(
              topic, partition < 0 ? null : partition, timestamp == 0 ? null : timestamp, key, value, headers));
    }
    return records;
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

  /** The error for a record Kafka refused. */
  static IllegalStateException refused(String topic, Throwable cause) {
    return new IllegalStateException("error producing to Kafka topic `'" + topic + "'`: " + cause.getMessage());
  }
}
