package dev.wax.engine.ops;

import dev.wax.engine.StepSpec;
import dev.wax.engine.io.DynamicSink;
import dev.wax.engine.io.FixedPartitionedSink;
import dev.wax.engine.io.Sink;
import dev.wax.engine.io.SinkPartition;
import dev.wax.engine.runtime.Inbox;
import dev.wax.engine.runtime.PartitionAssignment;
import dev.wax.engine.runtime.StepContext;
import dev.wax.engine.runtime.StepRunner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  @Override
  public boolean isOutput() {
    return true;
  }

  @Override
  public StepRunner newRunner(StepContext context) {
    return sink instanceof FixedPartitionedSink fixed
        ? new FixedRunner(context, fixed, keys)
        : new DynamicRunner(context, (DynamicSink) sink);
  }

  /** Shared life cycle: drain the inbox, be done when the input ends, snapshot and close parts. */
  private abstract static class Runner implements StepRunner {
    final StepContext context;
    private final Inbox inbox;
    private boolean done;

    Runner(StepContext context) {
      this.context = context;
      this.inbox = context.inbox();
    }

    abstract void write(List<Object> batch);

    abstract Iterable<SinkPartition> parts();

    @Override
    public boolean runRound() {
      boolean worked = false;
      List<Object> batch;
      while ((batch = inbox.poll()) != null) {
        write(batch);
        worked = true;
      }
      if (!done && inbox.isExhausted()) {
        done = true;
        worked = true;
      }
      return worked;
    }

    @Override
    public boolean isDone() {
      return done;
    }

    void writeTo(SinkPartition part, List<Object> items) {
      UserCall.run("write_batch", context.stepId(), () -> part.writeBatch(items));
    }

    @Override
    public void closeEpoch(long epoch) {
      for (SinkPartition part : parts()) {
        UserCall.call("snapshot", context.stepId(), part::snapshot);
      }
    }

    @Override
    public void close() {
      for (SinkPartition part : parts()) {
        UserCall.run("close", context.stepId(), part::close);
      }
    }
  }

  private static final class DynamicRunner extends Runner {
    private final DynamicSink sink;
    private SinkPartition part;

    DynamicRunner(StepContext context, DynamicSink sink) {
      super(context);
      this.sink = sink;
    }

    @Override
    public void start() {
      String stepId = context.stepId();
      part =
          UserCall.call(
              "build", stepId, () -> sink.build(stepId, context.workerIndex(), context.workerCount()));
    }

    @Override
    void write(List<Object> batch) {
      writeTo(part, batch);
    }

    @Override
    Iterable<SinkPartition> parts() {
      return part == null ? List.of() : List.of(part);
    }
  }

  private static final class FixedRunner extends Runner {
    private final FixedPartitionedSink sink;
    private final KeyGrouper keys;
    private List<String> allParts;
    private final Map<String, SinkPartition> built = new LinkedHashMap<>();

    FixedRunner(StepContext context, FixedPartitionedSink sink, KeyGrouper keys) {
      super(context);
      this.sink = sink;
      this.keys = keys;
    }

    @Override
    public void start() {
      String stepId = context.stepId();
      allParts = List.copyOf(UserCall.call("list_parts", stepId, sink::listParts));
      for (String key :
          PartitionAssignment.partsOf(allParts, context.workerIndex(), context.workerCount())) {
        built.put(key, UserCall.call("build_part", stepId, () -> sink.buildPart(stepId, key, null)));
      }
    }

    @Override
    void write(List<Object> batch) {
      Map<String, List<Object>> byPart = new LinkedHashMap<>();
      String stepId = context.stepId();
      keys.group(
          batch,
          (key, values) -> {
            int index = UserCall.call("part_fn", stepId, () -> sink.partFor(key));
            String part = allParts.get(Math.floorMod(index, allParts.size()));
            byPart.computeIfAbsent(part, p -> new ArrayList<>()).addAll(values);
          });
      for (Map.Entry<String, List<Object>> entry : byPart.entrySet()) {
        writeTo(built.get(entry.getKey()), entry.getValue());
      }
    }

    @Override
    Iterable<SinkPartition> parts() {
      return built.values();
    }
  }
}
