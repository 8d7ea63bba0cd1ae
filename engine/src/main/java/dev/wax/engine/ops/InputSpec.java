package dev.wax.engine.ops;

import dev.wax.engine.FrontierLag;
import dev.wax.engine.StepSpec;
import dev.wax.engine.metrics.Timing;
import dev.wax.engine.io.DynamicSource;
import dev.wax.engine.io.FixedPartitionedSource;
import dev.wax.engine.io.Source;
import dev.wax.engine.io.SourcePartition;
import dev.wax.engine.runtime.Outlet;
import dev.wax.engine.runtime.PartitionAssignment;
import dev.wax.engine.runtime.Snapshots;
import dev.wax.engine.runtime.StepContext;
import dev.wax.engine.runtime.StepRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Core step {@code input}: polls this worker's partitions of a source. */
public record InputSpec(Source source) implements StepSpec {
  /** How long to wait before polling again after an empty batch with no {@code next_awake}. */
  private static final Duration EMPTY_BATCH_BACKOFF = Duration.ofMillis(1);

  @Override
  public List<String> outputPorts() {
    return List.of("down");
  }

  /** The source's end shows downstream in the round after the partition reported it. */
  @Override
  public FrontierLag frontierLag() {
    return FrontierLag.ONE_OPERATOR;
  }

  @Override
  public boolean writesSnapshots() {
    return source instanceof FixedPartitionedSource;
  }

  @Override
  public boolean isInput() {
    return true;
  }

  @Override
  public String traceName(String stepId) {
    return stepId + (source instanceof FixedPartitionedSource ? ".partitioned_input" : ".dynamic_input");
  }

  @Override
  public StepRunner newRunner(StepContext context) {
    return new Runner(context, source);
  }

  /** One partition and when it is next due. {@code key} is null for a dynamic partition. */
  private static final class Part {
    final String key;
    final SourcePartition partition;
    Instant due;
    boolean eof;
    /** A fixed partition's state when it reached EOF, until the epoch's snapshots take it. */
    Object stateAtEof;
    boolean stateAtEofTaken = true;

    Part(String key, SourcePartition partition, Instant due) {
      this.key = key;
      this.partition = partition;
      this.due = due;
    }

    /** The message for a failed call of {@code method} on this partition, in Bytewax's words. */
    Supplier<String> calling(String method, String stepId) {
      return key == null
          ? UserCall.calling("`StatelessSourcePartition." + method + "`", stepId)
          : UserCall.callingForPart("`StatefulSourcePartition." + method + "`", stepId, key);
    }
  }

  private static final class Runner implements StepRunner {
    private final StepContext context;
    private final Source source;
    private final Outlet down;
    private final List<Part> parts = new ArrayList<>();
    private boolean readyToPoll;

    Runner(StepContext context, Source source) {
      this.context = context;
      this.source = source;
      this.down = context.outlet("down");
    }

    @Override
    public void start() {
      String stepId = context.stepId();
      Instant now = context.now();
      if (source instanceof FixedPartitionedSource fixed) {
        // Bytewax keeps partitions sorted by key: that order decides who polls first.
        List<String> all =
            UserCall.call(
                    UserCall.calling("`FixedPartitionedSource.list_parts`", stepId),
                    stepId,
                    fixed::listParts)
                .stream()
                .sorted()
                .distinct()
                .toList();
        List<String> mine = PartitionAssignment.partsOf(all, context.workerIndex(), context.workerCount());
        Map<String, Object> resume = context.resumeStates(mine::contains);
        for (String key : mine) {
          SourcePartition p =
              UserCall.call(
                  UserCall.callingForPart("`FixedPartitionedSource.build_part`", stepId, key),
                  stepId,
                  () -> fixed.buildPart(stepId, key, resume.get(key)));
          parts.add(new Part(key, p, now));
        }
      } else {
        DynamicSource dynamic = (DynamicSource) source;
        SourcePartition p =
            UserCall.call(
                UserCall.calling("`DynamicSource.build`", stepId),
                stepId,
                () -> dynamic.build(stepId, context.workerIndex(), context.workerCount()));
        parts.add(new Part(null, p, now));
      }
    }

    @Override
    public boolean runRound() {
      if (context.sourcesPaused()) {
        return false;
      }
      if (!readyToPoll) {
        // Bytewax builds fixed partitions once it knows what recovery loads, a step after its
        // dynamic sources first poll: their first batches are a round behind.
        readyToPoll = true;
        if (source instanceof FixedPartitionedSource) {
          return false;
        }
      }
      boolean worked = false;
      Instant now = context.now();
      for (Part part : parts) {
        if (!part.eof && !now.isBefore(part.due)) {
          poll(part, now);
          worked = true;
        }
      }
      return worked;
    }

    private void poll(Part part, Instant now) {
      String stepId = context.stepId();
      List<Object> batch =
          context
              .metrics()
              .timed(Timing.NEXT_BATCH, () -> UserCall.call(part.calling("next_batch", stepId), stepId, part.partition::nextBatch));
      if (batch == null) {
        part.eof = true;
        if (part.key != null) {
          // A resumed run continues after the end: the partition's state there is kept.
          part.stateAtEof = snapshotOf(part);
          part.stateAtEofTaken = false;
        }
        UserCall.run(part.calling("close", stepId), stepId, part.partition::close);
        return;
      }
      if (part.key != null) {
        context.metrics().batchSize(batch.size());
      }
      context.metrics().itemsOut(batch.size());
      down.emit(batch);
      Instant awake = UserCall.call(part.calling("next_awake", stepId), stepId, part.partition::nextAwake);
      if (awake != null) {
        part.due = awake;
      } else {
        part.due = batch.isEmpty() ? now.plus(EMPTY_BATCH_BACKOFF) : now;
      }
    }

    @Override
    public boolean isDone() {
      for (Part part : parts) {
        if (!part.eof) {
          return false;
        }
      }
      return true;
    }

    @Override
    public Instant wakeAt() {
      Instant earliest = null;
      for (Part part : parts) {
        if (!part.eof && (earliest == null || part.due.isBefore(earliest))) {
          earliest = part.due;
        }
      }
      return earliest;
    }

    @Override
    public void closeEpoch(long epoch, Snapshots snapshots) {
      for (Part part : parts) {
        if (part.key == null) {
          continue;
        }
        if (!part.eof) {
          snapshots.put(part.key, snapshotOf(part));
        } else if (!part.stateAtEofTaken) {
          snapshots.put(part.key, part.stateAtEof);
          part.stateAtEofTaken = true;
        }
      }
    }

    private Object snapshotOf(Part part) {
      String stepId = context.stepId();
      return context
          .metrics()
          .timed(Timing.SNAPSHOT, () -> UserCall.call(part.calling("snapshot", stepId), stepId, part.partition::snapshot));
    }

    @Override
    public void close() {
      for (Part part : parts) {
        if (!part.eof) {
          part.eof = true;
          String stepId = context.stepId();
          UserCall.run(part.calling("close", stepId), stepId, part.partition::close);
        }
      }
    }
  }
}
