package dev.wax.bridge;

import dev.wax.engine.ops.BatchInspector;
import dev.wax.engine.ops.BatchMapper;
import dev.wax.engine.ops.BatchSplitter;
import dev.wax.engine.ops.KeyGrouper;
import dev.wax.engine.ops.LogicBuilder;
import dev.wax.engine.ops.StatefulLogic;
import java.time.Instant;
import java.util.List;
import org.graalvm.polyglot.Value;

/**
 * The engine's function types backed by Python adapters. Each adapter already checked what the
 * user's code returned, so these only reshape: one Python call per batch (or per key and round).
 */
final class PyFunctions {
  private PyFunctions() {}

  /** {@code fn(batch) -> list}. */
  static BatchMapper mapper(Value fn) {
    return batch -> new PyList(fn.execute(PyList.toPython(batch)));
  }

  /** {@code fn(batch) -> (trues, falses)}. */
  static BatchSplitter splitter(Value fn) {
    return batch -> {
      Value split = fn.execute(PyList.toPython(batch));
      return new BatchSplitter.Split(
          new PyList(split.getArrayElement(0)), new PyList(split.getArrayElement(1)));
    };
  }

  /** {@code fn(batch, epoch, worker_index)}. */
  static BatchInspector inspector(Value fn) {
    return (batch, epoch, worker) -> fn.executeVoid(PyList.toPython(batch), epoch, worker);
  }

  /** A key's stamps as an array; null when stamping that key raised. */
  private static long[] stampsOf(Value stamps) {
    return stamps.isNull() ? null : PyWindows.longs(stamps);
  }

  /**
   * {@code fn(batch) -> (keys, values_per_key[, stamps_per_key])}; raises the routing TypeError
   * itself. Stamps, when present, travel with each key's values as a {@link StampedList}.
   */
  static KeyGrouper grouper(Value fn) {
    return (batch, byKey) -> {
      Value grouped = fn.execute(PyList.toPython(batch));
      Value keys = grouped.getArrayElement(0);
      Value values = grouped.getArrayElement(1);
      Value stamps = grouped.getArraySize() > 2 ? grouped.getArrayElement(2) : null;
      long n = keys.getArraySize();
      for (long i = 0; i < n; i++) {
        Value keyValues = values.getArrayElement(i);
        byKey.accept(
            keys.getArrayElement(i).asString(),
            stamps == null
                ? new PyList(keyValues)
                : new StampedList(keyValues, stampsOf(stamps.getArrayElement(i))));
      }
    };
  }

  /** {@code fn(key, resume_state) -> logic adapter}. */
  static LogicBuilder logicBuilder(Value fn) {
    return (key, resumeState) -> new Logic(fn.execute(ResumeState.args(resumeState, key)));
  }

  /** A key's logic; each call returns {@code (emits, discard)} with emits already keyed. */
  private static final class Logic implements StatefulLogic {
    private final Value adapter;
    private final Value onBatch;

    Logic(Value adapter) {
      this.adapter = adapter;
      this.onBatch = adapter.getMember("on_batch");
    }

    @Override
    public Emit onBatch(List<Object> values) {
      return emit(onBatch.execute(PyList.toPython(values)));
    }

    @Override
    public Emit onNotify() {
      return emit(adapter.invokeMember("on_notify"));
    }

    @Override
    public Emit onEof() {
      return emit(adapter.invokeMember("on_eof"));
    }

    @Override
    public Instant notifyAt() {
      return Micros.toInstant(adapter.invokeMember("notify_at"));
    }

    @Override
    public Object snapshot() {
      return adapter.invokeMember("snapshot");
    }

    private static Emit emit(Value result) {
      Value items = result.getArrayElement(0);
      boolean discard = result.getArrayElement(1).asBoolean();
      return new Emit(items.getArraySize() == 0 ? List.of() : new PyList(items), discard);
    }
  }
}
