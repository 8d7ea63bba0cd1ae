package dev.wax.engine.recovery;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One recovery partition: a RocksDB database in {@code DIR/part-N}. Records, by the first byte of
 * their key:
 *
 * <ul>
 *   <li>{@code m}: the number of partitions {@code init} created, so a missing one is noticed;
 *   <li>{@code x} + execution: the first epoch that execution has not yet committed here;
 *   <li>{@code g}: the epoch up to which superseded snapshots were deleted;
 *   <li>{@code s} + step id + key + epoch: a key's state snapshotted at that epoch's close, or a
 *       discard marker. Numbers are big-endian, so a key's snapshots sort by epoch.
 * </ul>
 *
 * <p>Databases open with paranoid checks and the strictest WAL recovery mode: damage is reported,
 * never rolled back silently.
 */
final class RecoveryPartition implements AutoCloseable {
  private static final byte META = 'm';
  private static final byte PROGRESS = 'x';
  private static final byte DELETED_UP_TO = 'g';
  private static final byte SNAPSHOT = 's';
  private static final byte DISCARDED = 0;
  private static final byte STATE = 1;

  private static final Logger LOG = LoggerFactory.getLogger(RecoveryPartition.class);

  static {
    RocksDB.loadLibrary();
  }

  /** What a scan of the snapshots sees: one stored snapshot at a time, in key then epoch order. */
  @FunctionalInterface
  interface SnapshotVisitor {
    /** {@code state == null} for a discard marker. */
    void visit(String stepId, String key, long epoch, byte[] state);
  }

  final int index;
  final Path path;
  private final Options options;
  private final RocksDB db;
  private final boolean readOnly;
  private final WriteOptions writeOptions = new WriteOptions();

  private RecoveryPartition(int index, Path path, Options options, RocksDB db, boolean readOnly) {
    this.index = index;
    this.path = path;
    this.options = options;
    this.db = db;
    this.readOnly = readOnly;
  }

  static Path pathOf(Path dir, int index) {
    return dir.resolve("part-" + index);
  }

  /** Creates partition {@code index} of {@code count}, or keeps it as it is when it exists. */
  static void create(Path dir, int index, int count) {
    Path path = pathOf(dir, index);
    try {
      OwnerOnly.createDirectory(path);
      try (Options options = strictOptions().setCreateIfMissing(true);
          RocksDB db = RocksDB.open(options, path.toString())) {
        if (db.get(new byte[] {META}) == null) {
          db.put(new byte[] {META}, ByteBuffer.allocate(4).putInt(count).array());
        }
      }
      OwnerOnly.restrictFiles(path);
    } catch (RocksDBException | UncheckedIOException e) {
      throw new RecoveryException(
          RecoveryException.Kind.CORRUPTED, "can't create recovery partition " + path + ": " + e.getMessage(), e);
    }
  }

  /** Opens an existing partition; damage of any kind is a {@code CORRUPTED} error. */
  static RecoveryPartition open(int index, Path path) {
    return open(index, path, false);
  }

  /**
   * Opens a partition only to read it, without its lock: another process of the cluster may own
   * it. Damage is a {@code CORRUPTED} error as for {@link #open}.
   */
  static RecoveryPartition openReadOnly(int index, Path path) {
    return open(index, path, true);
  }

  private static RecoveryPartition open(int index, Path path, boolean readOnly) {
    Options options = strictOptions();
    try {
      RocksDB db = readOnly ? RocksDB.openReadOnly(options, path.toString()) : RocksDB.open(options, path.toString());
      return new RecoveryPartition(index, path, options, db, readOnly);
    } catch (RocksDBException e) {
      options.close();
      throw corrupted(index, path, e);
    }
  }

  private static Options strictOptions() {
    return new Options()
        .setParanoidChecks(true)
        .setWalRecoveryMode(WALRecoveryMode.AbsoluteConsistency)
        .setKeepLogFileNum(2)
        // Snapshots arrive a little per epoch: small memtables keep many partitions' memory low.
        .setWriteBufferSize(8L << 20)
        .setInfoLogLevel(org.rocksdb.InfoLogLevel.ERROR_LEVEL);
  }

  static RecoveryException corrupted(int index, Path path, Exception e) {
    return new RecoveryException(
        RecoveryException.Kind.CORRUPTED,
        "recovery partition " + index + " (" + path + ") is corrupted or unreadable: " + e.getMessage(),
        e);
  }

  private RecoveryException corrupted(Exception e) {
    return corrupted(index, path, e);
  }

  /** The partition count {@code init} recorded. */
  int count() {
    byte[] meta = get(new byte[] {META});
    if (meta == null || meta.length != 4) {
      throw corrupted(new IllegalStateException("it has no partition count"));
    }
    return ByteBuffer.wrap(meta).getInt();
  }

  /** The newest execution's progress here as {@code {execution, frontier}}, or null for none. */
  long[] lastProgress() {
    try (RocksIterator it = db.newIterator()) {
      it.seekForPrev(new byte[] {PROGRESS, -1, -1, -1, -1, -1, -1, -1, -1, -1});
      check(it);
      if (!it.isValid() || it.key()[0] != PROGRESS) {
        return null;
      }
      return new long[] {ByteBuffer.wrap(it.key(), 1, 8).getLong(), ByteBuffer.wrap(it.value()).getLong()};
    }
  }

  /** The epoch up to which superseded snapshots were deleted; 0 before any deletion. */
  long deletedUpTo() {
    byte[] value = get(new byte[] {DELETED_UP_TO});
    return value == null ? 0 : ByteBuffer.wrap(value).getLong();
  }

  /** Visits every stored snapshot, verifying checksums. */
  void scan(SnapshotVisitor visitor) {
    try (RocksIterator it = db.newIterator()) {
      String stepId = "";
      byte[] stepBytes = new byte[0];
      for (it.seek(new byte[] {SNAPSHOT}); it.isValid(); it.next()) {
        byte[] bytes = it.key();
        if (bytes[0] != SNAPSHOT) {
          break;
        }
        ByteBuffer key = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        // Snapshots are sorted by step: most have the step id of the one before.
        int length = key.getInt();
        if (!Arrays.equals(bytes, key.position(), key.position() + length, stepBytes, 0, stepBytes.length)) {
          stepBytes = Arrays.copyOfRange(bytes, key.position(), key.position() + length);
          stepId = new String(stepBytes, StandardCharsets.UTF_8);
        }
        key.position(key.position() + length);
        String stateKey = readString(key);
        long epoch = key.getLong();
        byte[] value = it.value();
        visitor.visit(stepId, stateKey, epoch, value[0] == DISCARDED ? null : copyOfRest(value));
      }
      check(it);
    }
  }

  /**
   * Writes, in one atomic batch: the snapshots, this execution's new frontier, the deletion of
   * superseded snapshots and the epoch they were superseded up to.
   */
  void commit(
      long execution, long frontier, List<Snapshot> snapshots, long epoch, List<byte[]> deletes, long deletedUpTo) {
    try (WriteBatch batch = new WriteBatch()) {
      for (byte[] key : deletes) {
        batch.delete(key);
      }
      for (Snapshot snapshot : snapshots) {
        batch.put(snapshotKey(snapshot.stepId(), snapshot.key(), epoch), valueOf(snapshot.state()));
      }
      batch.put(progressKey(execution), ByteBuffer.allocate(8).putLong(frontier).array());
      batch.put(new byte[] {DELETED_UP_TO}, ByteBuffer.allocate(8).putLong(deletedUpTo).array());
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new RecoveryException(
          RecoveryException.Kind.CORRUPTED,
          "can't write to recovery partition " + index + " (" + path + "): " + e.getMessage(),
          e);
    }
  }

  static byte[] snapshotKey(String stepId, String key, long epoch) {
    byte[] step = stepId.getBytes(StandardCharsets.UTF_8);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + 4 + step.length + 4 + k.length + 8)
        .put(SNAPSHOT)
        .putInt(step.length)
        .put(step)
        .putInt(k.length)
        .put(k)
        .putLong(epoch)
        .array();
  }

  private static byte[] progressKey(long execution) {
    return ByteBuffer.allocate(9).put(PROGRESS).putLong(execution).array();
  }

  private static byte[] valueOf(byte[] state) {
    if (state == null) {
      return new byte[] {DISCARDED};
    }
    byte[] value = new byte[state.length + 1];
    value[0] = STATE;
    System.arraycopy(state, 0, value, 1, state.length);
    return value;
  }

  /** An int length and that many bytes of UTF-8, as keys and recovery messages hold strings. */
  static String readString(ByteBuffer buffer) {
    int length = buffer.getInt();
    String s = new String(buffer.array(), buffer.position(), length, StandardCharsets.UTF_8);
    buffer.position(buffer.position() + length);
    return s;
  }

  private static byte[] copyOfRest(byte[] value) {
    byte[] state = new byte[value.length - 1];
    System.arraycopy(value, 1, state, 0, state.length);
    return state;
  }

  private byte[] get(byte[] key) {
    try {
      return db.get(key);
    } catch (RocksDBException e) {
      throw corrupted(e);
    }
  }

  private void check(RocksIterator it) {
    try {
      it.status();
    } catch (RocksDBException e) {
      throw corrupted(e);
    }
  }

  /**
   * Closes the partition, first writing its memtable out: otherwise the next run replays the
   * whole write-ahead log when it opens the partition (seconds for a million keys' snapshots).
   */
  @Override
  public void close() {
    if (!readOnly) {
      try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
        db.flush(flush);
      } catch (RocksDBException e) {
        // Nothing is lost: the write-ahead log still holds every write, and the next open replays it.
        LOG.warn("recovery partition {} ({}) could not be flushed on close: {}", index, path, e.getMessage());
      }
    }
    writeOptions.close();
    db.close();
    options.close();
  }
}
