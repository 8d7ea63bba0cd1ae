package dev.wax.engine.window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Session windows: an item within {@code gap} of a session (or inside it) joins it, otherwise it
 * starts a new session {@code [ts, ts]}. Sessions that come within {@code gap} of each other merge
 * into the one with the lower id. Ids count up from 0 per key; late items are reported under
 * {@link #LATE_SESSION_ID}. A session closes once {@code close < watermark - gap}.
 */
public record SessionWindowerSpec(long gapMicros) implements WindowerSpec {
  public static final long LATE_SESSION_ID = -1;

  public SessionWindowerSpec {
    if (gapMicros < 0) {
      throw new IllegalArgumentException("session gap must not be negative");
    }
  }

  @Override
  public WindowerLogic build(Object resumeState) {
    return new Logic();
  }

  private static final class Session {
    long open;
    long close;
    long[] merged = WindowMeta.NONE;

    Session(long open, long close) {
      this.open = open;
      this.close = close;
    }
  }

  private final class Logic implements WindowerLogic {
    private final TreeMap<Long, Session> sessions = new TreeMap<>();
    private final List<long[]> merges = new ArrayList<>();
    private long nextId;

    @Override
    public long[] insert(long ts) {
      Long joined = null;
      for (var entry : byOpen()) {
        Session s = entry.getValue();
        if (s.open - gapMicros <= ts && ts <= Times.plus(s.close, gapMicros)) {
          s.open = Math.min(s.open, ts);
          s.close = Math.max(s.close, ts);
          joined = entry.getKey();
          break;
        }
      }
      if (joined == null) {
        joined = nextId++;
        sessions.put(joined, new Session(ts, ts));
      }
      return new long[] {mergeNeighbours(joined)};
    }

    /** Merges sessions that now lie within the gap; returns where {@code id} ended up. */
    private long mergeNeighbours(long id) {
      boolean mergedAny = true;
      while (mergedAny) {
        mergedAny = false;
        List<java.util.Map.Entry<Long, Session>> ordered = byOpen();
        for (int i = 0; i + 1 < ordered.size(); i++) {
          var a = ordered.get(i);
          var b = ordered.get(i + 1);
          if (b.getValue().open - a.getValue().close <= gapMicros) {
            long into = Math.min(a.getKey(), b.getKey());
            long from = Math.max(a.getKey(), b.getKey());
            Session target = sessions.get(into);
            Session source = sessions.remove(from);
            target.open = Math.min(target.open, source.open);
            target.close = Math.max(target.close, source.close);
            target.merged = union(target.merged, from, source.merged);
            merges.add(new long[] {from, into});
            if (id == from) {
              id = into;
            }
            mergedAny = true;
            break;
          }
        }
      }
      return id;
    }

    private static long[] union(long[] a, long id, long[] b) {
      long[] all = Arrays.copyOf(a, a.length + 1 + b.length);
      all[a.length] = id;
      System.arraycopy(b, 0, all, a.length + 1, b.length);
      Arrays.sort(all);
      return all;
    }

    private List<java.util.Map.Entry<Long, Session>> byOpen() {
      List<java.util.Map.Entry<Long, Session>> ordered = new ArrayList<>(sessions.entrySet());
      ordered.sort(Comparator.comparingLong((java.util.Map.Entry<Long, Session> e) -> e.getValue().open)
          .thenComparingLong(java.util.Map.Entry::getKey));
      return ordered;
    }

    @Override
    public long[] lateFor(long timestamp) {
      return new long[] {LATE_SESSION_ID};
    }

    @Override
    public long[][] drainMerges() {
      if (merges.isEmpty()) {
        return NO_MERGES;
      }
      long[][] drained = merges.toArray(long[][]::new);
      merges.clear();
      return drained;
    }

    @Override
    public WindowMeta[] closeFor(long watermark) {
      List<WindowMeta> closed = new ArrayList<>();
      for (var entry : byOpen()) {
        Session s = entry.getValue();
        if (s.close < Times.minus(watermark, gapMicros)) {
          closed.add(new WindowMeta(entry.getKey(), s.open, s.close, s.merged));
        }
      }
      closed.sort(Comparator.comparingLong(WindowMeta::close).thenComparingLong(WindowMeta::id));
      for (WindowMeta meta : closed) {
        sessions.remove(meta.id());
      }
      return closed.toArray(WindowMeta[]::new);
    }

    @Override
    public long nextCloseWatermark() {
      long next = Long.MAX_VALUE;
      for (Session s : sessions.values()) {
        next = Math.min(next, Times.plus(Times.plus(s.close, gapMicros), 1));
      }
      return next;
    }

    @Override
    public WindowMeta meta(long id) {
      Session s = sessions.get(id);
      return new WindowMeta(id, s.open, s.close, s.merged);
    }

    @Override
    public boolean isEmpty() {
      return sessions.isEmpty();
    }

    @Override
    public Object snapshot() {
      return null;
    }
  }
}
