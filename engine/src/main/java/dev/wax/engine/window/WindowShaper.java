package dev.wax.engine.window;

import java.util.List;

/**
 * Makes a window step's output items, a round at a time: {@code (key, (window_id, value))} for
 * results and late items and {@code (key, (window_id, metadata))} for metadata. The Python bridge
 * builds Python tuples in one call; Java flows use records.
 */
public interface WindowShaper {
  List<Object> values(List<String> keys, long[] ids, List<Object> values);

  List<Object> metadata(List<String> keys, List<WindowMeta> metas);
}
