package dev.wax.engine.window;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixed-length windows starting every {@code offset}, aligned so a window opens at {@code alignTo}
 * (times before it get negative ids). Window {@code id} is {@code [alignTo + id * offset, + length)}.
 * {@code offset == length} is tumbling; {@code offset < length} overlaps; {@code offset > length}
 * leaves gaps where items fall in no window.
 */
public record SlidingWindowerSpec(long lengthMicros, long offsetMicros, long alignTo)
    implements WindowerSpec {
  public SlidingWindowerSpec {
    if (lengthMicros <= 0) {
      throw new IllegalArgumentException("window length must be positive");
    }
    if (offsetMicros <= 0) {
      throw new IllegalArgumentException("window offset must be positive");
    }
    if (offsetMicros > lengthMicros) {
      throw new IllegalArgumentException(
          "sliding window `offset` can't be longer than `length`; "
              + "there would be undefined gaps between windows");
    }
  }

  public static SlidingWindowerSpec tumbling(long lengthMicros, long alignTo) {
    return new SlidingWindowerSpec(lengthMicros, lengthMicros, alignTo);
  }

  /** The ids of the windows containing {@code timestamp}, lowest first. */
  public long[] idsFor(long timestamp) {
    long since = timestamp - alignTo;
    long first = Math.floorDiv(since - lengthMicros, offsetMicros) + 1;
    long last = Math.floorDiv(since, offsetMicros);
    if (last < first) {
      return WindowMeta.NONE;
    }
    long[] ids = new long[(int) (last - first + 1)];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = first + i;
    }
    return ids;
  }

  public long openOf(long id) {
    return alignTo + id * offsetMicros;
  }

  @Override
  public WindowerLogic build(Object resumeState) {
    Logic logic = new Logic();
    if (resumeState instanceof long[] state) {
      logic.newestOpen = state[0];
      for (int i = 1; i < state.length; i += 2) {
        logic.closeById.put(state[i], state[i + 1]);
      }
    }
    return logic;
  }

  /** Open windows in the order they opened, which is also the order they close in. */
  private final class Logic implements WindowerLogic {
    private final LinkedHashMap<Long, Long> closeById = new LinkedHashMap<>();
    /** The newest window opened, still open: most items land in it again. */
    private long newestOpen = Long.MIN_VALUE;

    @Override
    public long[] insert(long timestamp) {
      long[] ids = idsFor(timestamp);
      for (long id : ids) {
        if (id != newestOpen) {
          closeById.computeIfAbsent(id, i -> openOf(i) + lengthMicros);
          newestOpen = Math.max(newestOpen, id);
        }
      }
      return ids;
    }

    @Override
    public long[] lateFor(long timestamp) {
      return idsFor(timestamp);
    }

    @Override
    public WindowMeta[] closeFor(long watermark) {
      List<WindowMeta> closed = new ArrayList<>();
      var it = closeById.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<Long, Long> entry = it.next();
        if (entry.getValue() <= watermark) {
          long id = entry.getKey();
          closed.add(new WindowMeta(id, openOf(id), entry.getValue(), WindowMeta.NONE));
          it.remove();
          if (id == newestOpen) {
            newestOpen = Long.MIN_VALUE;
          }
        }
      }
      return closed.toArray(WindowMeta[]::new);
    }

    @Override
    public long nextCloseWatermark() {
      long next = Long.MAX_VALUE;
      for (long close : closeById.values()) {
        next = Math.min(next, close);
      }
      return next;
    }

    @Override
    public boolean isEmpty() {
      return closeById.isEmpty();
    }

    /** {@code [newestOpen, id, close, id, close, ...]} in opening order. */
    @Override
    public Object snapshot() {
      long[] state = new long[1 + 2 * closeById.size()];
      state[0] = newestOpen;
      int i = 1;
      for (Map.Entry<Long, Long> entry : closeById.entrySet()) {
        state[i++] = entry.getKey();
        state[i++] = entry.getValue();
      }
      return state;
    }
  }
}
