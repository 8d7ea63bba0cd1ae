package dev.wax.engine.api;

import dev.wax.engine.io.Sink;
import dev.wax.engine.ops.BatchSplitter;
import dev.wax.engine.ops.BranchSpec;
import dev.wax.engine.ops.FlatMapBatchSpec;
import dev.wax.engine.ops.ForwardSpec;
import dev.wax.engine.ops.InspectDebugSpec;
import dev.wax.engine.ops.OutputSpec;
import dev.wax.engine.ops.StatefulBatchSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/** A stream of items of type {@code T} in a Java {@link Dataflow}. */
public class Stream<T> {
  final Dataflow flow;
  final String id;

  Stream(Dataflow flow, String id) {
    this.flow = flow;
    this.id = id;
  }

  /** The stream id, {@code flow.step.port}. */
  public String id() {
    return id;
  }

  public <R> Stream<R> map(String stepId, Function<? super T, ? extends R> mapper) {
    return flatMapBatch(
        stepId,
        batch -> {
          List<R> out = new ArrayList<>(batch.size());
          for (T item : batch) {
            out.add(mapper.apply(item));
          }
          return out;
        });
  }

  public Stream<T> filter(String stepId, Predicate<? super T> predicate) {
    return flatMapBatch(
        stepId,
        batch -> {
          List<T> out = new ArrayList<>();
          for (T item : batch) {
            if (predicate.test(item)) {
              out.add(item);
            }
          }
          return out;
        });
  }

  public <R> Stream<R> flatMap(String stepId, Function<? super T, ? extends Iterable<R>> mapper) {
    return flatMapBatch(
        stepId,
        batch -> {
          List<R> out = new ArrayList<>();
          for (T item : batch) {
            mapper.apply(item).forEach(out::add);
          }
          return out;
        });
  }

  /** The core operator the others build on: one call per batch. */
  @SuppressWarnings("unchecked")
  public <R> Stream<R> flatMapBatch(String stepId, Function<List<T>, List<R>> mapper) {
    FlatMapBatchSpec spec =
        new FlatMapBatchSpec(batch -> (List<Object>) mapper.apply((List<T>) batch));
    return next(stepId, spec);
  }

  /** Calls {@code inspector} with every item, then passes it on. */
  @SuppressWarnings("unchecked")
  public Stream<T> inspect(String stepId, Consumer<? super T> inspector) {
    InspectDebugSpec spec =
        new InspectDebugSpec(
            (batch, epoch, worker) -> {
              for (Object item : batch) {
                inspector.accept((T) item);
              }
            });
    return next(stepId, spec);
  }

  /** Splits the stream: {@code result.get(0)} holds items passing the predicate, 1 the rest. */
  @SuppressWarnings("unchecked")
  public List<Stream<T>> branch(String stepId, Predicate<? super T> predicate) {
    BranchSpec spec =
        new BranchSpec(
            batch -> {
              List<Object> trues = new ArrayList<>();
              List<Object> falses = new ArrayList<>();
              for (Object item : batch) {
                (predicate.test((T) item) ? trues : falses).add(item);
              }
              return new BatchSplitter.Split(trues, falses);
            });
    var step = flow.add(stepId, spec, List.of(id));
    return List.of(
        new Stream<>(flow, step.output("trues")), new Stream<>(flow, step.output("falses")));
  }

  /** Combines this stream with others, items in arrival order. */
  @SafeVarargs
  public final Stream<T> merge(String stepId, Stream<T>... others) {
    List<String> inputs = new ArrayList<>();
    inputs.add(id);
    for (Stream<T> other : others) {
      inputs.add(other.id);
    }
    return new Stream<>(flow, flow.add(stepId, ForwardSpec.merge(), inputs).output("down"));
  }

  /** Keys every item by {@code key}. */
  public KeyedStream<T> keyOn(String stepId, Function<? super T, String> key) {
    Stream<KV<T>> keyed = map(stepId, item -> new KV<>(key.apply(item), item));
    return new KeyedStream<>(flow, keyed.id);
  }

  /** Counts items per key at the end of input, emitting {@code KV(key, count)} in key order. */
  public KeyedStream<Long> countFinal(String stepId, Function<? super T, String> key) {
    @SuppressWarnings("unchecked")
    StatefulBatchSpec spec =
        new StatefulBatchSpec(
            (batch, byKey) -> KeyedStream.groupBy(batch, item -> key.apply((T) item), byKey),
            KeyedStream.foldLogic(() -> 0L, (Long count, Object item) -> count + 1),
            false);
    return new KeyedStream<>(flow, flow.add(stepId, spec, List.of(id)).output("down"));
  }

  /** Writes every item to {@code sink}; a fixed-partitioned sink needs a keyed stream. */
  public void output(String stepId, Sink sink) {
    flow.add(stepId, new OutputSpec(sink, KeyedStream.KV_GROUPER), List.of(id));
  }

  <R> Stream<R> next(String stepId, dev.wax.engine.StepSpec spec) {
    return new Stream<>(flow, flow.add(stepId, spec, List.of(id)).output("down"));
  }
}
