package dev.wax.bridge;

import dev.wax.engine.window.ClockSpec;
import dev.wax.engine.window.CountLogic;
import dev.wax.engine.window.EventClockSpec;
import dev.wax.engine.window.SessionWindowerSpec;
import dev.wax.engine.window.SlidingWindowerSpec;
import dev.wax.engine.window.SystemClockSpec;
import dev.wax.engine.window.TimestampExtractor;
import dev.wax.engine.window.WindowLogic;
import dev.wax.engine.window.WindowLogicBuilder;
import dev.wax.engine.window.WindowMeta;
import dev.wax.engine.window.WindowShaper;
import dev.wax.engine.window.WindowerSpec;
import java.util.List;
import java.util.function.LongSupplier;
import org.graalvm.polyglot.Value;

/**
 * Translates the window configuration objects of {@code bytewax._wax.adapters} into the engine's
 * Java clocks, windowers and window logics. Built-in clocks and windowers run entirely in Java;
 * Python is called once per batch for timestamps and once per window and round for fold logic.
 */
final class PyWindows {
  private PyWindows() {}

  /**
   * {@code clock.kind} is "event" (ts_batch, wait_micros, now_micros), "system", or
   * "python" for a user's Clock subclass ({@code build(resume) -> adapter}).
   */
  static ClockSpec clock(Value clock) {
    String kind = clock.getMember("kind").asString();
    if (kind.equals("system")) {
      return new SystemClockSpec();
    }
    if (kind.equals("python")) {
      Value build = clock.getMember("build");
      return resume -> new PyClock(build.execute(ResumeState.args(resume)));
    }
    Value tsBatch = clock.getMember("ts_batch");
    TimestampExtractor extractor =
        values -> {
          long[] stamps = values instanceof StampedList stamped ? stamped.stamps() : null;
          return stamps != null ? stamps : longs(tsBatch.execute(PyList.toPython(values)));
        };
    Value now = clock.getMember("now_micros");
    LongSupplier nowSource = now.isNull() ? null : () -> now.execute().asLong();
    return new EventClockSpec(extractor, clock.getMember("wait_micros").asLong(), nowSource);
  }

  /**
   * {@code windower.kind} is "sliding" (length, offset, align micros), "session" (gap) or
   * "python" for a user's Windower subclass ({@code build(resume) -> adapter}).
   */
  static WindowerSpec windower(Value windower) {
    String kind = windower.getMember("kind").asString();
    if (kind.equals("python")) {
      Value build = windower.getMember("build");
      return resume -> new PyWindower(build.execute(ResumeState.args(resume)));
    }
    if (kind.equals("session")) {
      return new SessionWindowerSpec(windower.getMember("gap_micros").asLong());
    }
    return new SlidingWindowerSpec(
        windower.getMember("length_micros").asLong(),
        windower.getMember("offset_micros").asLong(),
        windower.getMember("align_micros").asLong());
  }

  /** The string "count" for the Java counter, else {@code builder(resume) -> logic adapter}. */
  static WindowLogicBuilder logic(Value builder) {
    if (builder.isString() && builder.asString().equals("count")) {
      return CountLogic.BUILDER;
    }
    return resume -> new Logic(builder.execute(ResumeState.args(resume)));
  }

  /** {@code shaper.values(keys, ids, values)} and {@code shaper.metadata(keys, ids, opens, closes, merged)}. */
  static WindowShaper shaper(Value shaper) {
    Value values = shaper.getMember("values");
    Value metadata = shaper.getMember("metadata");
    return new WindowShaper() {
      @Override
      public List<Object> values(List<String> keys, long[] ids, List<Object> items) {
        return new PyList(values.execute(keys, ids, PyList.toPython(items)));
      }

      @Override
      public List<Object> metadata(List<String> keys, List<WindowMeta> metas) {
        int n = metas.size();
        long[] ids = new long[n];
        long[] opens = new long[n];
        long[] closes = new long[n];
        long[][] merged = new long[n][];
        for (int i = 0; i < n; i++) {
          WindowMeta meta = metas.get(i);
          ids[i] = meta.id();
          opens[i] = meta.open();
          closes[i] = meta.close();
          merged[i] = meta.mergedIds();
        }
        return new PyList(metadata.execute(keys, ids, opens, closes, merged));
      }
    };
  }

  /** A Python list of integers as a Java array. */
  static long[] longs(Value list) {
    long[] out = new long[(int) list.getArraySize()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.getArrayElement(i).asLong();
    }
    return out;
  }

  /** A Python window logic adapter: {@code on_values}, {@code on_merge}, {@code on_close}. */
  private static final class Logic implements WindowLogic {
    private final Value adapter;

    Logic(Value adapter) {
      this.adapter = adapter;
    }

    @Override
    public List<Object> onValues(List<Object> values) {
      return emits(adapter.invokeMember("on_values", PyList.toPython(values)));
    }

    @Override
    public List<Object> onMerge(WindowLogic from) {
      return emits(adapter.invokeMember("on_merge", ((Logic) from).adapter));
    }

    @Override
    public List<Object> onClose() {
      return emits(adapter.invokeMember("on_close"));
    }

    @Override
    public Object snapshot() {
      return adapter.invokeMember("snapshot");
    }

    private static List<Object> emits(Value list) {
      return list.getArraySize() == 0 ? List.of() : new PyList(list);
    }
  }
}
