package dev.wax.engine.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryStoreTest {
  @TempDir Path dir;

  private static Snapshot state(String step, String key, String value) {
    return new Snapshot(step, key, value.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> decoded(Map<String, byte[]> states) {
    Map<String, String> out = new TreeMap<>();
    states.forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
    return out;
  }

  /** Every snapshot stored in every partition, as "step/key@epoch=value". */
  private List<String> stored() {
    List<String> all = new ArrayList<>();
    try (Stream<Path> parts = Files.list(dir)) {
      for (Path path : parts.sorted().toList()) {
        try (RecoveryPartition p = RecoveryPartition.open(0, path)) {
          p.scan(
              (step, key, epoch, state) ->
                  all.add(
                      step + "/" + key + "@" + epoch + "="
                          + (state == null ? "DISCARD" : new String(state, StandardCharsets.UTF_8))));
        }
      }
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
    all.sort(null);
    return all;
  }

  @Test
  void aFreshDirectoryStartsAtEpochOneAsTheFirstExecution() {
    RecoveryStore.init(dir, 3);
    try (RecoveryStore store = RecoveryStore.open(dir, 0, 1)) {
      assertEquals(1, store.resumeEpoch());
      assertEquals(1, store.execution());
      assertEquals(3, store.partitionCount());
      assertEquals(Map.of(), store.resumeStates("s"));
    }
  }

  @Test
  void aRunResumesAfterItsLastCommittedEpochWithEachKeysNewestState() {
    RecoveryStore.init(dir, 2);
    try (RecoveryStore store = RecoveryStore.open(dir, 10, 1)) {
      store.epochClosed(1, List.of(state("s", "a", "a1"), state("s", "b", "b1"), state("t", "a", "t1")), false);
      store.epochClosed(2, List.of(state("s", "a", "a2")), false);
      store.epochClosed(3, List.of(Snapshot.discarded("s", "b")), false);
    }
    // a1 b1 t1 a2 and b's discard marker, 2 bytes each but the marker.
    assertEquals(new RecoveryStore.Summary(2, 4, 5, 8, List.of()), RecoveryStore.summarize(dir));
    try (RecoveryStore store = RecoveryStore.open(dir, 10, 1)) {
      assertEquals(4, store.resumeEpoch());
      assertEquals(2, store.execution());
      assertEquals(Map.of("a", "a2"), decoded(store.resumeStates("s")));
      assertEquals(Map.of("a", "t1"), decoded(store.resumeStates("t")));
    }
  }

  /** Pickled state others can change is code they can run: partitions are their owner's alone. */
  @Test
  void partitionsAreTheirOwnersAloneAndTheSummarySaysWhenTheyAreNot() throws IOException {
    RecoveryStore.init(dir, 2);
    for (String part : List.of("part-0", "part-1")) {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(part))));
      try (Stream<Path> files = Files.list(dir.resolve(part))) {
        for (Path file : files.toList()) {
          assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
        }
      }
    }
    assertEquals(List.of(), RecoveryStore.summarize(dir).openToOthers());

    Path part1 = dir.resolve("part-1");
    Files.setPosixFilePermissions(part1, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxr-x"));
    assertEquals(
        List.of(
            dir + " (rwxrwxr-x) can be changed by other users: they could put their own partitions in it;"
                + " `chmod go-w " + dir + "`",
            part1 + " (rwxr-xr-x) is open to other users: its pickled state is code the next run executes;"
                + " `chmod 700 " + part1 + "`"),
        RecoveryStore.summarize(dir).openToOthers());
    // init again (as a run's setup may) narrows the partitions once more.
    RecoveryStore.init(dir, 2);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(part1)));
  }

  @Test
  void anEpochCommitsOnlyOnceEveryLocalWorkerClosedIt() {
    RecoveryStore.init(dir, 1);
    try (RecoveryStore store = RecoveryStore.open(dir, 0, 2)) {
      store.epochClosed(1, List.of(state("s", "a", "a1")), false);
      store.epochClosed(1, List.of(state("s", "b", "b1")), false);
      // The second worker runs ahead; epoch 2 waits for the first.
      store.epochClosed(2, List.of(state("s", "b", "b2")), false);
    }
    try (RecoveryStore store = RecoveryStore.open(dir, 0, 2)) {
      assertEquals(2, store.resumeEpoch());
      assertEquals(Map.of("a", "a1", "b", "b1"), decoded(store.resumeStates("s")));
    }
  }

  @Test
  void aWorkerThatFinishedNoLongerHoldsBackLaterEpochs() {
    RecoveryStore.init(dir, 1);
    try (RecoveryStore store = RecoveryStore.open(dir, 0, 2)) {
      store.epochClosed(1, List.of(state("s", "a", "a1")), true);
      store.epochClosed(1, List.of(), false);
      store.epochClosed(2, List.of(state("s", "b", "b2")), false);
      store.epochClosed(3, List.of(state("s", "b", "b3")), true);
    }
    try (RecoveryStore store = RecoveryStore.open(dir, 0, 2)) {
      assertEquals(4, store.resumeEpoch());
      assertEquals(Map.of("a", "a1", "b", "b3"), decoded(store.resumeStates("s")));
    }
  }

  @Test
  void snapshotsOfAnUnfinishedEpochAreDroppedOnResume() throws Exception {
    RecoveryStore.init(dir, 1);
    try (RecoveryStore store = RecoveryStore.open(dir, 0, 1)) {
      store.epochClosed(1, List.of(state("s", "a", "a1")), false);
    }
    // A crash after a partition wrote epoch 2 of a key but another never committed epoch 2.
    try (RecoveryPartition p = RecoveryPartition.open(0, RecoveryPartition.pathOf(dir, 0))) {
      p.commit(1, 2, List.of(state("s", "a", "a2")), 2, List.of(), 0);
    }
    try (RecoveryStore store = RecoveryStore.open(dir, 0, 1)) {
      assertEquals(2, store.resumeEpoch());
      assertEquals(Map.of("a", "a1"), decoded(store.resumeStates("s")));
    }
    assertEquals(List.of("s/a@1=a1"), stored());
  }

  @Test
  void supersededSnapshotsAreDeletedOnceOlderThanTheBackupInterval() {
    RecoveryStore.init(dir, 2);
    try (RecoveryStore store = RecoveryStore.open(dir, 2, 1)) {
      store.epochClosed(1, List.of(state("s", "a", "a1"), state("s", "b", "b1")), false);
      store.epochClosed(2, List.of(state("s", "a", "a2"), Snapshot.discarded("s", "b")), false);
      store.epochClosed(3, List.of(state("s", "a", "a3")), false);
      store.epochClosed(4, List.of(), false);
    }
    // Committing 4 deletes what was superseded up to epoch 4 - 1 - 2 = 1: nothing yet.
    assertEquals(List.of("s/a@1=a1", "s/a@2=a2", "s/a@3=a3", "s/b@1=b1", "s/b@2=DISCARD"), stored());
    // A new execution rebuilds what to delete from what is stored.
    try (RecoveryStore store = RecoveryStore.open(dir, 2, 1)) {
      assertEquals(5, store.resumeEpoch());
      store.epochClosed(5, List.of(), false);
      store.epochClosed(6, List.of(), false);
    }
    // Up to epoch 3: a's older snapshots go, and b entirely, discard marker included.
    assertEquals(List.of("s/a@3=a3"), stored());
    try (RecoveryStore store = RecoveryStore.open(dir, 2, 1)) {
      assertEquals(7, store.resumeEpoch());
      assertEquals(Map.of("a", "a3"), decoded(store.resumeStates("s")));
    }
  }

  @Test
  void aMissingDirectoryIsAnError() {
    RecoveryException e =
        assertThrows(RecoveryException.class, () -> RecoveryStore.open(dir.resolve("nope"), 0, 1));
    assertEquals(RecoveryException.Kind.NO_DIRECTORY, e.kind());
    assertEquals(
        "recovery directory " + dir.resolve("nope") + " does not exist; please create it with `mkdir`",
        e.getMessage());
  }

  @Test
  void aDirectoryWithoutPartitionsIsAnError() {
    RecoveryException e = assertThrows(RecoveryException.class, () -> RecoveryStore.open(dir, 0, 1));
    assertEquals(RecoveryException.Kind.NO_PARTITIONS, e.kind());
    assertEquals("No recovery partitions found on any worker; can't resume", e.getMessage());
  }

  @Test
  void missingPartitionsAreNamed() throws Exception {
    RecoveryStore.init(dir, 4);
    deleteTree(RecoveryPartition.pathOf(dir, 1));
    deleteTree(RecoveryPartition.pathOf(dir, 3));
    RecoveryException e = assertThrows(RecoveryException.class, () -> RecoveryStore.open(dir, 0, 1));
    assertEquals(RecoveryException.Kind.MISSING_PARTITIONS, e.kind());
    assertEquals("Missing recovery partitions {1, 3} of 4; can't resume", e.getMessage());
  }

  @Test
  void aPartitionRestoredFromAnOlderBackupIsInconsistent() throws Exception {
    RecoveryStore.init(dir, 2);
    Path backup = Files.createTempDirectory("wax-backup");
    try (RecoveryStore store = RecoveryStore.open(dir, 0, 1)) {
      store.epochClosed(1, List.of(state("s", "a", "a1")), false);
    }
    copyTree(RecoveryPartition.pathOf(dir, 0), backup.resolve("part-0"));
    try (RecoveryStore store = RecoveryStore.open(dir, 0, 1)) {
      for (long epoch = 2; epoch <= 5; epoch++) {
        store.epochClosed(epoch, List.of(state("s", "a", "a" + epoch), state("s", "b", "b" + epoch)), false);
      }
    }
    deleteTree(RecoveryPartition.pathOf(dir, 0));
    copyTree(backup.resolve("part-0"), RecoveryPartition.pathOf(dir, 0));
    RecoveryException e = assertThrows(RecoveryException.class, () -> RecoveryStore.open(dir, 0, 1));
    assertEquals(RecoveryException.Kind.INCONSISTENT_PARTITIONS, e.kind());
    assertEquals(
        "recovery partitions are too old to resume from epoch 2 without data loss: partition 1"
            + " already deleted snapshots up to epoch 4; restore every partition from the same backup",
        e.getMessage());
    deleteTree(backup);
  }

  /**
   * The files of a store whose process died (copied while it is open: a clean close writes the
   * log out to a table file) with the end of the log cut off.
   */
  @Test
  void aTruncatedLogIsReportedAsCorruptionNamingThePartition() throws Exception {
    Path live = Files.createDirectory(dir.resolve("live"));
    RecoveryStore.init(live, 2);
    try (RecoveryStore store = RecoveryStore.open(live, 0, 1)) {
      for (long epoch = 1; epoch <= 3; epoch++) {
        store.epochClosed(epoch, List.of(state("s", "a", "x".repeat(1000) + epoch)), false);
      }
      for (int index = 0; index < 2; index++) {
        copyTree(RecoveryPartition.pathOf(live, index), RecoveryPartition.pathOf(dir, index));
      }
    }
    Path part = RecoveryPartition.pathOf(dir, RecoveryStore.partitionOf("s", "a", 2));
    Path log;
    try (Stream<Path> files = Files.list(part)) {
      log = files.filter(f -> f.toString().endsWith(".log")).max(Path::compareTo).orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(log);
    Files.write(log, java.util.Arrays.copyOf(bytes, bytes.length - 500));
    RecoveryException e = assertThrows(RecoveryException.class, () -> RecoveryStore.open(dir, 0, 1));
    assertEquals(RecoveryException.Kind.CORRUPTED, e.kind());
    String expected = "recovery partition " + part.getFileName().toString().substring(5) + " (" + part + ") is corrupted";
    assertEquals(expected, e.getMessage().substring(0, expected.length()));
  }

  @Test
  void aPartitionWithoutItsFilesIsReportedAsCorruption() throws Exception {
    RecoveryStore.init(dir, 1);
    Files.delete(RecoveryPartition.pathOf(dir, 0).resolve("CURRENT"));
    RecoveryException e = assertThrows(RecoveryException.class, () -> RecoveryStore.open(dir, 0, 1));
    assertEquals(RecoveryException.Kind.CORRUPTED, e.kind());
  }

  @Test
  void keysSpreadOverPartitionsTheSameWayEveryTime() {
    assertEquals(RecoveryStore.partitionOf("step", "key", 5), RecoveryStore.partitionOf("step", "key", 5));
    int[] used = new int[5];
    for (int i = 0; i < 1000; i++) {
      used[RecoveryStore.partitionOf("s", "k" + i, 5)]++;
    }
    for (int count : used) {
      assertEquals(true, count > 100, "keys spread over partitions: " + java.util.Arrays.toString(used));
    }
  }

  /**
   * Two processes resuming from one directory: each receives the states of the keys its workers
   * own, and no other; states every process may need (a source partition's) reach both.
   */
  @Test
  void aClusterHandsEachProcessOnlyTheStatesItResumes() throws Exception {
    RecoveryStore.init(dir, 3);
    List<Snapshot> snapshots = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      snapshots.add(state("sum", "k" + i, "v" + i));
    }
    snapshots.add(state("inp", "a", "at 7"));
    try (RecoveryStore store = RecoveryStore.open(dir, 0, 1)) {
      store.epochClosed(1, snapshots, false);
    }
    StateOwners owners =
        (step, key) -> step.equals("sum") ? Integer.parseInt(key.substring(1)) % 2 : StateOwners.EVERY_PROCESS;
    LocalCluster cluster = new LocalCluster(2);
    CompletableFuture<RecoveryStore> second =
        CompletableFuture.supplyAsync(() -> RecoveryStore.open(dir, 0, 1, cluster.peers(1), owners));
    try (RecoveryStore first = RecoveryStore.open(dir, 0, 1, cluster.peers(0), owners);
        RecoveryStore other = second.get(30, TimeUnit.SECONDS)) {
      for (RecoveryStore store : List.of(first, other)) {
        int process = store == first ? 0 : 1;
        Map<String, String> expected = new TreeMap<>();
        for (int i = process; i < 20; i += 2) {
          expected.put("k" + i, "v" + i);
        }
        assertEquals(expected, decoded(store.resumeStates("sum")), "process " + process);
        assertEquals(Map.of("a", "at 7"), decoded(store.resumeStates("inp")), "process " + process);
      }
    }
  }

  /** The processes of a cluster, in this JVM: what one sends another takes, in order. */
  private static final class LocalCluster {
    private final int count;
    private final Map<Integer, BlockingQueue<byte[]>> queues = new ConcurrentHashMap<>();
    private final Map<Integer, BiConsumer<Integer, byte[]>> listeners = new ConcurrentHashMap<>();

    LocalCluster(int count) {
      this.count = count;
    }

    private BlockingQueue<byte[]> queue(int from, int to) {
      return queues.computeIfAbsent(from * count + to, k -> new LinkedBlockingQueue<>());
    }

    RecoveryPeers peers(int self) {
      return new RecoveryPeers() {
        @Override
        public int processCount() {
          return count;
        }

        @Override
        public int processId() {
          return self;
        }

        @Override
        public void send(int process, byte[] payload) {
          synchronized (LocalCluster.this) {
            BiConsumer<Integer, byte[]> listener = listeners.get(process);
            if (listener == null) {
              queue(self, process).add(payload);
            } else {
              listener.accept(self, payload);
            }
          }
        }

        @Override
        public byte[] take(int process) {
          try {
            byte[] payload = queue(process, self).poll(30, TimeUnit.SECONDS);
            if (payload == null) {
              throw new IllegalStateException("process " + process + " sent nothing to " + self);
            }
            return payload;
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        }

        @Override
        public void listen(BiConsumer<Integer, byte[]> handler) {
          synchronized (LocalCluster.this) {
            for (int from = 0; from < count; from++) {
              for (byte[] payload = queue(from, self).poll(); payload != null; payload = queue(from, self).poll()) {
                handler.accept(from, payload);
              }
            }
            listeners.put(self, handler);
          }
        }
      };
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static void deleteTree(Path path) throws IOException {
    try (Stream<Path> files = Files.walk(path)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
