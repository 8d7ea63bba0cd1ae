package dev.wax.engine.recovery;

import dev.wax.engine.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>A key's snapshots live in one partition (a hash of its step and key). An epoch commits once
 * every worker has closed it: each partition gets one atomic write holding the epoch's snapshots
 * of its keys and the new frontier. A snapshot superseded by one at epoch {@code e} is deleted
 * once every partition committed {@code e} and {@code backupEpochs} more epochs; older copies
 * survive as long as a backup of the directory may need them.
 *
 * <p>In a cluster every process lists the partitions it finds in its directory (processes on one
 * host may share it) and each partition is owned by one process that found it. The processes
 * exchange what their partitions say, so they all agree where to resume (and on any error); each
 * loads its own partitions and shares their states, so every worker finds its keys' state; and
 * each sends every epoch's snapshots to the owners of their partitions, which commit them once
 * every process has sent its part.
 */
public final class RecoveryStore implements AutoCloseable {
  private static final Pattern PARTITION = Pattern.compile("part-(\\d+)");
  private static final byte INFO = 1;
  private static final byte STATES = 2;
  private static final byte SNAPSHOTS = 3;
  private static final byte COMMITTED = 4;

  /** What a partition's records say; {@code execution == 0} when it has none yet. */
  private record PartitionInfo(int index, int count, long execution, long frontier, long deletedUpTo) {
    static PartitionInfo of(RecoveryPartition partition) {
      long[] progress = partition.lastProgress();
      return new PartitionInfo(
          partition.index,
          partition.count(),
          progress == null ? 0 : progress[0],
          progress == null ? 0 : progress[1],
          partition.deletedUpTo());
    }
  }

  /**
   * What a directory holds: its partitions, the epochs committed, and the snapshots stored.
   *
   * @param resumeEpoch the epoch the next run resumes from
   * @param snapshots stored snapshots (discard markers included), of every version kept
   * @param stateBytes the bytes of their encoded states
   */
  /**
   * What a recovery directory holds.
   *
   * @param openToOthers what in it other users could change or read, one sentence each
   */
  public record Summary(int partitions, long resumeEpoch, long snapshots, long stateBytes, List<String> openToOthers) {}

  private final RecoveryPeers peers;
  private final int processId;
  private final int processCount;
  private final int partitionCount;
  /** The process owning each partition. */
  private final int[] ownerOf;
  private final Map<Integer, RecoveryPartition> owned = new TreeMap<>();
  private final long execution;
  private final long resumeEpoch;
  private final long backupEpochs;
  private final int localWorkers;
  /** Per step, per key: the state to resume with. */
  private final Map<String, Map<String, byte[]>> resumeStates = new HashMap<>();
  /** Per owned partition: the epoch of each key's newest stored snapshot, by step id + NUL + key. */
  private final Map<Integer, Map<String, Long>> newest = new HashMap<>();
  /** Per owned partition: snapshots to delete, by the epoch from which they are superseded. */
  private final Map<Integer, TreeMap<Long, List<byte[]>>> superseded = new HashMap<>();
  /** Epochs some local workers closed, waiting for the others. */
  private final TreeMap<Long, Closing> closing = new TreeMap<>();
  private final List<Long> finishedAt = new ArrayList<>();
  /** Epochs this process commits, waiting for every process's snapshots. */
  private final TreeMap<Long, Incoming> incoming = new TreeMap<>();
  /** Per process: the last epoch it sends snapshots for (MAX_VALUE while it runs). */
  private final long[] lastContribution;
  /** Per process: the last epoch it committed. */
  private final long[] committed;
  private long deletedUpTo;

  private static final class Closing {
    final List<Snapshot> snapshots = new ArrayList<>();
    int workersClosed;
  }

  private static final class Incoming {
    final List<Snapshot> snapshots = new ArrayList<>();
    final boolean[] from;

    Incoming(int processes) {
      from = new boolean[processes];
    }
  }

  private RecoveryStore(
      RecoveryPeers peers, List<PartitionInfo> infos, long backupEpochs, int localWorkers) {
    this.peers = peers;
    this.processId = peers == null ? 0 : peers.processId();
    this.processCount = peers == null ? 1 : peers.processCount();
    this.backupEpochs = backupEpochs;
    this.localWorkers = localWorkers;
    this.partitionCount = checkComplete(infos);
    long lastExecution = 0;
    long resume = Long.MAX_VALUE;
    for (PartitionInfo info : infos) {
      if (info.execution() > 0) {
        lastExecution = Math.max(lastExecution, info.execution());
        resume = Math.min(resume, info.frontier());
      }
      deletedUpTo = Math.max(deletedUpTo, info.deletedUpTo());
    }
    this.execution = lastExecution + 1;
    this.resumeEpoch = resume == Long.MAX_VALUE ? 1 : resume;
    checkConsistent(infos);
    this.ownerOf = new int[partitionCount];
    this.lastContribution = new long[processCount];
    this.committed = new long[processCount];
    Arrays.fill(lastContribution, Long.MAX_VALUE);
    Arrays.fill(committed, resumeEpoch - 1);
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

  /** Reads {@code dir} with the same checks as a run, without changing what it holds. */
  public static Summary summarize(Path dir) {
    TreeMap<Integer, Path> found = found(dir);
    List<RecoveryPartition> opened = openAll(dir, found);
    try {
      List<PartitionInfo> infos = opened.stream().map(PartitionInfo::of).toList();
      RecoveryStore view = new RecoveryStore(null, infos, 0, 1);
      long[] counts = new long[2];
      for (RecoveryPartition partition : opened) {
        partition.scan(
            (stepId, key, epoch, state) -> {
              counts[0]++;
              counts[1] += state == null ? 0 : state.length;
            });
      }
      return new Summary(opened.size(), view.resumeEpoch, counts[0], counts[1],
          OwnerOnly.openToOthers(dir, found.values()));
    } finally {
      opened.forEach(RecoveryPartition::close);
    }
  }

  /** Opens every partition in {@code dir} for a run of {@code localWorkers} workers alone. */
  public static RecoveryStore open(Path dir, long backupEpochs, int localWorkers) {
    return open(dir, backupEpochs, localWorkers, null, null);
  }

  /**
   * Opens the partitions in {@code dir} this process owns, agreeing with the other processes of
   * the cluster ({@code peers}; null when alone) where the run resumes, and handing each the
   * states it resumes ({@code owners} says which; null when alone).
   *
   * @param backupEpochs how many epochs superseded snapshots are kept for
   * @param localWorkers how many workers of this process close each epoch
   * @throws RecoveryException when the directory cannot be resumed from
   */
  public static RecoveryStore open(
      Path dir, long backupEpochs, int localWorkers, RecoveryPeers peers, StateOwners owners) {
    TreeMap<Integer, Path> found = found(dir);
    if (peers == null) {
      List<RecoveryPartition> opened = openAll(dir, found);
      try {
        RecoveryStore store =
            new RecoveryStore(null, opened.stream().map(PartitionInfo::of).toList(), backupEpochs, localWorkers);
        opened.forEach(p -> store.owned.put(p.index, p));
        store.load();
        return store;
      } catch (RuntimeException e) {
        opened.forEach(RecoveryPartition::close);
        throw e;
      }
    }
    // What every process found: partitions, their records and who holds each.
    List<PartitionInfo> local = new ArrayList<>();
    for (Map.Entry<Integer, Path> entry : found.entrySet()) {
      try (RecoveryPartition partition = RecoveryPartition.openReadOnly(entry.getKey(), entry.getValue())) {
        local.add(PartitionInfo.of(partition));
      }
    }
    peers.sendToOthers(encodeInfos(local));
    TreeMap<Integer, PartitionInfo> infos = new TreeMap<>();
    TreeMap<Integer, List<Integer>> holders = new TreeMap<>();
    for (int p = 0; p < peers.processCount(); p++) {
      for (PartitionInfo info : p == peers.processId() ? local : decodeInfos(peers.take(p))) {
        infos.putIfAbsent(info.index(), info);
        holders.computeIfAbsent(info.index(), i -> new ArrayList<>()).add(p);
      }
    }
    RecoveryStore store = new RecoveryStore(peers, List.copyOf(infos.values()), backupEpochs, localWorkers);
    try {
      holders.forEach((index, processes) -> store.ownerOf[index] = processes.get(index % processes.size()));
      for (int index = 0; index < store.partitionCount; index++) {
        if (store.ownerOf[index] == peers.processId()) {
          store.owned.put(index, RecoveryPartition.open(index, found.get(index)));
        }
      }
      store.load();
      store.shareResumeStates(owners);
      peers.listen(store::receive);
      return store;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static TreeMap<Integer, Path> found(Path dir) {
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
    return found;
  }

  private static List<RecoveryPartition> openAll(Path dir, TreeMap<Integer, Path> found) {
    List<RecoveryPartition> opened = new ArrayList<>();
    try {
      for (Map.Entry<Integer, Path> entry : found.entrySet()) {
        opened.add(RecoveryPartition.open(entry.getKey(), entry.getValue()));
      }
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

  /** The partition count, once every partition {@code init} created is there. */
  private static int checkComplete(List<PartitionInfo> infos) {
    if (infos.isEmpty()) {
      throw new RecoveryException(
          RecoveryException.Kind.NO_PARTITIONS, "No recovery partitions found on any worker; can't resume");
    }
    int count = infos.stream().mapToInt(PartitionInfo::count).max().orElse(0);
    TreeSet<Integer> missing = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      missing.add(i);
    }
    infos.forEach(info -> missing.remove(info.index()));
    if (!missing.isEmpty() || infos.size() != count) {
      throw new RecoveryException(
          RecoveryException.Kind.MISSING_PARTITIONS,
          "Missing recovery partitions "
              + missing.toString().replace('[', '{').replace(']', '}')
              + " of "
              + count
              + "; can't resume");
    }
    return count;
  }

  /**
   * A partition that already deleted snapshots the resume epoch needs was committed past it:
   * the partitions come from different points in time (e.g. restored from different backups).
   */
  private void checkConsistent(List<PartitionInfo> infos) {
    for (PartitionInfo info : infos) {
      if (info.deletedUpTo() >= resumeEpoch) {
        throw new RecoveryException(
            RecoveryException.Kind.INCONSISTENT_PARTITIONS,
            "recovery partitions are too old to resume from epoch "
                + resumeEpoch
                + " without data loss: partition "
                + info.index()
                + " already deleted snapshots up to epoch "
                + info.deletedUpTo()
                + "; restore every partition from the same backup");
      }
    }
  }

  /**
   * Reads the owned partitions: the newest snapshot before the resume epoch of each key is its
   * state; snapshots at or after it are deleted; superseded ones are queued for deletion. Also
   * records this execution's start in each.
   */
  private void load() {
    for (RecoveryPartition partition : owned.values()) {
      int index = partition.index;
      newest.put(index, new HashMap<>());
      superseded.put(index, new TreeMap<>());
      List<byte[]> unfinished = new ArrayList<>();
      Map<String, Long> newestHere = newest.get(index);
      partition.scan(
          (stepId, key, epoch, state) -> {
            if (epoch >= resumeEpoch) {
              unfinished.add(RecoveryPartition.snapshotKey(stepId, key, epoch));
              return;
            }
            // The scan visits a key's snapshots oldest first: each one supersedes the last.
            Long previous = newestHere.put(stepId + '\0' + key, epoch);
            if (previous != null) {
              supersede(index, epoch, RecoveryPartition.snapshotKey(stepId, key, previous));
            }
            Map<String, byte[]> ofStep = resumeStates.computeIfAbsent(stepId, s -> new HashMap<>());
            if (state == null) {
              ofStep.remove(key);
              supersede(index, epoch, RecoveryPartition.snapshotKey(stepId, key, epoch));
            } else {
              ofStep.put(key, state);
            }
          });
      partition.commit(execution, resumeEpoch, List.of(), 0, unfinished, partition.deletedUpTo());
    }
  }

  /**
   * Every process sends the states it loaded to the processes that resume them, and keeps only
   * its own: partitions and workers need not be on the same process.
   */
  private void shareResumeStates(StateOwners owners) {
    List<List<Snapshot>> toProcess = perProcess();
    resumeStates.forEach(
        (stepId, byKey) ->
            byKey.entrySet().removeIf(
                entry -> {
                  int owner = owners.processOf(stepId, entry.getKey());
                  if (owner == processId) {
                    return false;
                  }
                  Snapshot state = new Snapshot(stepId, entry.getKey(), entry.getValue());
                  if (owner == StateOwners.EVERY_PROCESS) {
                    toProcess.forEach(states -> states.add(state));
                    return false;
                  }
                  toProcess.get(owner).add(state);
                  return true;
                }));
    sendEachItsPart(STATES, 0, false, toProcess);
    for (int p = 0; p < processCount; p++) {
      if (p != processId) {
        ByteBuffer in = ByteBuffer.wrap(peers.take(p));
        expect(in, STATES);
        in.getLong();
        in.get();
        for (Snapshot state : readSnapshots(in)) {
          resumeStates.computeIfAbsent(state.stepId(), s -> new HashMap<>()).put(state.key(), state.state());
        }
      }
    }
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
    return partitionCount;
  }

  /** The encoded state each key of {@code stepId} resumes with (empty when starting fresh). */
  public synchronized Map<String, byte[]> resumeStates(String stepId) {
    return resumeStates.getOrDefault(stepId, Map.of());
  }

  /**
   * A local worker closed {@code epoch} with these snapshots ({@code last}: and finished the
   * run); once every local worker has closed it or finished earlier, this process's part of the
   * epoch goes to the partitions' owners. Thread-safe: workers on several threads call it.
   */
  public synchronized void epochClosed(long epoch, List<Snapshot> snapshots, boolean last) {
    Closing closed = closing.computeIfAbsent(epoch, e -> new Closing());
    closed.snapshots.addAll(snapshots);
    closed.workersClosed += 1;
    if (last) {
      finishedAt.add(epoch);
    }
    // Epochs leave in order: a worker may run ahead, never a commit.
    while (!closing.isEmpty() && isClosedHere(closing.firstKey())) {
      Map.Entry<Long, Closing> first = closing.pollFirstEntry();
      boolean finalPart = finishedAt.size() == localWorkers && closing.isEmpty();
      contribute(first.getKey(), first.getValue().snapshots, finalPart);
    }
  }

  /** Every local worker closed {@code epoch}, or finished the run in an earlier epoch. */
  private boolean isClosedHere(long epoch) {
    long finishedBefore = finishedAt.stream().filter(e -> e < epoch).count();
    return closing.get(epoch).workersClosed + finishedBefore == localWorkers;
  }

  /** Sends each owner its partitions' snapshots of {@code epoch}; {@code last}: none after it. */
  private void contribute(long epoch, List<Snapshot> snapshots, boolean last) {
    List<List<Snapshot>> byProcess = perProcess();
    for (Snapshot snapshot : snapshots) {
      byProcess.get(ownerOf[partitionOf(snapshot.stepId(), snapshot.key(), partitionCount)]).add(snapshot);
    }
    sendEachItsPart(SNAPSHOTS, epoch, last, byProcess);
    accept(processId, epoch, last, byProcess.get(processId));
  }

  /** An empty list of snapshots for each process of the cluster. */
  private List<List<Snapshot>> perProcess() {
    List<List<Snapshot>> lists = new ArrayList<>();
    for (int p = 0; p < processCount; p++) {
      lists.add(new ArrayList<>());
    }
    return lists;
  }

  /** Sends every other process its list of {@code byProcess} as one {@code kind} message. */
  private void sendEachItsPart(byte kind, long epoch, boolean last, List<List<Snapshot>> byProcess) {
    for (int p = 0; p < processCount; p++) {
      if (p != processId) {
        peers.send(p, encodeSnapshots(kind, epoch, last, byProcess.get(p)));
      }
    }
  }

  /** Another process's part of an epoch, or word that it committed one. */
  private synchronized void receive(int from, byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    byte kind = in.get();
    if (kind == COMMITTED) {
      committed[from] = Math.max(committed[from], in.getLong());
      return;
    }
    if (kind != SNAPSHOTS) {
      throw new IllegalStateException("unexpected recovery message " + kind + " from process " + from);
    }
    long epoch = in.getLong();
    boolean last = in.get() != 0;
    accept(from, epoch, last, readSnapshots(in));
  }

  private void accept(int from, long epoch, boolean last, List<Snapshot> snapshots) {
    Incoming in = incoming.computeIfAbsent(epoch, e -> new Incoming(processCount));
    in.snapshots.addAll(snapshots);
    in.from[from] = true;
    if (last) {
      lastContribution[from] = epoch;
    }
    while (!incoming.isEmpty() && isComplete(incoming.firstKey())) {
      Map.Entry<Long, Incoming> first = incoming.pollFirstEntry();
      commit(first.getKey(), first.getValue().snapshots);
    }
  }

  /** Every process sent its part of {@code epoch}, or sends nothing after an earlier one. */
  private boolean isComplete(long epoch) {
    Incoming in = incoming.get(epoch);
    for (int p = 0; p < processCount; p++) {
      if (!in.from[p] && lastContribution[p] >= epoch) {
        return false;
      }
    }
    return true;
  }

  private void commit(long epoch, List<Snapshot> snapshots) {
    Map<Integer, List<Snapshot>> byPartition = new HashMap<>();
    for (int index : owned.keySet()) {
      byPartition.put(index, new ArrayList<>());
    }
    for (Snapshot snapshot : snapshots) {
      int p = partitionOf(snapshot.stepId(), snapshot.key(), partitionCount);
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
    // A run resumes no earlier than the last epoch every partition committed: only snapshots
    // superseded by then (and kept for the backup interval) may go.
    long upTo = Math.max(deletedUpTo, durableEpoch() - backupEpochs);
    for (RecoveryPartition partition : owned.values()) {
      List<byte[]> deletes = new ArrayList<>();
      Map<Long, List<byte[]>> due = superseded.get(partition.index).headMap(upTo, true);
      due.values().forEach(deletes::addAll);
      due.clear();
      partition.commit(execution, epoch + 1, byPartition.get(partition.index), epoch, deletes, upTo);
    }
    deletedUpTo = upTo;
    committed[processId] = epoch;
    if (peers != null && !owned.isEmpty()) {
      peers.sendToOthers(ByteBuffer.allocate(9).put(COMMITTED).putLong(epoch).array());
    }
  }

  /**
   * The last epoch every partition committed: no later run resumes before the epoch after it.
   * Thread-safe: workers poll it while other processes' commits arrive.
   */
  public synchronized long durableEpoch() {
    long everywhere = Long.MAX_VALUE;
    for (int index = 0; index < partitionCount; index++) {
      everywhere = Math.min(everywhere, committed[ownerOf[index]]);
    }
    return everywhere;
  }

  /** The partition holding a key's snapshots: the same in every run and process. */
  static int partitionOf(String stepId, String key, int partitionCount) {
    int h = (stepId.hashCode() * 31 + key.hashCode()) * 0x9E3779B9;
    return Math.floorMod(h >>> 8, partitionCount);
  }

  private static byte[] encodeInfos(List<PartitionInfo> infos) {
    ByteBuffer out = ByteBuffer.allocate(5 + infos.size() * 32).put(INFO).putInt(infos.size());
    for (PartitionInfo info : infos) {
      out.putInt(info.index()).putInt(info.count()).putLong(info.execution()).putLong(info.frontier());
      out.putLong(info.deletedUpTo());
    }
    return out.array();
  }

  private static List<PartitionInfo> decodeInfos(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    expect(in, INFO);
    List<PartitionInfo> infos = new ArrayList<>();
    for (int n = in.getInt(); n > 0; n--) {
      infos.add(new PartitionInfo(in.getInt(), in.getInt(), in.getLong(), in.getLong(), in.getLong()));
    }
    return infos;
  }

  private static void expect(ByteBuffer in, byte kind) {
    byte got = in.get();
    if (got != kind) {
      throw new IllegalStateException("expected recovery message " + kind + ", got " + got);
    }
  }

  /** {@code kind epoch last count (stepId key stateLength state)*}; length -1 for a discard. */
  private static byte[] encodeSnapshots(byte kind, long epoch, boolean last, List<Snapshot> snapshots) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(kind);
      out.writeLong(epoch);
      out.writeBoolean(last);
      out.writeInt(snapshots.size());
      for (Snapshot snapshot : snapshots) {
        writeString(out, snapshot.stepId());
        writeString(out, snapshot.key());
        if (snapshot.state() == null) {
          out.writeInt(-1);
        } else {
          out.writeInt(snapshot.state().length);
          out.write(snapshot.state());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static List<Snapshot> readSnapshots(ByteBuffer in) {
    List<Snapshot> snapshots = new ArrayList<>();
    for (int n = in.getInt(); n > 0; n--) {
      String stepId = RecoveryPartition.readString(in);
      String key = RecoveryPartition.readString(in);
      int length = in.getInt();
      byte[] state = null;
      if (length >= 0) {
        state = new byte[length];
        in.get(state);
      }
      snapshots.add(new Snapshot(stepId, key, state));
    }
    return snapshots;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  @Override
  public synchronized void close() {
    owned.values().forEach(RecoveryPartition::close);
    owned.clear();
  }
}
