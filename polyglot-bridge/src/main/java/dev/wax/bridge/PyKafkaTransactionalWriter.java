package dev.wax.bridge;

import dev.wax.engine.io.OutputCommitter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * A worker's exactly-once Kafka sink partition: what it is given in an epoch is written in one
 * Kafka transaction once the epoch's snapshot is durable everywhere ({@link OutputCommitter}).
 *
 * <p>Worker {@code w} writes with the transactional id {@code <transactional.id>-w}. Each
 * transaction also commits an offset for the consumer group of that same name, whose metadata
 * names the epoch and a random nonce: after a crash, the nonce the group holds tells which of the
 * prepared epochs Kafka committed, and only the others are written again. The records of an epoch
 * wait in memory and in the snapshot until then.
 */
public final class PyKafkaTransactionalWriter implements OutputCommitter {
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, Object> config;
  private final String transactionalId;
  private final int worker;
  private final KafkaProducer<byte[], byte[]> producer;
  /** Batches written in the current epoch, still packed. */
  private final List<byte[]> written = new ArrayList<>();
  /** Epochs prepared and not yet committed, oldest first. */
  private final TreeMap<Long, Epoch> waiting = new TreeMap<>();

  /** One epoch's output and the marker its transaction leaves. */
  private record Epoch(String marker, List<byte[]> batches) {}

  /** What worker {@code worker} prepared and had not seen committed. */
  private record Prepared(int worker, TreeMap<Long, Epoch> epochs) {}

  PyKafkaTransactionalWriter(Map<String, Object> config, String transactionalId, int worker) {
    this.config = config;
    this.transactionalId = transactionalId;
    this.worker = worker;
    this.producer = producer(worker);
  }

  /** A producer with worker {@code w}'s transactional id; any transaction it left open aborts. */
  private KafkaProducer<byte[], byte[]> producer(int w) {
    Map<String, Object> settings = new HashMap<>(config);
    settings.put("transactional.id", idOf(w));
    KafkaProducer<byte[], byte[]> created = new KafkaProducer<>(settings);
    try {
      created.initTransactions();
    } catch (KafkaException e) {
      created.close(Duration.ZERO);
      throw new IllegalStateException(
          "error starting Kafka transactions as `'" + idOf(w) + "'` on " + config.get("bootstrap.servers") + ": "
              + e.getMessage());
    }
    return created;
  }

  private String idOf(int w) {
    return transactionalId + "-" + w;
  }

  /** Holds the packed batch until its epoch commits. */
  @HostAccess.Export
  public void write(Value packed) {
    byte[] batch = PyBytes.read(packed);
    if (batch.length > Integer.BYTES) { // Not just a count of 0.
      written.add(batch);
    }
  }

  @Override
  public byte[] prepare(long epoch) {
    if (!written.isEmpty()) {
      waiting.put(epoch, new Epoch("wax epoch " + epoch + " " + UUID.randomUUID(), List.copyOf(written)));
      written.clear();
    }
    return waiting.isEmpty() ? null : encode(new Prepared(worker, waiting));
  }

  @Override
  public void commit(long epoch) {
    while (!waiting.isEmpty() && waiting.firstKey() <= epoch) {
      long first = waiting.firstKey();
      send(producer, worker, first, waiting.get(first));
      waiting.remove(first);
    }
  }

  @Override
  public void recover(byte[] state) {
    Prepared prepared = decode(state);
    int from = prepared.worker();
    KafkaProducer<byte[], byte[]> sender = from == worker ? producer : producer(from);
    try {
      // Epochs commit in order: those after the last one the group holds were not committed.
      Set<String> committed = committedMarkers(idOf(from));
      long last = Long.MIN_VALUE;
      for (Map.Entry<Long, Epoch> e : prepared.epochs().entrySet()) {
        if (committed.contains(e.getValue().marker())) {
          last = e.getKey();
        }
      }
      for (Map.Entry<Long, Epoch> e : prepared.epochs().tailMap(last, false).entrySet()) {
        send(sender, from, e.getKey(), e.getValue());
      }
    } finally {
      if (sender != producer) {
        sender.close(Duration.ofSeconds(10));
      }
    }
  }

  /** Writes one epoch's records and its marker in one transaction. */
  private void send(KafkaProducer<byte[], byte[]> sender, int w, long epoch, Epoch output) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    output.batches().forEach(batch -> records.addAll(KafkaRecords.unpack(batch)));
    if (records.isEmpty()) {
      return;
    }
    AtomicReference<RuntimeException> refused = new AtomicReference<>();
    // Offsets of the first topic written carry the marker: any topic of the epoch would do.
    TopicPartition markerAt = new TopicPartition(records.get(0).topic(), 0);
    try {
      sender.beginTransaction();
      for (ProducerRecord<byte[], byte[]> record : records) {
        sender.send(
            record,
            (metadata, error) -> {
              if (error != null) {
                refused.compareAndSet(null, KafkaRecords.refused(record.topic(), error));
              }
            });
      }
      sender.sendOffsetsToTransaction(
          Map.of(markerAt, new OffsetAndMetadata(epoch, output.marker())), new ConsumerGroupMetadata(idOf(w)));
      sender.commitTransaction();
    } catch (ProducerFencedException e) {
      throw new IllegalStateException(
          "Kafka transactions of `'" + idOf(w) + "'` were taken over by another producer; "
              + "each flow needs a `transactional.id` of its own");
    } catch (KafkaException e) {
      if (refused.get() != null) {
        throw refused.get();
      }
      throw new IllegalStateException(
          "error committing Kafka transaction `'" + idOf(w) + "'` of epoch " + epoch + ": " + e.getMessage());
    }
  }

  /** The markers of the transactions consumer group {@code group} holds offsets of. */
  private Set<String> committedMarkers(String group) {
    Map<String, Object> adminConfig = new HashMap<>(config);
    adminConfig.keySet().retainAll(AdminClientConfig.configNames());
    try (Admin admin = Admin.create(adminConfig)) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(group, new ListConsumerGroupOffsetsOptions().requireStable(true))
              .partitionsToOffsetAndMetadata()
              .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Set<String> markers = new HashSet<>();
      offsets.values().forEach(o -> {
        if (o != null) {
          markers.add(o.metadata());
        }
      });
      return markers;
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "error reading which Kafka transactions of `'" + group + "'` committed: " + cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while recovering Kafka transactions");
    }
  }

  /** {@code worker:i count:i (epoch:q marker:UTF batches:i (length:i bytes)*)*} */
  private static byte[] encode(Prepared prepared) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(prepared.worker());
      out.writeInt(prepared.epochs().size());
      for (Map.Entry<Long, Epoch> e : prepared.epochs().entrySet()) {
        out.writeLong(e.getKey());
        out.writeUTF(e.getValue().marker());
        out.writeInt(e.getValue().batches().size());
        for (byte[] batch : e.getValue().batches()) {
          out.writeInt(batch.length);
          out.write(batch);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static Prepared decode(byte[] state) {
    TreeMap<Long, Epoch> epochs = new TreeMap<>();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
      int worker = in.readInt();
      for (int n = in.readInt(); n > 0; n--) {
        long epoch = in.readLong();
        String marker = in.readUTF();
        List<byte[]> batches = new ArrayList<>();
        for (int b = in.readInt(); b > 0; b--) {
          batches.add(in.readNBytes(in.readInt()));
        }
        epochs.put(epoch, new Epoch(marker, batches));
      }
      return new Prepared(worker, epochs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @HostAccess.Export
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
