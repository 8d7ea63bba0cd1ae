package dev.wax.engine.window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Session windows. Ids count up from 0 per key. An item inside a session joins it; an item within
 * {@code gap} before or after the first such session (in id order) stretches it; otherwise it
 * starts a session {@code [ts, ts]}. After a stretch, sessions less than {@code gap} apart merge
 * into the one that opens earliest. Late items are reported under {@link #LATE_SESSION_ID}. A
 * session closes once {@code close < watermark - gap}; its close time is its latest item's. A key's
 * sessions are kept for its whole life, as Bytewax keeps them.
 */
public record SessionWindowerSpec(long gapMicros) implements WindowerSpec {
  public static final long LATE_SESSION_ID = -1;

  public SessionWindowerSpec {
    if (gapMicros < 0) {
      throw new IllegalArgumentException("session window `gap` must not be negative");
    }
  }

  @Override
  public WindowerLogic build(Object resumeState) {
    Logic logic = new Logic();
    if (resumeState instanceof long[] state) {
      logic.nextId = state[0];
      for (int i = 1; i < state.length; ) {
        Session session = new Session(state[i + 1], state[i + 2]);
        session.merged = Arrays.copyOfRange(state, i + 4, i + 4 + (int) state[i + 3]);
        logic.sessions.put(state[i], session);
        i += 4 + (int) state[i + 3];
      }
    }
    return logic;
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
    /** Sessions by id, which is also creation order. */
    private final TreeMap<Long, Session> sessions = new TreeMap<>();
    private final List<long[]> merges = new ArrayList<>();
    private long nextId;

    @Override
    public long[] insert(long ts) {
      for (Map.Entry<Long, Session> entry : sessions.entrySet()) {
        Session s = entry.getValue();
        long id = entry.getKey();
        if (s.open <= ts && ts <= s.close) {
          return new long[] {id};
        }
        if (s.open - ts > 0 && s.open - ts <= gapMicros) {
          s.open = ts;
          mergeNeighbours();
          return new long[] {id};
        }
        if (ts - s.close > 0 && ts - s.close <= gapMicros) {
          s.close = ts;
          mergeNeighbours();
          return new long[] {id};
        }
      }
      long id = nextId++;
      sessions.put(id, new Session(ts, ts));
      return new long[] {id};
    }

    /** One pass in open-time order, folding each session into the previous when within the gap. */
    private void mergeNeighbours() {
      if (sessions.size() < 2) {
        return;
      }
      List<Map.Entry<Long, Session>> byOpen = new ArrayList<>(sessions.entrySet());
      byOpen.sort(Comparator.comparingLong(e -> e.getValue().open));
      Map.Entry<Long, Session> last = byOpen.get(0);
      for (Map.Entry<Long, Session> next : byOpen.subList(1, byOpen.size())) {
        Session target = last.getValue();
        Session source = next.getValue();
        if (source.open - target.close <= gapMicros) {
          target.close = Math.max(target.close, source.close);
          long[] merged = Arrays.copyOf(target.merged, target.merged.length + 1);
          merged[merged.length - 1] = next.getKey();
          Arrays.sort(merged);
          target.merged = merged;
          merges.add(new long[] {next.getKey(), last.getKey()});
          sessions.remove(next.getKey());
        } else {
          last = next;
        }
      }
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
      long limit = Times.minus(watermark, gapMicros);
      List<WindowMeta> closed = new ArrayList<>();
      var it = sessions.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<Long, Session> entry = it.next();
        Session s = entry.getValue();
        if (s.close < limit) {
          closed.add(new WindowMeta(entry.getKey(), s.open, s.close, s.merged));
          it.remove();
        }
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

    /**
     * Never: ids keep counting up for the key's whole life, so a later session never reuses the id
     * of one already closed (a downstream join would pair the wrong windows' metadata).
     */
    @Override
    public boolean isEmpty() {
      return false;
    }

    /** {@code [nextId, then per session: id, open, close, merged count, merged ids...]}. */
    @Override
    public Object snapshot() {
      List<Long> state = new ArrayList<>();
      state.add(nextId);
      sessions.forEach(
          (id, session) -> {
            state.add(id);
            state.add(session.open);
            state.add(session.close);
            state.add((long) session.merged.length);
            for (long merged : session.merged) {
              state.add(merged);
            }
          });
      return state.stream().mapToLong(Long::longValue).toArray();
    }
  }
}
