from datetime import datetime, timedelta, timezone

import pytest

import bytewax.operators as op
import bytewax.operators.windowing as win
from bytewax.errors import BytewaxRuntimeError
from bytewax.operators.windowing import (
    LATE_SESSION_ID,
    EventClock,
    SessionWindower,
    SlidingWindower,
    SystemClock,
    TumblingWindower,
    WindowLogic,
    WindowMetadata,
)
from bytewax.testing import TestingSink, TestingSource, run_main

ALIGN = datetime(2022, 1, 1, tzinfo=timezone.utc)
ZERO = timedelta(0)


def at(seconds):
    return ALIGN + timedelta(seconds=seconds)


def events(*triples):
    return [{"time": at(t), "user": u, "val": v} for t, u, v in triples]


def keyed(flow, items):
    s = op.input("inp", flow, TestingSource(items))
    return op.key_on("key", s, lambda e: e["user"])


CLOCK = EventClock(lambda e: e["time"], wait_for_system_duration=ZERO)
TUMBLING = TumblingWindower(length=timedelta(seconds=10), align_to=ALIGN)


def collect(flow, wo):
    down, late, meta = [], [], []
    op.output("down", wo.down, TestingSink(down))
    op.output("late", wo.late, TestingSink(late))
    op.output("meta", wo.meta, TestingSink(meta))
    run_main(flow)
    return down, late, meta


def vals(down):
    return [(k, (i, [e["val"] for e in v])) for k, (i, v) in down]


def test_collect_window_tumbling(flow):
    items = events((0, "a", 1), (4, "a", 2), (8, "a", 3), (12, "a", 4), (13, "a", 5))
    down, late, meta = collect(flow, win.collect_window("add", keyed(flow, items), CLOCK, TUMBLING))
    assert vals(down) == [("a", (0, [1, 2, 3])), ("a", (1, [4, 5]))]
    assert late == []
    assert meta == [
        ("a", (0, WindowMetadata(at(0), at(10)))),
        ("a", (1, WindowMetadata(at(10), at(20)))),
    ]


def test_stream_ids_of_window_outputs(flow):
    wo = win.collect_window("add", keyed(flow, []), CLOCK, TUMBLING)
    unwrap = "test_df.add.fold_window.window.unwrap_{}.flat_map_value.flat_map.flat_map_batch.down"
    assert (wo.down.stream_id, wo.late.stream_id, wo.meta.stream_id) == (
        unwrap.format("down"),
        unwrap.format("late"),
        unwrap.format("meta"),
    )


def test_fold_window_tumbling_watermark_is_per_key(flow):
    items = events(
        (0, "a", "login"), (4, "a", "post"), (8, "a", "post"), (12, "b", "login"),
        (16, "a", "post"), (20, "b", "post"), (24, "b", "post"),
    )

    def count(acc, e):
        acc[e["val"]] = acc.get(e["val"], 0) + 1
        return acc

    def merge(a, b):
        a.update(b)
        return a

    wo = win.fold_window("count", keyed(flow, items), CLOCK, TUMBLING, dict, count, merge)
    down, _, _ = collect(flow, wo)
    assert down == [
        ("a", (0, {"login": 1, "post": 2})),
        ("b", (1, {"login": 1})),
        ("a", (1, {"post": 1})),
        ("b", (2, {"post": 2})),
    ]


def test_fold_window_session_and_late(flow):
    times = [(1, "a"), (5, "b"), (11, "c"), (12, "d"), (13, "e"), (14, "f"), (20, "g"), (1, "h")]
    items = events(*[(t, "k", v) for t, v in times])
    wo = win.fold_window(
        "s", keyed(flow, items), CLOCK, SessionWindower(gap=timedelta(seconds=5)),
        list, lambda acc, e: acc + [e["val"]], lambda a, b: a + b,
    )
    down, late, meta = collect(flow, wo)
    assert down == [("k", (0, ["a", "b"])), ("k", (1, ["c", "d", "e", "f"])), ("k", (2, ["g"]))]
    assert [(k, (i, e["val"])) for k, (i, e) in late] == [("k", (LATE_SESSION_ID, "h"))]
    assert [m for _, (_, m) in meta][0] == WindowMetadata(at(1), at(5))


def test_unordered_session_takes_a_batch_in_arrival_order(flow):
    # One batch: 10 opens a second session, then 7 joins the first and bridges the two: they merge.
    items = events((0, "k", "a"), (3, "k", "b"), (10, "k", "c"), (7, "k", "d"), (30, "k", "e"))
    s = op.input("inp", flow, TestingSource(items, batch_size=5))
    clock = EventClock(lambda e: e["time"], wait_for_system_duration=timedelta(seconds=60))
    wo = win.collect_window(
        "s", op.key_on("key", s, lambda e: e["user"]), clock,
        SessionWindower(gap=timedelta(seconds=5)), ordered=False,
    )
    down, _, meta = collect(flow, wo)
    assert vals(down) == [("k", (0, ["a", "b", "d", "c"])), ("k", (2, ["e"]))]
    assert [m.merged_ids for _, (_, m) in meta] == [{1}, set()]


def test_fold_window_sliding_and_late(flow):
    times = [(1, "a"), (4, "b"), (8, "c"), (12, "d"), (13, "e"), (14, "f"), (16, "g"), (1, "h")]
    items = events(*[(t, "k", v) for t, v in times])
    windower = SlidingWindower(length=timedelta(seconds=10), offset=timedelta(seconds=5), align_to=ALIGN)
    wo = win.fold_window(
        "s", keyed(flow, items), CLOCK, windower, list, lambda acc, e: acc + [e["val"]], lambda a, b: a + b
    )
    down, late, _ = collect(flow, wo)
    assert down == [
        ("k", (-1, ["a", "b"])),
        ("k", (0, ["a", "b", "c"])),
        ("k", (1, ["c", "d", "e", "f"])),
        ("k", (2, ["d", "e", "f", "g"])),
        ("k", (3, ["g"])),
    ]
    assert [(i, e["val"]) for _, (i, e) in late] == [(-1, "h"), (0, "h")]


def test_count_window(flow):
    items = events((0, "a", 1), (4, "a", 1), (8, "b", 1), (12, "a", 1), (13, "a", 1))
    s = op.input("inp", flow, TestingSource(items))
    wo = win.count_window("count", s, CLOCK, TUMBLING, key=lambda e: e["user"])
    down, _, _ = collect(flow, wo)
    assert down == [("a", (0, 2)), ("a", (1, 2)), ("b", (0, 1))]


def test_max_min_reduce_window(flow):
    items = events((0, "a", 1), (4, "a", 9), (8, "a", 3), (12, "a", 10), (13, "a", 4))
    k = keyed(flow, items)
    outs = {
        "max": win.max_window("max", k, CLOCK, TUMBLING, by=lambda e: e["val"]).down,
        "min": win.min_window("min", k, CLOCK, TUMBLING, by=lambda e: e["val"]).down,
        "sum": win.reduce_window(
            "sum", k, CLOCK, TUMBLING, lambda a, b: {**a, "val": a["val"] + b["val"]}
        ).down,
    }
    got = {}
    for name, stream in outs.items():
        got[name] = []
        op.output(f"out_{name}", stream, TestingSink(got[name]))
    run_main(flow)
    assert [(i, e["val"]) for _, (i, e) in got["max"]] == [(0, 9), (1, 10)]
    assert [(i, e["val"]) for _, (i, e) in got["min"]] == [(0, 1), (1, 4)]
    assert [(i, e["val"]) for _, (i, e) in got["sum"]] == [(0, 13), (1, 14)]


def test_collect_into_set_and_dict(flow):
    k = keyed(flow, events((0, "a", 1), (1, "a", 1), (2, "a", 2)))
    # Values become (time, x) pairs; a clock reading the time from them.
    clock = EventClock(lambda t_x: t_x[0], wait_for_system_duration=ZERO)
    as_set = win.collect_window(
        "set", op.map_value("v", k, lambda e: (e["time"], e["val"])), clock, TUMBLING, into=set
    )
    pairs = op.map_value("kv", k, lambda e: (e["time"], e["time"].second))
    as_dict = win.collect_window("dict", pairs, clock, TUMBLING, into=dict)
    got_set, got_dict = [], []
    op.output("o1", as_set.down, TestingSink(got_set))
    op.output("o2", as_dict.down, TestingSink(got_dict))
    run_main(flow)
    assert got_set == [("a", (0, {(at(0), 1), (at(1), 1), (at(2), 2)}))]
    assert got_dict == [("a", (0, {at(0): 0, at(1): 1, at(2): 2}))]


def test_collect_window_rejects_other_containers(flow):
    with pytest.raises(TypeError, match="doesn't support"):
        win.collect_window("c", keyed(flow, []), CLOCK, TUMBLING, into=tuple)


def join_rows(flow, lefts, rights, **modes):
    def src(name, items):
        s = op.input(name, flow, TestingSource([(v, t) for v, t in items]))
        return op.key_on(f"k_{name}", s, lambda _x: "ALL")

    clock = EventClock(
        lambda v_t: datetime(2024, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=v_t[1]),
        wait_for_system_duration=timedelta.max,
    )
    wo = win.join_window(
        "join", clock, SessionWindower(timedelta(seconds=10)), src("l", lefts), src("r", rights), **modes
    )
    out = []
    op.output("out", op.key_rm("rm", wo.down), TestingSink(out))
    run_main(flow)
    return [tuple(None if x is None else x[0] for x in row) for _i, row in out]


def test_join_window_modes(flow):
    assert join_rows(flow, [(1, 0)], [(3, 2), (2, 1)], insert_mode="first", emit_mode="complete") == [(1, 2)]


def test_join_window_last_final(flow):
    assert join_rows(flow, [(1, 0)], [(2, 1), (3, 2)]) == [(1, 3)]


def test_join_window_running(flow):
    assert join_rows(flow, [(1, 0)], [(2, 1), (3, 2)], emit_mode="running") == [(1, None), (1, 2), (1, 3)]


def test_join_window_product(flow):
    rows = join_rows(flow, [(1, 0), (2, 1)], [(3, 1), (4, 2)], insert_mode="product")
    assert rows == [(1, 3), (1, 4), (2, 3), (2, 4)]


def test_join_window_keyword_clock_as_in_seed(flow):
    names = op.key_on("kn", op.input("names", flow, TestingSource([{"id": "1", "t": at(0)}])), lambda x: x["id"])
    mails = op.key_on("km", op.input("mails", flow, TestingSource([{"id": "1", "t": at(1)}])), lambda x: x["id"])
    wo = win.join_window(
        "join", names, mails, clock=EventClock(lambda x: x["t"]), windower=TumblingWindower(timedelta(hours=1))
    )
    out = []
    op.output("out", wo.down, TestingSink(out))
    run_main(flow)
    hour_id = (ALIGN - datetime(1970, 1, 1, tzinfo=timezone.utc)) // timedelta(hours=1)
    assert out == [("1", (hour_id, ({"id": "1", "t": at(0)}, {"id": "1", "t": at(1)})))]


def test_unordered_window_sees_arrival_order(flow):
    items = events((5, "a", "x"), (3, "a", "y"))
    clock = EventClock(lambda e: e["time"], wait_for_system_duration=timedelta(seconds=10))
    seen = {}
    for ordered in (True, False):
        wo = win.fold_window(
            f"f{ordered}", keyed(flow, items) if ordered else op.key_on("k2", op.input("i2", flow, TestingSource(items)), lambda e: e["user"]),
            clock, TUMBLING, list, lambda acc, e: acc + [e["val"]], lambda a, b: a + b, ordered=ordered,
        )
        seen[ordered] = []
        op.output(f"o{ordered}", wo.down, TestingSink(seen[ordered]))
    run_main(flow)
    assert seen[True] == [("a", (0, ["y", "x"]))]
    assert seen[False] == [("a", (0, ["x", "y"]))]


class Emitting(WindowLogic):
    def __init__(self):
        self.n = 0

    def on_value(self, value):
        self.n += 1
        return [f"value {self.n}"]

    def on_merge(self, original):
        self.n += original.n
        return []

    def on_close(self):
        return [f"closed with {self.n}"]

    def snapshot(self):
        return self.n


def test_window_with_user_logic(flow):
    wo = win.window("w", keyed(flow, events((0, "a", 1), (12, "a", 2))), CLOCK, TUMBLING, lambda _s: Emitting())
    down, _, _ = collect(flow, wo)
    # Each release inserts before it closes: window 1 gets its value before window 0 closes.
    assert down == [
        ("a", (0, "value 1")),
        ("a", (1, "value 1")),
        ("a", (0, "closed with 1")),
        ("a", (1, "closed with 1")),
    ]


def test_window_closes_on_system_time_without_new_data(flow):
    order = []
    items = ["first", TestingSource.PAUSE(timedelta(milliseconds=800)), "second"]
    s = op.input("inp", flow, TestingSource(items))
    s = op.inspect("seen", s, lambda _sid, x: order.append(f"input {x}"))
    k = op.key_on("k", s, lambda _x: "a")
    now_clock = EventClock(lambda _x: datetime.now(timezone.utc), wait_for_system_duration=ZERO)
    windower = TumblingWindower(length=timedelta(milliseconds=200), align_to=ALIGN)
    wo = win.collect_window("c", k, now_clock, windower)
    op.inspect("closed", wo.down, lambda _sid, kv: order.append(f"closed {kv[1][1]}"))
    run_main(flow)
    assert order == ["input first", "closed ['first']", "input second", "closed ['second']"]


def test_system_clock_sessions(flow):
    k = op.key_on("k", op.input("inp", flow, TestingSource(range(10))), lambda _x: "ALL")
    wo = win.collect_window("c", k, SystemClock(), SessionWindower(timedelta(seconds=10)))
    out = []
    op.output("out", op.key_rm("rm", wo.down), TestingSink(out))
    run_main(flow)
    assert out == [(0, list(range(10)))]


def test_naive_timestamp_names_the_step(flow):
    items = [{"time": datetime(2022, 1, 1), "user": "a"}]
    wo = win.collect_window("c", keyed(flow, items), CLOCK, TUMBLING)
    with pytest.raises(BytewaxRuntimeError) as info:
        collect(flow, wo)
    assert str(info.value) == (
        'error calling `StatefulBatchLogic.on_batch` in step '
        '"test_df.c.fold_window.window.stateful_batch" for key "a"'
    )
    assert "naive" in str(info.value.__cause__)


def test_non_datetime_timestamp_is_a_type_error(flow):
    clock = EventClock(lambda e: 5, wait_for_system_duration=ZERO)
    wo = win.collect_window("c", keyed(flow, events((0, "a", 1))), clock, TUMBLING)
    with pytest.raises(BytewaxRuntimeError) as info:
        collect(flow, wo)
    assert str(info.value.__cause__) == "`ts_getter` did not return a `datetime`; got a `int` instead"


def test_bad_windowers():
    with pytest.raises(ValueError, match="session window `gap` must not be negative"):
        SessionWindower(timedelta(seconds=-1))
    with pytest.raises(ValueError, match="can't be longer than `length`"):
        SlidingWindower(timedelta(seconds=1), timedelta(seconds=2), ALIGN)


def test_zero_length_names_the_step(flow):
    with pytest.raises(ValueError, match="window `length` in step 'test_df.c.fold_window.window.stateful_batch' must be positive"):
        win.collect_window("c", keyed(flow, []), CLOCK, TumblingWindower(timedelta(0), ALIGN))


def test_fold_window_without_merger_fails_clearly_on_session_merge(flow):
    items = events((0, "a", 1), (10, "a", 2), (5, "a", 3))
    clock = EventClock(lambda e: e["time"], wait_for_system_duration=timedelta(seconds=60))
    wo = win.fold_window("f", keyed(flow, items), clock, SessionWindower(timedelta(seconds=5)), list, lambda a, e: a + [e["val"]], ordered=False)
    with pytest.raises(BytewaxRuntimeError) as info:
        collect(flow, wo)
    assert "given no `merger`" in str(info.value.__cause__)


def test_older_names_from_the_seed(flow):
    from bytewax.bytewax import (
        ClockConfig,
        EventClockConfig,
        SessionWindow,
        SlidingWindow,
        SystemClockConfig,
        TumblingWindow,
        WindowConfig,
        WindowMetadata as OldMetadata,
    )

    assert OldMetadata is WindowMetadata
    clock = EventClockConfig(lambda e: e["time"], wait_for_system_duration=ZERO)
    assert isinstance(clock, ClockConfig) and clock.dt_getter is clock.ts_getter
    assert isinstance(SystemClockConfig(), ClockConfig)
    assert isinstance(SessionWindow(timedelta(seconds=1)), WindowConfig)
    assert isinstance(SlidingWindow(timedelta(seconds=2), timedelta(seconds=1), ALIGN), WindowConfig)
    wo = win.collect_window("add", keyed(flow, events((0, "a", 1), (12, "a", 2))), clock, TumblingWindow(timedelta(seconds=10), ALIGN))
    down, _, _ = collect(flow, wo)
    assert vals(down) == [("a", (0, [1])), ("a", (1, [2]))]


class MaxClockLogic(win.ClockLogic):
    """Watermark = the largest timestamp seen; a custom clock in Python."""

    def __init__(self):
        self.max = win.UTC_MIN

    def before_batch(self):
        pass

    def on_item(self, value):
        self.max = max(self.max, value["time"])
        return value["time"], self.max

    def on_notify(self):
        return self.max

    def on_eof(self):
        return win.UTC_MAX

    def to_system_utc(self, timestamp):
        return None

    def snapshot(self):
        return self.max


class MaxClock(win.Clock):
    def build(self, resume_state):
        return MaxClockLogic()


class TensLogic(win.WindowerLogic):
    """Windows of ten seconds past `ALIGN`, as a custom windower in Python."""

    def __init__(self):
        self.open = {}

    def _id(self, ts):
        return int((ts - ALIGN) // timedelta(seconds=10))

    def open_for(self, ts):
        wid = self._id(ts)
        start = ALIGN + timedelta(seconds=10 * wid)
        self.open.setdefault(wid, WindowMetadata(start, start + timedelta(seconds=10)))
        return [wid]

    def late_for(self, ts):
        return [self._id(ts)]

    def merged(self):
        return []

    def close_for(self, watermark):
        closed = [(wid, meta) for wid, meta in self.open.items() if meta.close_time <= watermark]
        for wid, _meta in closed:
            del self.open[wid]
        return closed

    def notify_at(self):
        return min((m.close_time for m in self.open.values()), default=None)

    def is_empty(self):
        return not self.open

    def snapshot(self):
        return dict(self.open)


class Tens(win.Windower):
    def build(self, resume_state):
        return TensLogic()


def test_python_clock_and_windower_subclasses(flow):
    items = events((0, "a", 1), (4, "a", 2), (12, "a", 3), (3, "a", 4), (25, "a", 5))
    down, late, meta = collect(flow, win.collect_window("c", keyed(flow, items), MaxClock(), Tens()))
    assert vals(down) == [("a", (0, [1, 2])), ("a", (1, [3])), ("a", (2, [5]))]
    assert [(i, e["val"]) for _, (i, e) in late] == [(0, 4)]
    assert meta[0] == ("a", (0, WindowMetadata(at(0), at(10))))


def test_event_clock_logic_in_python_follows_the_watermark_rule():
    from bytewax.testing import TimeTestingGetter

    now = TimeTestingGetter(datetime(2024, 1, 1, tzinfo=timezone.utc))
    clock = EventClock(lambda e: e, timedelta(seconds=5), now_getter=now.get)
    logic = clock.build(None)
    assert logic.on_notify() == win.UTC_MIN
    logic.before_batch()
    t7 = datetime(2024, 1, 1, 0, 0, 7, tzinfo=timezone.utc)
    assert logic.on_item(t7) == (t7, datetime(2024, 1, 1, 0, 0, 2, tzinfo=timezone.utc))
    now.advance(timedelta(seconds=2))
    assert logic.on_notify() == datetime(2024, 1, 1, 0, 0, 4, tzinfo=timezone.utc)
    t3 = datetime(2024, 1, 1, 0, 0, 3, tzinfo=timezone.utc)
    logic.before_batch()
    assert logic.on_item(t3) == (t3, datetime(2024, 1, 1, 0, 0, 4, tzinfo=timezone.utc))
    assert logic.on_eof() == win.UTC_MAX


def test_custom_to_system_utc_runs_the_python_clock(flow):
    woken = []

    def never(ts):
        woken.append(ts)
        return None

    clock = EventClock(lambda e: e["time"], wait_for_system_duration=ZERO, to_system_utc=never)
    items = events((0, "a", 1), (12, "a", 2))
    down, _, _ = collect(flow, win.collect_window("c", keyed(flow, items), clock, TUMBLING))
    assert vals(down) == [("a", (0, [1])), ("a", (1, [2]))]
    assert woken


def test_the_system_clock_builds_its_logic_in_python():
    now = [at(0)]
    logic = win._SystemClockLogic(lambda: now[0])
    now[0] = at(5)
    logic.before_batch()
    assert logic.on_item("anything") == (at(5), at(5))
    now[0] = at(7)
    assert logic.on_notify() == at(7)
    assert logic.on_eof() == win.UTC_MAX
    assert isinstance(SystemClock().build(None), win.ClockLogic)


def test_a_windower_of_the_user_can_build_on_the_session_windower(flow):
    # Expected output from Bytewax 0.21.1 (the reference oracle). 4 stretches session 0 to
    # within the gap of session 1, which merges into it; 100 then opens session 2.
    class Delegating(win.Windower):
        def build(self, resume_state):
            return win.SessionWindower(gap=timedelta(seconds=5)).build(resume_state)

    items = [("a", 0), ("a", 8), ("b", 1), ("a", 4), ("a", 100), ("b", 3)]
    keyed_items = op.key_on("key", op.input("inp", flow, TestingSource(items)), lambda kv: kv[0])
    clock = EventClock(lambda kv: at(kv[1]), wait_for_system_duration=timedelta(seconds=10))
    wo = win.fold_window(
        "f", keyed_items, clock, Delegating(), list, lambda acc, kv: acc + [kv[1]], list.__add__,
        ordered=False,
    )
    down, _, meta = collect(flow, wo)
    assert down == [("a", (0, [0, 4, 8])), ("a", (2, [100])), ("b", (0, [1, 3]))]
    assert [(k, (i, m.open_time, m.close_time, m.merged_ids)) for k, (i, m) in meta] == [
        ("a", (0, at(0), at(8), {1})),
        ("a", (2, at(100), at(100), set())),
        ("b", (0, at(1), at(3), set())),
    ]


def test_a_keys_session_ids_keep_counting_after_all_its_sessions_closed(flow):
    # Expected output from Bytewax 0.21.1 (the reference oracle): the second session of "a" is
    # 1, although session 0 closed while "b"'s items moved system time on.
    now = [at(0)]

    def tick(kv):
        if kv[0] == "b":
            now[0] += timedelta(seconds=60)
        return kv

    items = [("a", 0), ("b", 0), ("b", 1), ("b", 2), ("a", 1000)]
    ticked = op.map("tick", op.input("inp", flow, TestingSource(items)), tick)
    clock = EventClock(lambda kv: at(kv[1]), wait_for_system_duration=ZERO, now_getter=lambda: now[0])
    wo = win.count_window("c", ticked, clock, SessionWindower(gap=timedelta(seconds=5)), lambda kv: kv[0])
    down, late, _ = collect(flow, wo)
    assert down == [("a", (0, 1)), ("b", (0, 1)), ("a", (1, 1))]
    assert [(k, i) for k, (i, _v) in late] == [("b", win.LATE_SESSION_ID)] * 2


def test_a_windower_of_the_user_can_build_on_a_built_in_one(flow):
    class Delegating(win.Windower):
        def build(self, resume_state):
            return TUMBLING.build(resume_state)

    items = events((0, "a", 1), (3, "a", 2), (12, "a", 3), (25, "b", 4))
    down, _, meta = collect(flow, win.collect_window("c", keyed(flow, items), CLOCK, Delegating()))
    assert vals(down) == [("a", (0, [1, 2])), ("a", (1, [3])), ("b", (2, [4]))]
    assert [(k, (i, m.open_time, m.close_time)) for k, (i, m) in meta] == [
        ("a", (0, at(0), at(10))),
        ("a", (1, at(10), at(20))),
        ("b", (2, at(20), at(30))),
    ]


def test_an_event_clock_builds_its_logic_in_python():
    from bytewax.operators.windowing import ClockLogic, EventClock

    system = datetime(2024, 1, 1, tzinfo=timezone.utc)
    clock = EventClock(lambda v: v, timedelta(seconds=5), now_getter=lambda: system)
    logic = clock.build(None)
    assert isinstance(logic, ClockLogic)
    logic.before_batch()
    item = datetime(2024, 1, 1, 0, 0, 7, tzinfo=timezone.utc)
    assert logic.on_item(item) == (item, datetime(2024, 1, 1, 0, 0, 2, tzinfo=timezone.utc))
    resumed = clock.build(logic.snapshot())
    assert resumed.on_notify() == datetime(2024, 1, 1, 0, 0, 2, tzinfo=timezone.utc)
