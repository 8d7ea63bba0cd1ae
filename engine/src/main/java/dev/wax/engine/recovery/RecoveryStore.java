package dev.wax.engine.recovery;

import dev.wax.engine.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The recovery partitions of a directory, opened by one process for one run: works out where the
 * run resumes, hands out the state to resume with, and commits each epoch's snapshots.
 *
 * <p>Resuming follows Bytewax: every execution records, in every partition, the first epoch it
 * has not committed there (its frontier). The run resumes at the smallest frontier of the newest
 * records, as execution {@code newest + 1}; each key starts from its newest snapshot before that
 * epoch. Snapshots at or after it belong to epochs that never completed everywhere and are
 * deleted.
 *
 * <p>An epoch commits once every local worker has closed it: each partition gets one atomic write
 * holding the snapshots of its keys (a key's partition is a hash of its step and key) and the new
 * frontier. A snapshot superseded by one at epoch {@code e} is deleted once {@code e} is {@code
 * backupEpochs} epochs older than the last epoch every partition committed; older copies survive
 * as long as a backup of the directory may need them.
 */
public final class RecoveryStore implements AutoCloseable {
  private static final Pattern PARTITION = Pattern.compile("part-(\\d+)");

  private final List<RecoveryPartition> partitions;
  private final long execution;
  private final long resumeEpoch;
  private final long backupEpochs;
  private final int localWorkers;
  /** Per step, per key: the state to resume with. Handed out once. */
  private Map<String, Map<String, byte[]>> resumeStates;
  /** Per partition: the epoch of each key's newest stored snapshot, by step id + NUL + key. */
  private final List<Map<String, Long>> newest = new ArrayList<>();
  /** Per partition: snapshots to delete, by the epoch from which they are superseded. */
  private final List<TreeMap<Long, List<byte[]>>> superseded = new ArrayList<>();
  private final TreeMap<Long, PendingEpoch> pending = new TreeMap<>();
  private final List<Long> finishedAt = new ArrayList<>();
  private long deletedUpTo;

  private static final class PendingEpoch {
    final List<Snapshot> snapshots = new ArrayList<>();
    int workersClosed;
  }

  private RecoveryStore(List<RecoveryPartition> partitions, long backupEpochs, int localWorkers) {
    this.partitions = partitions;
    this.backupEpochs = backupEpochs;
    this.localWorkers = localWorkers;
    long lastExecution = 0;
    long resume = Long.MAX_VALUE;
    for (RecoveryPartition partition : partitions) {
      long[] progress = partition.lastProgress();
      if (progress != null) {
        lastExecution = Math.max(lastExecution, progress[0]);
        resume = Math.min(resume, progress[1]);
      }
      deletedUpTo = Math.max(deletedUpTo, partition.deletedUpTo());
      newest.add(new HashMap<>());
      superseded.add(new TreeMap<>());
    }
    this.execution = lastExecution + 1;
    this.resumeEpoch = resume == Long.MAX_VALUE ? 1 : resume;
    checkConsistent();
    resumeStates = load();
  }

  /**
   * What a directory holds: its partitions, the epochs committed, and the snapshots stored.
   *
   * @param resumeEpoch the epoch the next run resumes from
   * @param snapshots stored snapshots (discard markers included), of every version kept
   * @param stateBytes the bytes of their encoded states
   */
  public record Summary(int partitions, long resumeEpoch, long snapshots, long stateBytes) {}

  /** Reads {@code dir} without changing it, with the same checks as {@link #open}. */
  public static Summary summarize(Path dir) {
    List<RecoveryPartition> opened = openAll(dir);
    try {
      long resume = Long.MAX_VALUE;
      long[] counts = new long[2];
      for (RecoveryPartition partition : opened) {
        long[] progress = partition.lastProgress();
        resume = Math.min(resume, progress == null ? 1 : progress[1]);
        partition.scan(
            (stepId, key, epoch, state) -> {
              counts[0]++;
              counts[1] += state == null ? 0 : state.length;
            });
      }
      return new Summary(opened.size(), resume, counts[0], counts[1]);
    } finally {
      opened.forEach(RecoveryPartition::close);
    }
  }

  /** Creates {@code count} empty partitions in the existing directory {@code dir}. */
  public static void init(Path dir, int count) {
    requireDirectory(dir);
    if (count < 1) {
      throw new UsageException("a recovery directory needs at least one partition; got " + count);
    }
    for (int i = 0; i < count; i++) {
      RecoveryPartition.create(dir, i, count);
    }
  }

  /**
   * Opens every partition in {@code dir} for a run of {@code localWorkers} workers here.
   *
   * @param backupEpochs how many epochs superseded snapshots are kept for
   * @throws RecoveryException when the directory cannot be resumed from
   */
  public static RecoveryStore open(Path dir, long backupEpochs, int localWorkers) {
    List<RecoveryPartition> opened = openAll(dir);
    try {
      return new RecoveryStore(opened, backupEpochs, localWorkers);
    } catch (RuntimeException e) {
      opened.forEach(RecoveryPartition::close);
      throw e;
    }
  }

  /** Every partition of {@code dir}, checked to be complete. */
  private static List<RecoveryPartition> openAll(Path dir) {
    requireDirectory(dir);
    TreeMap<Integer, Path> found = new TreeMap<>();
    try (Stream<Path> entries = Files.list(dir)) {
      entries.forEach(
          path -> {
            Matcher m = PARTITION.matcher(path.getFileName().toString());
            if (m.matches() && Files.isDirectory(path)) {
              found.put(Integer.parseInt(m.group(1)), path);
            }
          });
    } catch (IOException e) {
      throw new RecoveryException(
          RecoveryException.Kind.NO_DIRECTORY, "can't list recovery directory " + dir + ": " + e.getMessage(), e);
    }
    if (found.isEmpty()) {
      throw new RecoveryException(
          RecoveryException.Kind.NO_PARTITIONS, "No recovery partitions found on any worker; can't resume");
    }
    List<RecoveryPartition> opened = new ArrayList<>();
    try {
      for (Map.Entry<Integer, Path> entry : found.entrySet()) {
        opened.add(RecoveryPartition.open(entry.getKey(), entry.getValue()));
      }
      checkComplete(opened);
      return opened;
    } catch (RuntimeException e) {
      opened.forEach(RecoveryPartition::close);
      throw e;
    }
  }

  private static void requireDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new RecoveryException(
          RecoveryException.Kind.NO_DIRECTORY,
          "recovery directory " + dir + " does not exist; please create it with `mkdir`");
    }
  }

  private static void checkComplete(List<RecoveryPartition> partitions) {
    int count = 0;
    for (RecoveryPartition partition : partitions) {
      count = Math.max(count, partition.count());
    }
    TreeSet<Integer> missing = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      missing.add(i);
    }
    for (RecoveryPartition partition : partitions) {
      missing.remove(partition.index);
    }
    if (!missing.isEmpty() || partitions.size() != count) {
      throw new RecoveryException(
          RecoveryException.Kind.MISSING_PARTITIONS,
          "Missing recovery partitions "
              + missing.toString().replace('[', '{').replace(']', '}')
              + " of "
              + count
              + "; can't resume");
    }
  }

  /**
   * A partition that already deleted snapshots the resume epoch needs was committed past it:
   * the partitions come from different points in time (e.g. restored from different backups).
   */
  private void checkConsistent() {
    for (RecoveryPartition partition : partitions) {
      long upTo = partition.deletedUpTo();
      if (upTo >= resumeEpoch) {
        throw new RecoveryException(
            RecoveryException.Kind.INCONSISTENT_PARTITIONS,
            "recovery partitions are too old to resume from epoch "
                + resumeEpoch
                + " without data loss: partition "
                + partition.index
                + " already deleted snapshots up to epoch "
                + upTo
                + "; restore every partition from the same backup");
      }
    }
  }

  /**
   * Reads every partition: the newest snapshot before the resume epoch of each key is its state;
   * snapshots at or after it are deleted; superseded ones are queued for deletion. Also records
   * this execution's start in every partition.
   */
  private Map<String, Map<String, byte[]>> load() {
    Map<String, Map<String, byte[]>> states = new HashMap<>();
    for (int p = 0; p < partitions.size(); p++) {
      RecoveryPartition partition = partitions.get(p);
      List<byte[]> unfinished = new ArrayList<>();
      Map<String, Long> newestHere = newest.get(p);
      int index = p;
      partition.scan(
          (stepId, key, epoch, state) -> {
            if (epoch >= resumeEpoch) {
              unfinished.add(RecoveryPartition.snapshotKey(stepId, key, epoch));
              return;
            }
            // The scan visits a key's snapshots oldest first: each one supersedes the last.
            String id = stepId + '\0' + key;
            Long previous = newestHere.put(id, epoch);
            if (previous != null) {
              supersede(index, epoch, RecoveryPartition.snapshotKey(stepId, key, previous));
            }
            Map<String, byte[]> ofStep = states.computeIfAbsent(stepId, s -> new HashMap<>());
            if (state == null) {
              ofStep.remove(key);
              supersede(index, epoch, RecoveryPartition.snapshotKey(stepId, key, epoch));
            } else {
              ofStep.put(key, state);
            }
          });
      partition.commit(execution, resumeEpoch, List.of(), 0, unfinished, partition.deletedUpTo());
    }
    return states;
  }

  private void supersede(int partition, long fromEpoch, byte[] snapshotKey) {
    superseded.get(partition).computeIfAbsent(fromEpoch, e -> new ArrayList<>()).add(snapshotKey);
  }

  /** The first epoch of this run. */
  public long resumeEpoch() {
    return resumeEpoch;
  }

  /** This run's execution number: one more than the newest recorded. */
  public long execution() {
    return execution;
  }

  public int partitionCount() {
    return partitions.size();
  }

  /** The encoded state each key of {@code stepId} resumes with (empty when starting fresh). */
  public synchronized Map<String, byte[]> resumeStates(String stepId) {
    return resumeStates.getOrDefault(stepId, Map.of());
  }

  /**
   * A local worker closed {@code epoch} with these snapshots ({@code last}: and finished the
   * run); once every local worker has closed it or finished earlier, the epoch commits.
   * Thread-safe: workers on several threads call it.
   */
  public synchronized void epochClosed(long epoch, List<Snapshot> snapshots, boolean last) {
    PendingEpoch closing = pending.computeIfAbsent(epoch, e -> new PendingEpoch());
    closing.snapshots.addAll(snapshots);
    closing.workersClosed += 1;
    if (last) {
      finishedAt.add(epoch);
    }
    // Epochs commit in order: a worker may run ahead, never a commit.
    while (!pending.isEmpty() && isComplete(pending.firstKey())) {
      Map.Entry<Long, PendingEpoch> first = pending.pollFirstEntry();
      commit(first.getKey(), first.getValue().snapshots);
    }
  }

  /** Every local worker closed {@code epoch}, or finished the run in an earlier epoch. */
  private boolean isComplete(long epoch) {
    long finishedBefore = finishedAt.stream().filter(e -> e < epoch).count();
    return pending.get(epoch).workersClosed + finishedBefore == localWorkers;
  }

  private void commit(long epoch, List<Snapshot> snapshots) {
    List<List<Snapshot>> byPartition = new ArrayList<>();
    for (int p = 0; p < partitions.size(); p++) {
      byPartition.add(new ArrayList<>());
    }
    for (Snapshot snapshot : snapshots) {
      int p = partitionOf(snapshot.stepId(), snapshot.key(), partitions.size());
      byPartition.get(p).add(snapshot);
      String id = snapshot.stepId() + '\0' + snapshot.key();
      Long previous = newest.get(p).put(id, epoch);
      if (previous != null && previous != epoch) {
        supersede(p, epoch, RecoveryPartition.snapshotKey(snapshot.stepId(), snapshot.key(), previous));
      }
      if (snapshot.state() == null) {
        newest.get(p).remove(id);
        supersede(p, epoch, RecoveryPartition.snapshotKey(snapshot.stepId(), snapshot.key(), epoch));
      }
    }
    // Every partition committed the previous epoch; a crash while this one commits resumes
    // from it at the earliest, so only snapshots superseded before it may go.
    long upTo = Math.max(deletedUpTo, epoch - 1 - backupEpochs);
    for (int p = 0; p < partitions.size(); p++) {
      List<byte[]> deletes = new ArrayList<>();
      Map<Long, List<byte[]>> due = superseded.get(p).headMap(upTo, true);
      due.values().forEach(deletes::addAll);
      due.clear();
      partitions.get(p).commit(execution, epoch + 1, byPartition.get(p), epoch, deletes, upTo);
    }
    deletedUpTo = upTo;
  }

  /** The partition holding a key's snapshots: the same in every run and process. */
  static int partitionOf(String stepId, String key, int partitionCount) {
    int h = (stepId.hashCode() * 31 + key.hashCode()) * 0x9E3779B9;
    return Math.floorMod(h >>> 8, partitionCount);
  }

  @Override
  public synchronized void close() {
    partitions.forEach(RecoveryPartition::close);
  }
}
