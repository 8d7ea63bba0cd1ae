package dev.wax.engine.api;

import dev.wax.engine.Step;
import dev.wax.engine.ops.KeyGrouper;
import dev.wax.engine.ops.LogicBuilder;
import dev.wax.engine.ops.StatefulBatchSpec;
import dev.wax.engine.ops.StatefulLogic;
import dev.wax.engine.ops.WindowSpec;
import dev.wax.engine.window.ClockSpec;
import dev.wax.engine.window.CountLogic;
import dev.wax.engine.window.WindowLogicBuilder;
import dev.wax.engine.window.WindowMeta;
import dev.wax.engine.window.WindowShaper;
import dev.wax.engine.window.WindowerSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;

/** A stream of {@link KV} items: stateful steps keep one state per key. */
public final class KeyedStream<V> extends Stream<KV<V>> {
  /** Groups {@link KV} items by key, passing on their values. */
  static final KeyGrouper KV_GROUPER =
      (batch, byKey) -> groupBy(batch, item -> ((KV<?>) item).key(), byKey, KeyedStream::valueOf);

  KeyedStream(Dataflow flow, String id) {
    super(flow, id);
  }

  /**
   * Keeps a state per key: {@code mapper(state, value)} returns the new state and the value to
   * emit; a null new state discards the key's state. State starts as null.
   */
  public <S, R> KeyedStream<R> statefulMap(
      String stepId, BiFunction<S, V, Map.Entry<S, R>> mapper) {
    LogicBuilder builder =
        (key, resume) ->
            new StatefulLogic() {
              @SuppressWarnings("unchecked")
              S state = (S) resume;

              @Override
              @SuppressWarnings("unchecked")
              public Emit onBatch(List<Object> values) {
                List<Object> out = new ArrayList<>(values.size());
                for (Object value : values) {
                  Map.Entry<S, R> next = mapper.apply(state, (V) value);
                  state = next.getKey();
                  out.add(new KV<>(key, next.getValue()));
                }
                return new Emit(out, state == null);
              }

              @Override
              public Object snapshot() {
                return state;
              }
            };
    return stateful(stepId, builder);
  }

  /** Folds all values of each key and emits {@code KV(key, accumulator)} at end of input. */
  public <S> KeyedStream<S> foldFinal(
      String stepId, Supplier<S> initial, BiFunction<S, V, S> folder) {
    return stateful(stepId, foldLogic(initial, folder));
  }

  /** Combines all values of each key and emits the result at end of input. */
  public KeyedStream<V> reduceFinal(String stepId, BinaryOperator<V> reducer) {
    return foldFinal(stepId, () -> null, (acc, v) -> acc == null ? v : reducer.apply(acc, v));
  }

  /**
   * Windows each key's values by {@code clock} and {@code windower}; {@code logic} decides what a
   * window computes.
   */
  public <R> WindowOut<V, R> window(
      String stepId, ClockSpec clock, WindowerSpec windower, WindowLogicBuilder logic) {
    WindowSpec spec = new WindowSpec(KV_GROUPER, clock, windower, logic, true, JAVA_SHAPER);
    Step step = flow.add(stepId, spec, List.of(id));
    return new WindowOut<>(
        new KeyedStream<>(flow, step.output("down")),
        new KeyedStream<>(flow, step.output("late")),
        new KeyedStream<>(flow, step.output("meta")));
  }

  /** Counts each key's values per window, natively. */
  public WindowOut<V, Long> countWindow(String stepId, ClockSpec clock, WindowerSpec windower) {
    return window(stepId, clock, windower, CountLogic.BUILDER);
  }

  /** Shapes window outputs as {@code KV(key, Windowed(id, value))} and {@code KV(key, meta)}. */
  private static final WindowShaper JAVA_SHAPER =
      new WindowShaper() {
        @Override
        public List<Object> values(List<String> keys, long[] ids, List<Object> values) {
          List<Object> items = new ArrayList<>(keys.size());
          for (int i = 0; i < keys.size(); i++) {
            items.add(new KV<>(keys.get(i), new Windowed<>(ids[i], values.get(i))));
          }
          return items;
        }

        @Override
        public List<Object> metadata(List<String> keys, List<WindowMeta> metas) {
          List<Object> items = new ArrayList<>(keys.size());
          for (int i = 0; i < keys.size(); i++) {
            items.add(new KV<>(keys.get(i), metas.get(i)));
          }
          return items;
        }
      };

  /** A step of this API's own logics, none of which asks to be woken. */
  private <R> KeyedStream<R> stateful(String stepId, LogicBuilder builder) {
    StatefulBatchSpec spec = new StatefulBatchSpec(KV_GROUPER, builder, false);
    return new KeyedStream<>(flow, flow.add(stepId, spec, List.of(id)).output("down"));
  }

  static <S, V> LogicBuilder foldLogic(Supplier<S> initial, BiFunction<S, V, S> folder) {
    return (key, resume) ->
        new StatefulLogic() {
          @SuppressWarnings("unchecked")
          S acc = resume == null ? initial.get() : (S) resume;

          @Override
          @SuppressWarnings("unchecked")
          public Emit onBatch(List<Object> values) {
            for (Object value : values) {
              acc = folder.apply(acc, (V) value);
            }
            return Emit.RETAIN_NONE;
          }

          @Override
          public Emit onEof() {
            return new Emit(List.of(new KV<>(key, acc)), true);
          }

          @Override
          public Object snapshot() {
            return acc;
          }
        };
  }

  static void groupBy(
      List<Object> batch, Function<Object, String> key, BiConsumer<String, List<Object>> byKey) {
    groupBy(batch, key, byKey, Function.identity());
  }

  static void groupBy(
      List<Object> batch,
      Function<Object, String> key,
      BiConsumer<String, List<Object>> byKey,
      Function<Object, Object> value) {
    Map<String, List<Object>> groups = new LinkedHashMap<>();
    for (Object item : batch) {
      groups.computeIfAbsent(key.apply(item), k -> new ArrayList<>()).add(value.apply(item));
    }
    groups.forEach(byKey);
  }

  private static Object valueOf(Object item) {
    if (!(item instanceof KV<?> kv)) {
      throw new IllegalArgumentException("expected a KV item; got " + item);
    }
    return kv.value();
  }
}
