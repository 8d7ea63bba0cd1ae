package dev.wax.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wax.engine.UserCodeException;
import dev.wax.engine.api.Dataflow;
import dev.wax.engine.api.KV;
import dev.wax.engine.api.Sources;
import dev.wax.engine.io.DynamicSink;
import dev.wax.engine.io.OutputCommitter;
import dev.wax.engine.io.SinkPartition;
import dev.wax.engine.recovery.RecoveryStore;
import dev.wax.engine.runtime.RunOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output committed together with the snapshots ({@link OutputCommitter}): held back until its
 * epoch is durable, visible exactly once across a crash at any point of the commit.
 */
class CommittedOutputTest {
  private static final List<Integer> NUMBERS = IntStream.rangeClosed(1, 40).boxed().toList();

  /**
   * An external system with transactions: what is committed is visible, and each writer's last
   * commit leaves a marker the writer can read back after a crash.
   */
  private static final class Log {
    final List<Object> visible = new ArrayList<>();
    final Map<Integer, String> markers = new HashMap<>();
    final List<String> events = new ArrayList<>();
    /** Per epoch, how many workers prepared it: with recovery, all must before it commits. */
    final Map<Long, Integer> prepared = new HashMap<>();
    int workersToPrepare;
    /** Commit of this epoch fails: before it is visible, or after. */
    long crashAt = -1;
    boolean crashAfterVisible;
    synchronized void commit(int writer, long epoch, String marker, List<Integer> items) {
      if (workersToPrepare > 0 && prepared.getOrDefault(epoch, 0) != workersToPrepare) {
        // Thrown, not asserted: the run reports it as the step's error.
        throw new IllegalStateException("epoch " + epoch + " committed before every worker closed it");
      }
      if (epoch == crashAt && !crashAfterVisible) {
        crashAt = -1;
        throw new IllegalStateException("crash before committing epoch " + epoch);
      }
      visible.addAll(items);
      markers.put(writer, marker);
      if (epoch == crashAt) {
        crashAt = -1;
        throw new IllegalStateException("crash after committing epoch " + epoch);
      }
    }
  }

  /** Prepared output: per epoch, its marker and items; tagged with the writer it belongs to. */
  private record Prepared(int writer, TreeMap<Long, List<Integer>> epochs) {
    byte[] encode() {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(writer);
        out.writeInt(epochs.size());
        for (Map.Entry<Long, List<Integer>> e : epochs.entrySet()) {
          out.writeLong(e.getKey());
          out.writeInt(e.getValue().size());
          for (int item : e.getValue()) {
            out.writeInt(item);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    static Prepared decode(byte[] state) {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
        int writer = in.readInt();
        TreeMap<Long, List<Integer>> epochs = new TreeMap<>();
        for (int n = in.readInt(); n > 0; n--) {
          long epoch = in.readLong();
          List<Integer> items = new ArrayList<>();
          for (int k = in.readInt(); k > 0; k--) {
            items.add(in.readInt());
          }
          epochs.put(epoch, items);
        }
        return new Prepared(writer, epochs);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static String marker(int writer, long epoch) {
    return writer + "@" + epoch;
  }

  /** Writes the values of {@code (key, sum)} items; commits each epoch once it is durable. */
  private static DynamicSink committing(Log log) {
    return (stepId, worker, workers) -> {
      TreeMap<Long, List<Integer>> waiting = new TreeMap<>();
      List<Integer> written = new ArrayList<>();
      OutputCommitter committer =
          new OutputCommitter() {
            @Override
            public byte[] prepare(long epoch) {
              if (!written.isEmpty()) {
                waiting.put(epoch, List.copyOf(written));
                written.clear();
              }
              synchronized (log) {
                log.events.add("prepare " + epoch);
                log.prepared.merge(epoch, 1, Integer::sum);
              }
              return waiting.isEmpty() ? null : new Prepared(worker, waiting).encode();
            }

            @Override
            public void commit(long epoch) {
              while (!waiting.isEmpty() && waiting.firstKey() <= epoch) {
                long first = waiting.firstKey();
                log.commit(worker, first, marker(worker, first), waiting.get(first));
                waiting.remove(first);
              }
            }

            @Override
            public void recover(byte[] state) {
              Prepared prepared = Prepared.decode(state);
              String last;
              synchronized (log) {
                log.workersToPrepare = 0; // Prepared by the run before.
                last = log.markers.get(prepared.writer());
                log.events.add("recover " + prepared.writer() + " " + prepared.epochs().keySet());
              }
              // Epochs commit in order: those after the marked one were not committed.
              long marked = last == null ? -1 : Long.parseLong(last.substring(last.indexOf('@') + 1));
              prepared.epochs().tailMap(marked, false).forEach(
                  (epoch, items) -> log.commit(prepared.writer(), epoch, marker(prepared.writer(), epoch), items));
            }
          };
      return new SinkPartition() {
        @Override
        public void writeBatch(List<Object> items) {
          for (Object item : items) {
            @SuppressWarnings("unchecked")
            KV<Integer> kv = (KV<Integer>) item;
            written.add(kv.value());
          }
        }

        @Override
        public OutputCommitter committer() {
          return committer;
        }
      };
    };
  }

  /** Running sums per last digit; each sum is the output. */
  private static Dataflow sums(Log log) {
    Dataflow flow = new Dataflow("sums");
    flow.<Integer>input("inp", Sources.of(NUMBERS, 3))
        .keyOn("key", x -> Integer.toString(x % 10))
        .<Integer, Integer>statefulMap(
            "sum",
            (Integer sum, Integer x) -> {
              int next = (sum == null ? 0 : sum) + x;
              return new AbstractMap.SimpleEntry<>(next, next);
            })
        .output("out", committing(log));
    return flow;
  }

  /** What the flow writes when nothing goes wrong, sorted. */
  private static List<Object> expected() {
    Map<Integer, Integer> sums = new HashMap<>();
    List<Object> out = new ArrayList<>();
    for (int x : NUMBERS) {
      out.add(sums.merge(x % 10, x, Integer::sum));
    }
    return sorted(out);
  }

  private static List<Object> sorted(List<Object> items) {
    List<Object> copy = new ArrayList<>(items);
    copy.sort((a, b) -> Integer.compare((Integer) a, (Integer) b));
    return copy;
  }

  @Test
  void withoutRecoveryEveryEpochCommitsAsItClosesAndAllBeforeTheRunReturns() {
    Log log = new Log();
    sums(log).run(RunOptions.defaults().withWorkers(2).withEpochInterval(Duration.ofNanos(1)));
    assertEquals(expected(), sorted(log.visible));
  }

  @Test
  void aCrashBeforeTheCommitIsFinishedOnResumeExactlyOnce(@TempDir Path dir) {
    crashThenResume(dir, false);
  }

  @Test
  void aCrashAfterTheCommitIsNotCommittedAgain(@TempDir Path dir) {
    crashThenResume(dir, true);
  }

  /**
   * The commit of epoch 4 fails (before or after its items became visible), which stops the run
   * with its snapshots durable; the resumed run, on one worker instead of two, finishes what both
   * workers prepared and carries on: every sum is visible exactly once.
   */
  private static void crashThenResume(Path dir, boolean afterVisible) {
    RecoveryStore.init(dir, 2);
    Log log = new Log();
    log.crashAt = 4;
    log.crashAfterVisible = afterVisible;
    log.workersToPrepare = 2;
    RunOptions every = RunOptions.defaults().withEpochInterval(Duration.ofNanos(1));
    UserCodeException crash =
        assertThrows(UserCodeException.class, () -> sums(log).run(every.withWorkers(2), dir, Duration.ZERO));
    assertEquals("error calling the output committer's `commit` in step \"sums.out\"", crash.getMessage());
    assertEquals(
        "crash " + (afterVisible ? "after" : "before") + " committing epoch 4", crash.getCause().getMessage());
    int before = log.visible.size();

    sums(log).run(every, dir, Duration.ZERO);
    assertEquals(expected(), sorted(log.visible));
    assertTrue(before < log.visible.size(), "the first run had committed everything");
    assertTrue(log.events.stream().anyMatch(e -> e.startsWith("recover ")), log.events.toString());
  }
}
