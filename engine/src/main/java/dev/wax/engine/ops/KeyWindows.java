package dev.wax.engine.ops;

import dev.wax.engine.runtime.StateCodec;
import dev.wax.engine.window.ClockLogic;
import dev.wax.engine.window.ClockSpec;
import dev.wax.engine.window.WindowLogic;
import dev.wax.engine.window.WindowLogicBuilder;
import dev.wax.engine.window.WindowMeta;
import dev.wax.engine.window.WindowerLogic;
import dev.wax.engine.window.WindowerSpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * The window state of one key: its clock, its windower, a logic per open window and, for ordered
 * windows, the items waiting for the watermark. Each release inserts, then merges, then closes.
 * User code may throw from any method; the step names the key and phase in the error.
 */
final class KeyWindows {
  private static final byte SNAPSHOT_VERSION = 1;

  /** An on-time item waiting until the watermark reaches it. */
  private record Queued(long timestamp, long seq, Object value) {}

  final ClockLogic clock;
  private final WindowerLogic windower;
  private final WindowLogicBuilder builder;
  private final boolean ordered;
  private final TreeMap<Long, WindowLogic> logics = new TreeMap<>();
  private final PriorityQueue<Queued> queue =
      new PriorityQueue<>((a, b) -> a.timestamp != b.timestamp
          ? Long.compare(a.timestamp, b.timestamp)
          : Long.compare(a.seq, b.seq));
  private long seq;

  KeyWindows(ClockLogic clock, WindowerLogic windower, WindowLogicBuilder builder, boolean ordered) {
    this.clock = clock;
    this.windower = windower;
    this.builder = builder;
    this.ordered = ordered;
  }

  /** New values: late ones are reported, the rest queued and released up to the watermark. */
  void accept(String key, List<Object> values, long now, WindowOutput out) {
    int n = values.size();
    long[] timestamps = new long[n];
    long[] watermarks = new long[n];
    clock.onItems(values, now, timestamps, watermarks);
    long watermark = watermarks[n - 1];
    // Unordered windows take items in arrival order. Ordered ones queue items by timestamp until
    // the watermark passes them, but in-order items the watermark already allows skip the queue:
    // it would release them in arrival order anyway.
    boolean direct = !ordered || queue.isEmpty();
    long previous = Long.MIN_VALUE;
    for (int i = 0; i < n && direct && ordered; i++) {
      long ts = timestamps[i];
      if (ts >= watermarks[i]) {
        direct = ts >= previous && ts <= watermark;
        previous = ts;
      }
    }
    for (int i = 0; i < n; i++) {
      long ts = timestamps[i];
      if (ts < watermarks[i]) {
        for (long id : windower.lateFor(ts)) {
          out.late(key, id, values.get(i));
        }
      } else if (!direct) {
        queue.add(new Queued(ts, seq++, values.get(i)));
      }
    }
    Pending pending = new Pending();
    for (int i = 0; i < n && direct; i++) {
      if (timestamps[i] >= watermarks[i]) {
        pending.insert(timestamps[i], values.get(i));
      }
    }
    release(key, watermark, pending, out);
  }

  /** Applies queued items the watermark allows, then merges, then closes passed windows. */
  void release(String key, long watermark, WindowOutput out) {
    release(key, watermark, new Pending(), out);
  }

  private void release(String key, long watermark, Pending pending, WindowOutput out) {
    while (!queue.isEmpty() && (!ordered || queue.peek().timestamp <= watermark)) {
      Queued item = queue.poll();
      pending.insert(item.timestamp, item.value);
    }
    for (Pending.Run run : pending.runs) {
      out.down(key, run.id, logicOf(key, run.id).onValues(run.values));
    }
    for (long[] merge : windower.drainMerges()) {
      WindowLogic from = logics.remove(merge[0]);
      if (from != null) {
        WindowLogic into = logicOf(key, merge[1]);
        out.down(key, merge[1], into.onMerge(from));
      }
    }
    for (WindowMeta closed : windower.closeFor(watermark)) {
      WindowLogic logic = logics.remove(closed.id());
      if (logic != null) {
        out.down(key, closed.id(), logic.onClose());
      }
      out.meta(key, closed);
    }
  }

  /**
   * Released values in Bytewax's order, item by item and, for an item in several windows, window
   * by window; consecutive values bound for the same window go to its logic together.
   */
  private final class Pending {
    record Run(long id, List<Object> values) {}

    final List<Run> runs = new ArrayList<>();
    private Run last;

    void insert(long timestamp, Object value) {
      for (long id : windower.insert(timestamp)) {
        if (last == null || last.id != id) {
          last = new Run(id, new ArrayList<>());
          runs.add(last);
        }
        last.values.add(value);
      }
    }
  }

  private WindowLogic logicOf(String key, long id) {
    WindowLogic logic = logics.get(id);
    if (logic == null) {
      logic = builder.build(null);
      logics.put(id, logic);
    }
    return logic;
  }

  /** The system time to wake this key at (a window closes or a queued item comes due). */
  long nextWakeSystemTime() {
    long watermark = windower.nextCloseWatermark();
    if (!queue.isEmpty()) {
      watermark = Math.min(watermark, queue.peek().timestamp);
    }
    return watermark == Long.MAX_VALUE ? Long.MAX_VALUE : clock.toSystem(watermark);
  }

  boolean isEmpty() {
    return windower.isEmpty() && queue.isEmpty();
  }

  /**
   * This key's whole window state as bytes: the Java parts written here, the states Python owns
   * (window logics, waiting items, Python clocks and windowers) encoded by {@code codec} in one
   * call. Layout: version, clock, windower ({@code 0, length, longs} or {@code 1}: the next
   * encoded state), next sequence number, window ids, waiting items' timestamps and sequence
   * numbers, then the encoded states in that order.
   */
  byte[] snapshot(StateCodec codec, String stepId, String key) {
    List<Object> encoded = new ArrayList<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(SNAPSHOT_VERSION);
      writePart(out, clock.snapshot(), encoded);
      writePart(out, windower.snapshot(), encoded);
      out.writeLong(seq);
      out.writeInt(logics.size());
      for (Map.Entry<Long, WindowLogic> entry : logics.entrySet()) {
        out.writeLong(entry.getKey());
        encoded.add(entry.getValue().snapshot());
      }
      out.writeInt(queue.size());
      for (Queued item : queue) {
        out.writeLong(item.timestamp);
        out.writeLong(item.seq);
        encoded.add(item.value);
      }
      byte[] states = codec.encodeAll(stepId, key, encoded);
      out.writeInt(states.length);
      out.write(states);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void writePart(DataOutputStream out, Object state, List<Object> encoded) throws IOException {
    if (state instanceof long[] longs) {
      out.writeByte(0);
      out.writeInt(longs.length);
      for (long value : longs) {
        out.writeLong(value);
      }
    } else {
      out.writeByte(1);
      encoded.add(state);
    }
  }

  /** The state {@link #snapshot} wrote, rebuilt with the step's clock, windower and logic. */
  static KeyWindows restore(
      byte[] snapshot,
      StateCodec codec,
      String stepId,
      String key,
      ClockSpec clockSpec,
      WindowerSpec windowerSpec,
      WindowLogicBuilder builder,
      boolean ordered) {
    ByteBuffer in = ByteBuffer.wrap(snapshot);
    if (in.get() != SNAPSHOT_VERSION) {
      throw new IllegalStateException("window state of key " + key + " in step " + stepId + " has an unknown format");
    }
    long[] clockState = readPart(in);
    long[] windowerState = readPart(in);
    long seq = in.getLong();
    long[] ids = new long[in.getInt()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = in.getLong();
    }
    long[][] queued = new long[in.getInt()][];
    for (int i = 0; i < queued.length; i++) {
      queued[i] = new long[] {in.getLong(), in.getLong()};
    }
    byte[] states = new byte[in.getInt()];
    in.get(states);
    Iterator<Object> decoded = codec.decodeAll(stepId, key, states).iterator();
    KeyWindows windows =
        new KeyWindows(
            clockSpec.build(clockState != null ? clockState : decoded.next()),
            windowerSpec.build(windowerState != null ? windowerState : decoded.next()),
            builder,
            ordered);
    windows.seq = seq;
    for (long id : ids) {
      windows.logics.put(id, builder.build(decoded.next()));
    }
    for (long[] item : queued) {
      windows.queue.add(new Queued(item[0], item[1], decoded.next()));
    }
    return windows;
  }

  /** A Java part's longs, or null when its state is the next encoded one. */
  private static long[] readPart(ByteBuffer in) {
    if (in.get() == 1) {
      return null;
    }
    long[] longs = new long[in.getInt()];
    for (int i = 0; i < longs.length; i++) {
      longs[i] = in.getLong();
    }
    return longs;
  }
}
