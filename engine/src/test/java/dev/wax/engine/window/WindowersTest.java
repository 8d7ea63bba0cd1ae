package dev.wax.engine.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Window id arithmetic and session merging, in microseconds. */
class WindowersTest {
  static final long S = 1_000_000L;

  @Test
  void tumblingIdsAtEdgesAndBeforeAlignment() {
    SlidingWindowerSpec tumbling = SlidingWindowerSpec.tumbling(10 * S, 0);
    assertArrayEquals(new long[] {0}, tumbling.idsFor(0));
    assertArrayEquals(new long[] {0}, tumbling.idsFor(10 * S - 1));
    assertArrayEquals(new long[] {1}, tumbling.idsFor(10 * S));
    assertArrayEquals(new long[] {-1}, tumbling.idsFor(-1));
    assertArrayEquals(new long[] {-2}, tumbling.idsFor(-10 * S - 1));
    assertEquals(-20 * S, tumbling.openOf(-2));
  }

  @Test
  void alignToFarInThePast() {
    long align = Times.UTC_MIN;
    SlidingWindowerSpec tumbling = SlidingWindowerSpec.tumbling(3600 * S, align);
    long ts = 1_700_000_000L * S;
    long id = tumbling.idsFor(ts)[0];
    assertTrue(tumbling.openOf(id) <= ts && ts < tumbling.openOf(id) + 3600 * S);
  }

  @Test
  void slidingWindowsOverlap() {
    SlidingWindowerSpec sliding = new SlidingWindowerSpec(10 * S, 5 * S, 0);
    assertArrayEquals(new long[] {0, 1}, sliding.idsFor(7 * S));
    assertArrayEquals(new long[] {1, 2}, sliding.idsFor(12 * S));
    assertArrayEquals(new long[] {-1, 0}, sliding.idsFor(0));
  }

  @Test
  void badLengthsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> SlidingWindowerSpec.tumbling(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new SlidingWindowerSpec(5 * S, 10 * S, 0));
    assertThrows(IllegalArgumentException.class, () -> new SessionWindowerSpec(-1));
  }

  @Test
  void slidingClosesInIdOrderWhenWatermarkPasses() {
    WindowerLogic logic = new SlidingWindowerSpec(10 * S, 5 * S, 0).build(null);
    logic.insert(7 * S);
    assertEquals(10 * S, logic.nextCloseWatermark());
    assertEquals(0, logic.closeFor(10 * S - 1).length);
    WindowMeta[] closed = logic.closeFor(15 * S);
    assertEquals(2, closed.length);
    assertEquals(0, closed[0].id());
    assertEquals(1, closed[1].id());
    assertEquals(5 * S, closed[1].open());
    assertEquals(15 * S, closed[1].close());
    assertTrue(logic.isEmpty());
  }

  /** Closes everything; each session as {@code [id, open s, close s, merged count]}. */
  private static String sessions(WindowerLogic logic) {
    return Arrays.deepToString(
        Arrays.stream(logic.closeFor(Times.UTC_MAX))
            .map(m -> new long[] {m.id(), m.open() / S, m.close() / S, m.mergedIds().length})
            .toArray());
  }

  @Test
  void sessionsMergeIntoTheOneOpeningFirst() {
    WindowerLogic logic = new SessionWindowerSpec(5 * S).build(null);
    assertArrayEquals(new long[] {0}, logic.insert(0));
    assertArrayEquals(new long[] {1}, logic.insert(10 * S));
    assertEquals(0, logic.drainMerges().length);
    assertArrayEquals(new long[] {0}, logic.insert(5 * S));
    long[][] merges = logic.drainMerges();
    assertEquals(1, merges.length);
    assertArrayEquals(new long[] {1, 0}, merges[0]);
    assertEquals("[[0, 0, 10, 1]]", sessions(logic));
  }

  @Test
  void sessionsMergeIntoTheEarlierSessionInReverseArrivalOrder() {
    WindowerLogic logic = new SessionWindowerSpec(5 * S).build(null);
    assertArrayEquals(new long[] {0}, logic.insert(10 * S));
    assertArrayEquals(new long[] {1}, logic.insert(0));
    // Stretches session 0 back to 5 s, which now touches session 1 opening at 0 s.
    assertArrayEquals(new long[] {0}, logic.insert(5 * S));
    long[][] merges = logic.drainMerges();
    assertEquals(1, merges.length);
    assertArrayEquals(new long[] {0, 1}, merges[0]);
    assertEquals("[[1, 0, 10, 1]]", sessions(logic));
  }

  @Test
  void aKeysLaterSessionsTakeNewIdsAfterEveryEarlierOneClosed() {
    WindowerLogic logic = new SessionWindowerSpec(5 * S).build(null);
    logic.insert(0);
    assertEquals("[[0, 0, 0, 0]]", sessions(logic));
    // Kept although no session is open, so the id is not handed out again.
    assertFalse(logic.isEmpty());
    assertArrayEquals(new long[] {1}, logic.insert(100 * S));
  }

  @Test
  void sessionGrowsWithinTheGap() {
    WindowerLogic logic = new SessionWindowerSpec(5 * S).build(null);
    logic.insert(0);
    logic.insert(4 * S);
    logic.insert(9 * S);
    logic.insert(20 * S);
    assertEquals("[[0, 0, 9, 0], [1, 20, 20, 0]]", sessions(logic));
  }

  @Test
  void sessionClosesOnlyWhenTheGapHasPassed() {
    WindowerLogic logic = new SessionWindowerSpec(5 * S).build(null);
    logic.insert(10 * S);
    assertEquals(15 * S + 1, logic.nextCloseWatermark());
    assertEquals(0, logic.closeFor(15 * S).length);
    assertEquals(1, logic.closeFor(15 * S + 1).length);
    assertArrayEquals(new long[] {SessionWindowerSpec.LATE_SESSION_ID}, logic.lateFor(0));
  }

  @Test
  void eventClockWatermarkFollowsMaxTimestampAndSystemTime() {
    ClockLogic clock =
        new EventClockSpec(values -> values.stream().mapToLong(v -> (Long) v).toArray(), 2 * S).build(null);
    long[] ts = new long[2];
    long[] wm = new long[2];
    clock.onItems(List.of(50 * S, 40 * S), 1000 * S, ts, wm);
    assertArrayEquals(new long[] {50 * S, 40 * S}, ts);
    assertArrayEquals(new long[] {48 * S, 48 * S}, wm);
    assertEquals(51 * S, clock.onNotify(1003 * S));
    // System time going backwards is ignored.
    assertEquals(51 * S, clock.onNotify(900 * S));
    assertEquals(1003 * S + 4 * S, clock.toSystem(55 * S));
    assertEquals(Times.UTC_MAX, clock.onEof());
  }
}
