package dev.wax.bridge;

import dev.wax.engine.window.WindowMeta;
import dev.wax.engine.window.WindowerLogic;
import org.graalvm.polyglot.Value;

/** A user's Python {@code WindowerLogic}, through {@code bytewax._wax.adapters.WindowerLogicAdapter}. */
final class PyWindower implements WindowerLogic {
  private final Value adapter;

  PyWindower(Value adapter) {
    this.adapter = adapter;
  }

  @Override
  public long[] insert(long timestamp) {
    return longs(adapter.invokeMember("open_for", timestamp));
  }

  @Override
  public long[] lateFor(long timestamp) {
    return longs(adapter.invokeMember("late_for", timestamp));
  }

  @Override
  public long[][] drainMerges() {
    Value merges = adapter.invokeMember("merged");
    long[][] out = new long[(int) merges.getArraySize()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = longs(merges.getArrayElement(i));
    }
    return out;
  }

  @Override
  public WindowMeta[] closeFor(long watermark) {
    Value columns = adapter.invokeMember("close_for", watermark);
    long[] ids = longs(columns.getArrayElement(0));
    long[] opens = longs(columns.getArrayElement(1));
    long[] closes = longs(columns.getArrayElement(2));
    Value merged = columns.getArrayElement(3);
    WindowMeta[] closed = new WindowMeta[ids.length];
    for (int i = 0; i < ids.length; i++) {
      closed[i] = new WindowMeta(ids[i], opens[i], closes[i], longs(merged.getArrayElement(i)));
    }
    return closed;
  }

  @Override
  public long nextCloseWatermark() {
    Value at = adapter.invokeMember("notify_at");
    return at.isNull() ? Long.MAX_VALUE : at.asLong();
  }

  @Override
  public boolean isEmpty() {
    return adapter.invokeMember("is_empty").asBoolean();
  }

  @Override
  public Object snapshot() {
    return adapter.invokeMember("snapshot");
  }

  static long[] longs(Value list) {
    long[] out = new long[(int) list.getArraySize()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.getArrayElement(i).asLong();
    }
    return out;
  }
}
