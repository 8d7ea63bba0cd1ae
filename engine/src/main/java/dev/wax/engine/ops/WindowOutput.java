package dev.wax.engine.ops;

import dev.wax.engine.window.WindowMeta;
import dev.wax.engine.window.WindowShaper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What a window step emits in one round, per port, before it is shaped into items. */
final class WindowOutput {
  final List<String> downKeys = new ArrayList<>();
  long[] downIds = new long[16];
  final List<Object> downValues = new ArrayList<>();
  final List<String> lateKeys = new ArrayList<>();
  long[] lateIds = new long[16];
  final List<Object> lateValues = new ArrayList<>();
  final List<String> metaKeys = new ArrayList<>();
  final List<WindowMeta> metas = new ArrayList<>();

  void down(String key, long id, List<Object> values) {
    for (Object value : values) {
      downIds = put(downIds, downKeys.size(), id);
      downKeys.add(key);
      downValues.add(value);
    }
  }

  void late(String key, long id, Object value) {
    lateIds = put(lateIds, lateKeys.size(), id);
    lateKeys.add(key);
    lateValues.add(value);
  }

  void meta(String key, WindowMeta meta) {
    metaKeys.add(key);
    metas.add(meta);
  }

  private static long[] put(long[] ids, int at, long id) {
    long[] grown = at < ids.length ? ids : Arrays.copyOf(ids, ids.length * 2);
    grown[at] = id;
    return grown;
  }

  List<Object> shapeValues(WindowShaper shaper, List<String> keys, long[] ids, List<Object> values) {
    return shaper.values(keys, Arrays.copyOf(ids, keys.size()), values);
  }

  void clear() {
    downKeys.clear();
    downValues.clear();
    lateKeys.clear();
    lateValues.clear();
    metaKeys.clear();
    metas.clear();
  }
}
