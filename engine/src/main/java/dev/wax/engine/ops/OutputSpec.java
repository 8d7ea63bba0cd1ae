package dev.wax.engine.ops;

import dev.wax.engine.FrontierLag;
import dev.wax.engine.StepSpec;
import dev.wax.engine.metrics.Timing;
import dev.wax.engine.io.DynamicSink;
import dev.wax.engine.io.FixedPartitionedSink;
import dev.wax.engine.io.OutputCommitter;
import dev.wax.engine.io.Sink;
import dev.wax.engine.io.SinkPartition;
import dev.wax.engine.runtime.Exchange;
import dev.wax.engine.runtime.KeyedBatch;
import dev.wax.engine.runtime.PartitionAssignment;
import dev.wax.engine.runtime.Snapshots;
import dev.wax.engine.runtime.StepContext;
import dev.wax.engine.runtime.StepRunner;
import dev.wax.engine.UserCodeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Core step {@code output}: writes every batch to the sink. A fixed-partitioned sink takes {@code
 * (key, value)} items, so it needs {@code keys} to split them; a dynamic sink ignores it.
 */
public record OutputSpec(Sink sink, KeyGrouper keys) implements StepSpec {
  public OutputSpec {
    if (sink instanceof FixedPartitionedSink && keys == null) {
      throw new IllegalArgumentException("a fixed-partitioned sink needs a key grouper");
    }
  }

  @Override
  public List<String> outputPorts() {
    return List.of();
  }

  /**
   * A dynamic sink's Timely operator holds no capabilities; a fixed-partitioned one writes after
   * two operators that route items to their partition's worker.
   */
  @Override
  public FrontierLag frontierLag() {
    return sink instanceof FixedPartitionedSink ? new FrontierLag(2, 1) : FrontierLag.NONE;
  }

  @Override
  public boolean writesSnapshots() {
    return sink instanceof FixedPartitionedSink;
  }

  @Override
  public boolean isOutput() {
    return true;
  }

  /** Bytewax traces its partitioned outputs only. */
  @Override
  public String traceName(String stepId) {
    return sink instanceof FixedPartitionedSink ? stepId + ".partitioned_output" : null;
  }

  @Override
  public StepRunner newRunner(StepContext context) {
    return sink instanceof FixedPartitionedSink fixed
        ? new FixedRunner(context, fixed, keys)
        : new DynamicRunner(context, (DynamicSink) sink);
  }

  /** Writes each batch as it comes; snapshots and closes this worker's partitions. */
  private abstract static class Runner extends TransformRunner {
    final StepContext context;
    private final Set<String> writtenInEpoch = new TreeSet<>();

    Runner(StepContext context) {
      super(context.inbox());
      this.context = context;
    }

    /** This worker's partitions by key; the key is null for a dynamic sink's partition. */
    abstract Map<String, SinkPartition> parts();

    /** The message for a failed call of {@code method} on the partition {@code part}. */
    Supplier<String> calling(String method, String part) {
      String stepId = context.stepId();
      return part == null
          ? UserCall.calling("`StatelessSinkPartition." + method + "`", stepId)
          : UserCall.callingForPart("`StatefulSinkPartition." + method + "`", stepId, part);
    }

    void writeTo(String key, List<Object> items) {
      SinkPartition part = parts().get(key);
      context.metrics().itemsIn(items.size());
      context
          .metrics()
          .timed(Timing.WRITE_BATCH, () -> UserCall.run(calling("write_batch", key), context.stepId(), () -> part.writeBatch(items)));
      if (key != null) {
        writtenInEpoch.add(key);
      }
    }

    /** Snapshots the fixed partitions written in the epoch; a dynamic sink keeps no state. */
    @Override
    public void closeEpoch(long epoch, Snapshots snapshots) {
      for (String key : writtenInEpoch) {
        SinkPartition part = parts().get(key);
        snapshots.put(
            key,
            context
                .metrics()
                .timed(Timing.SNAPSHOT, () -> UserCall.call(calling("snapshot", key), context.stepId(), part::snapshot)));
      }
      writtenInEpoch.clear();
    }

    @Override
    public void close() {
      parts()
          .forEach((key, part) -> UserCall.run(calling("close", key), context.stepId(), part::close));
    }
  }

  /**
   * A dynamic sink's partition on this worker. When the partition commits its output with the
   * snapshots, what it prepares at each epoch close is this step's state under the worker's
   * index; a resumed run hands each prepared state to the worker with that index modulo the
   * worker count, so none is lost when the count changes.
   */
  private static final class DynamicRunner extends Runner {
    private final DynamicSink sink;
    private final Map<String, SinkPartition> parts = new HashMap<>();
    private OutputCommitter committer;
    /** The keys whose prepared state the store holds: this worker's and those it recovered. */
    private final Set<String> stored = new TreeSet<>();

    DynamicRunner(StepContext context, DynamicSink sink) {
      super(context);
      this.sink = sink;
    }

    @Override
    public void start() {
      String stepId = context.stepId();
      SinkPartition part =
          UserCall.call(
              UserCall.calling("`DynamicSink.build`", stepId),
              stepId,
              () -> sink.build(stepId, context.workerIndex(), context.workerCount()));
      parts.put(null, part);
      committer = part.committer();
      if (committer != null) {
        int index = context.workerIndex();
        int count = context.workerCount();
        context
            .resumeEncoded(key -> Integer.parseInt(key) % count == index)
            .forEach(
                (key, state) -> {
                  UserCall.run(committing("recover"), stepId, () -> committer.recover(state));
                  stored.add(key);
                });
      }
    }

    private Supplier<String> committing(String method) {
      return UserCall.calling("the output committer's `" + method + "`", context.stepId());
    }

    private String ownKey() {
      return Integer.toString(context.workerIndex());
    }

    @Override
    public boolean commitsOutput() {
      return committer != null;
    }

    @Override
    public void closeEpoch(long epoch, Snapshots snapshots) {
      if (committer == null) {
        return;
      }
      byte[] state = UserCall.call(committing("prepare"), context.stepId(), () -> committer.prepare(epoch));
      // Recovered states were committed when this run started; this worker's is replaced.
      for (String key : stored) {
        if (state == null || !key.equals(ownKey())) {
          snapshots.discard(key);
        }
      }
      stored.clear();
      if (state != null) {
        snapshots.putEncoded(ownKey(), state);
        stored.add(ownKey());
      }
    }

    @Override
    public void epochDurable(long epoch) {
      UserCall.run(committing("commit"), context.stepId(), () -> committer.commit(epoch));
    }

    @Override
    void process(List<Object> batch) {
      writeTo(null, batch);
    }

    @Override
    Map<String, SinkPartition> parts() {
      return parts;
    }
  }

  private static final class FixedRunner extends Runner {
    private final FixedPartitionedSink sink;
    private final KeyGrouper keys;
    private List<String> allParts;
    private Map<String, Integer> owners;
    private final Map<String, SinkPartition> built = new LinkedHashMap<>();

    FixedRunner(StepContext context, FixedPartitionedSink sink, KeyGrouper keys) {
      super(context);
      this.sink = sink;
      this.keys = keys;
    }

    /** The sink's partitions, listed once per worker (the exchange may need them first). */
    private List<String> allParts() {
      if (allParts == null) {
        String stepId = context.stepId();
        allParts =
            List.copyOf(
                UserCall.call(
                    UserCall.calling("`FixedPartitionedSink.list_parts`", stepId),
                    stepId,
                    sink::listParts));
        if (allParts.isEmpty()) {
          throw new UserCodeException(
              "`FixedPartitionedSink.list_parts` in step "
                  + UserCodeException.quote(stepId)
                  + " returned no partitions; a fixed-partitioned sink needs at least one",
              stepId,
              null);
        }
      }
      return allParts;
    }

    @Override
    public void start() {
      String stepId = context.stepId();
      List<String> mine = PartitionAssignment.partsOf(allParts(), context.workerIndex(), context.workerCount());
      Map<String, Object> resume = context.resumeStates(mine::contains);
      for (String key : mine) {
        built.put(
            key,
            UserCall.call(
                UserCall.callingForPart("`FixedPartitionedSink.build_part`", stepId, key),
                stepId,
                () -> sink.buildPart(stepId, key, resume.get(key))));
      }
    }

    /** Items go to the worker holding the partition {@code part_fn} picks for their key. */
    @Override
    public Exchange exchange() {
      return (batch, workerCount, placement) -> {
        Map<String, List<Object>> byPart = new LinkedHashMap<>();
        keys.group(batch, (key, values) -> byPart.computeIfAbsent(partFor(key), p -> new ArrayList<>()).addAll(values));
        byPart.forEach(
            (part, values) -> placement.place(ownerOf(part, workerCount), new KeyedBatch(part, values)));
      };
    }

    private String partFor(String key) {
      String stepId = context.stepId();
      int index =
          UserCall.call(
              () ->
                  "error calling `FixedPartitionedSink.part_fn` in step "
                      + UserCodeException.quote(stepId)
                      + " for key "
                      + UserCodeException.quote(key),
              stepId,
              () -> sink.partFor(key));
      List<String> parts = allParts();
      return parts.get(Math.floorMod(index, parts.size()));
    }

    /** The worker holding {@code part}; the assignment is worked out once per worker. */
    private int ownerOf(String part, int workerCount) {
      if (owners == null) {
        owners = PartitionAssignment.owners(allParts(), workerCount);
      }
      return owners.get(part);
    }

    @Override
    void process(List<Object> piece) {
      KeyedBatch forPart = (KeyedBatch) piece;
      writeTo(forPart.key(), forPart.values());
    }

    @Override
    Map<String, SinkPartition> parts() {
      return built;
    }
  }
}
