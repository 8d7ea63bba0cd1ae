package dev.wax.bridge;

import dev.wax.engine.window.ClockLogic;
import java.util.List;
import org.graalvm.polyglot.Value;

/** A user's Python {@code ClockLogic}, through {@code bytewax._wax.adapters.ClockLogicAdapter}. */
final class PyClock implements ClockLogic {
  private final Value adapter;

  PyClock(Value adapter) {
    this.adapter = adapter;
  }

  @Override
  public void onItems(List<Object> values, long systemNow, long[] timestamps, long[] watermarks) {
    Value stamped = adapter.invokeMember("on_items", PyList.toPython(values));
    Value ts = stamped.getArrayElement(0);
    Value wm = stamped.getArrayElement(1);
    for (int i = 0; i < values.size(); i++) {
      timestamps[i] = ts.getArrayElement(i).asLong();
      watermarks[i] = wm.getArrayElement(i).asLong();
    }
  }

  @Override
  public long onNotify(long systemNow) {
    return adapter.invokeMember("on_notify").asLong();
  }

  @Override
  public long onEof() {
    return adapter.invokeMember("on_eof").asLong();
  }

  @Override
  public long toSystem(long timestamp) {
    Value system = adapter.invokeMember("to_system_utc", timestamp);
    return system.isNull() ? Long.MAX_VALUE : system.asLong();
  }

  @Override
  public Object snapshot() {
    return adapter.invokeMember("snapshot");
  }
}
