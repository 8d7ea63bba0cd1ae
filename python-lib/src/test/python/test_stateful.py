import re
from datetime import datetime, timedelta, timezone

import pytest

import bytewax.operators as op
from bytewax.errors import BytewaxRuntimeError
from bytewax.operators import StatefulBatchLogic, StatefulLogic
from bytewax.testing import TestingSink, TestingSource, run_main


def run(flow, stream):
    out = []
    op.output("out", stream, TestingSink(out))
    run_main(flow)
    return out


class EmitOnEof(StatefulBatchLogic):
    def __init__(self, state):
        self.seen = state or []

    def on_batch(self, values):
        self.seen.extend(values)
        return [], StatefulBatchLogic.RETAIN

    def on_eof(self):
        return [list(self.seen)], StatefulBatchLogic.DISCARD

    def snapshot(self):
        return list(self.seen)


def test_stateful_batch_emits_keys_in_sorted_order_at_eof(flow):
    items = [("b", 1), ("a", 2), ("b", 3), ("c", 4)]
    s = op.input("inp", flow, TestingSource(items, batch_size=2))
    got = run(flow, op.stateful_batch("sb", s, EmitOnEof))
    assert got == [("a", [2]), ("b", [1, 3]), ("c", [4])]


def test_stateful_batch_gets_one_call_per_key_and_round(flow):
    calls = []

    class Record(StatefulBatchLogic):
        def on_batch(self, values):
            calls.append(list(values))
            return [], StatefulBatchLogic.RETAIN

        def snapshot(self):
            return None

    items = [("k", 1), ("k", 2), ("k", 3)]
    s = op.input("inp", flow, TestingSource(items, batch_size=2))
    run(flow, op.stateful_batch("sb", s, lambda _: Record()))
    assert calls == [[1, 2], [3]]


def test_discard_rebuilds_the_logic_fresh(flow):
    builds = []

    class CountTwo(StatefulBatchLogic):
        def __init__(self, state):
            builds.append(state)
            self.n = 0

        def on_batch(self, values):
            self.n += len(values)
            if self.n >= 2:
                return [self.n], StatefulBatchLogic.DISCARD
            return [], StatefulBatchLogic.RETAIN

        def snapshot(self):
            return self.n

    s = op.input("inp", flow, TestingSource([("k", i) for i in range(5)]))
    got = run(flow, op.stateful_batch("sb", s, CountTwo))
    assert got == [("k", 2), ("k", 2)]
    assert builds == [None, None, None]


def test_notify_at_wakes_the_logic_without_new_data(flow):
    class Later(StatefulBatchLogic):
        def __init__(self, _state):
            self.at = None

        def on_batch(self, values):
            self.at = datetime.now(timezone.utc) + timedelta(milliseconds=50)
            return [], StatefulBatchLogic.RETAIN

        def notify_at(self):
            return self.at

        def on_notify(self):
            return ["woke"], StatefulBatchLogic.DISCARD

        def on_eof(self):
            return ["eof"], StatefulBatchLogic.DISCARD

        def snapshot(self):
            return None

    items = [("k", 1), TestingSource.PAUSE(timedelta(milliseconds=300)), ("j", 2)]
    s = op.input("inp", flow, TestingSource(items))
    assert run(flow, op.stateful_batch("sb", s, Later)) == [("k", "woke"), ("j", "eof")]


def test_snapshot_is_called_at_epoch_close(flow):
    snaps = []

    class Snap(StatefulBatchLogic):
        def on_batch(self, values):
            return [], StatefulBatchLogic.RETAIN

        def snapshot(self):
            snaps.append("snap")
            return None

    s = op.input("inp", flow, TestingSource([("k", 1)]))
    run(flow, op.stateful_batch("sb", s, lambda _: Snap()))
    assert snaps == ["snap"]


def test_stateful_requires_key_value_tuples(flow):
    s = op.input("inp", flow, TestingSource([1]))
    with pytest.raises(TypeError) as info:
        run(flow, op.stateful_batch("sb", s, EmitOnEof))
    assert str(info.value) == (
        'step "test_df.sb" requires `(key, value)` 2-tuple from upstream for routing; '
        "got a `int` instead"
    )


def test_stateful_requires_str_keys(flow):
    s = op.input("inp", flow, TestingSource([(1, 1)]))
    with pytest.raises(TypeError) as info:
        run(flow, op.stateful_batch("sb", s, EmitOnEof))
    assert str(info.value) == (
        'step "test_df.sb" requires `str` keys in `(key, value)` from upstream; '
        "got a `int` instead"
    )


def test_logic_errors_name_step_and_key(flow):
    class Boom(StatefulBatchLogic):
        def on_batch(self, values):
            raise KeyError("inner")

        def snapshot(self):
            return None

    s = op.input("inp", flow, TestingSource([("k", 1)]))
    with pytest.raises(BytewaxRuntimeError) as info:
        run(flow, op.stateful_batch("sb", s, lambda _: Boom()))
    assert str(info.value) == (
        'error calling `StatefulBatchLogic.on_batch` in step "test_df.sb" for key "k"'
    )
    assert isinstance(info.value.__cause__, KeyError)


def test_bad_on_batch_return_shape(flow):
    class Bad(StatefulBatchLogic):
        def on_batch(self, values):
            return 5

        def snapshot(self):
            return None

    s = op.input("inp", flow, TestingSource([("k", 1)]))
    with pytest.raises(BytewaxRuntimeError) as info:
        run(flow, op.stateful_batch("sb", s, lambda _: Bad()))
    extracting = info.value.__cause__
    assert str(extracting) == "error extracting `(emit, is_complete)`"
    assert str(extracting.__cause__) == (
        "did not return a 2-tuple of `(emit, is_complete)`; got a `int` instead"
    )


def test_builder_must_return_logic(flow):
    s = op.input("inp", flow, TestingSource([("k", 1)]))
    with pytest.raises(TypeError, match="logic must subclass"):
        run(flow, op.stateful_batch("sb", s, lambda _: object()))


def test_stateful_calls_on_item_per_value(flow):
    class Sum(StatefulLogic):
        def __init__(self, state):
            self.total = state or 0

        def on_item(self, value):
            self.total += value
            return [self.total], StatefulLogic.RETAIN

        def snapshot(self):
            return self.total

    s = op.input("inp", flow, TestingSource([("a", 1), ("a", 2), ("b", 5)], batch_size=3))
    assert run(flow, op.stateful("sum", s, Sum)) == [("a", 1), ("a", 3), ("b", 5)]


def test_stateful_map(flow):
    def running(state, v):
        total = (state or 0) + v
        return total, total

    s = op.input("inp", flow, TestingSource([("a", 1), ("b", 10), ("a", 2)]))
    assert run(flow, op.stateful_map("run", s, running)) == [("a", 1), ("b", 10), ("a", 3)]


def test_stateful_map_none_state_discards(flow):
    def take_two(state, v):
        seen = (state or []) + [v]
        return (None, seen) if len(seen) == 2 else (seen, seen)

    s = op.input("inp", flow, TestingSource([("a", i) for i in range(3)]))
    assert run(flow, op.stateful_map("two", s, take_two)) == [
        ("a", [0]),
        ("a", [0, 1]),
        ("a", [2]),
    ]


def test_stateful_map_requires_2_tuple(flow):
    s = op.input("inp", flow, TestingSource([("a", 1)]))
    with pytest.raises(BytewaxRuntimeError) as info:
        run(flow, op.stateful_map("bad", s, lambda s, v: v))
    cause = info.value.__cause__
    assert isinstance(cause, TypeError)
    assert re.match(
        r"return value of `mapper` .* in step 'test_df.bad' must be a 2-tuple of "
        r"`\(updated_state, emit_value\)`; got a <class 'int'> instead",
        str(cause),
    )


def test_stateful_flat_map(flow):
    s = op.input("inp", flow, TestingSource([("a", 2), ("a", 1)]))
    got = run(flow, op.stateful_flat_map("sfm", s, lambda st, v: ((st or 0) + v, [v] * v)))
    assert got == [("a", 2), ("a", 2), ("a", 1)]


def test_finals(flow):
    words = ["b", "a", "b", "c", "b"]
    s = op.input("inp", flow, TestingSource(words))
    counts = op.count_final("count", s, lambda w: w)
    keyed = op.key_on("k", op.input("nums", flow, TestingSource([3, 1, 4, 1, 5])), lambda x: "n")
    out = {}
    for name, stream in {
        "count": counts,
        "reduce": op.reduce_final("reduce", keyed, lambda a, b: a + b),
        "fold": op.fold_final("fold", keyed, list, lambda acc, x: acc + [x]),
        "max": op.max_final("max", keyed),
        "min": op.min_final("min", keyed, by=lambda x: -x),
    }.items():
        out[name] = []
        op.output(f"out_{name}", stream, TestingSink(out[name]))
    run_main(flow)
    assert out == {
        "count": [("a", 1), ("b", 3), ("c", 1)],
        "reduce": [("n", 14)],
        "fold": [("n", [3, 1, 4, 1, 5])],
        "max": [("n", 5)],
        "min": [("n", 5)],
    }


def test_collect_by_size_and_eof(flow):
    s = op.input("inp", flow, TestingSource(range(7)))
    keyed = op.key_on("k", s, lambda _: "ALL")
    got = run(flow, op.collect("c", keyed, timeout=timedelta(seconds=10), max_size=3))
    assert got == [("ALL", [0, 1, 2]), ("ALL", [3, 4, 5]), ("ALL", [6])]


def test_collect_by_timeout(flow):
    items = [1, 2, TestingSource.PAUSE(timedelta(milliseconds=400)), 3]
    s = op.input("inp", flow, TestingSource(items))
    keyed = op.key_on("k", s, lambda _: "ALL")
    got = run(flow, op.collect("c", keyed, timeout=timedelta(milliseconds=100), max_size=10))
    assert got == [("ALL", [1, 2]), ("ALL", [3])]


def join_flow(flow, insert_mode, emit_mode):
    a = op.input("a", flow, TestingSource([("k", 1), ("k", 2), ("j", 9)]))
    b = op.input("b", flow, TestingSource([("k", "x"), ("k", "y")]))
    return run(flow, op.join("j", a, b, insert_mode=insert_mode, emit_mode=emit_mode))


def test_join_complete_last(flow):
    assert join_flow(flow, "last", "complete") == [("k", (1, "x")), ("k", (2, "y"))]


def test_join_final_last(flow):
    assert join_flow(flow, "last", "final") == [("j", (9, None)), ("k", (2, "y"))]


def test_join_final_first(flow):
    assert join_flow(flow, "first", "final") == [("j", (9, None)), ("k", (1, "x"))]


def test_join_running_product(flow):
    assert join_flow(flow, "product", "running") == [
        ("k", (1, None)),
        ("k", (1, "x")),
        ("k", (1, "x")),
        ("k", (2, "x")),
        ("k", (1, "x")),
        ("k", (1, "y")),
        ("k", (2, "x")),
        ("k", (2, "y")),
        ("j", (9, None)),
    ]


def test_join_rejects_unknown_modes(flow):
    a = op.input("a", flow, TestingSource([]))
    with pytest.raises(ValueError, match="unknown join emit mode 'never'"):
        op.join("j", a, emit_mode="never")
    with pytest.raises(ValueError, match="unknown join insert mode 'all'"):
        op.join("j2", a, insert_mode="all")


def test_enrich_cached(flow):
    calls = []

    def getter(k):
        calls.append(k)
        return k.upper()

    s = op.input("inp", flow, TestingSource(["a", "b", "a"]))
    got = run(flow, op.enrich_cached("e", s, getter, lambda cache, x: (x, cache.get(x))))
    assert got == [("a", "A"), ("b", "B"), ("a", "A")]
    assert calls == ["a", "b"]


def test_ttl_cache_refetches_after_ttl():
    from bytewax.operators import TTLCache
    from bytewax.testing import TimeTestingGetter

    clock = TimeTestingGetter(datetime(2024, 1, 1, tzinfo=timezone.utc))
    fetched = []
    cache = TTLCache(lambda k: fetched.append(k) or len(fetched), clock.get, timedelta(seconds=5))
    assert cache.get("x") == 1
    clock.advance(timedelta(seconds=5))
    assert cache.get("x") == 1
    clock.advance(timedelta(seconds=1))
    assert cache.get("x") == 2
    cache.remove("x")
    assert cache.get("x") == 3


def test_count_final_key_error_names_the_bytewax_substep(flow):
    s = op.input("inp", flow, TestingSource(["a", None]))
    with pytest.raises(BytewaxRuntimeError) as info:
        run(flow, op.count_final("count", s, lambda w: w.upper()))
    assert str(info.value) == (
        'error calling `mapper` in step "test_df.count.init_count.flat_map_batch"'
    )
    assert isinstance(info.value.__cause__.__cause__, AttributeError)


def test_count_final_non_str_key_is_a_routing_error(flow):
    s = op.input("inp", flow, TestingSource([1, 2, 1]))
    with pytest.raises(TypeError) as info:
        run(flow, op.count_final("count", s, lambda x: x))
    assert str(info.value) == (
        'step "test_df.count.sum.fold_final.stateful.stateful_batch" requires `str` keys in '
        "`(key, value)` from upstream; got a `int` instead"
    )


def test_what_starts_without_state_is_built_with_none(flow):
    # Java's null must not reach Python as a foreign null, for which `is None` is false.
    import bytewax.operators.windowing as win
    from bytewax.inputs import FixedPartitionedSource, StatefulSourcePartition
    from bytewax.outputs import FixedPartitionedSink, StatefulSinkPartition

    seen = []

    class Part(StatefulSourcePartition):
        def next_batch(self):
            raise StopIteration()

        def snapshot(self):
            return None

    class Source(FixedPartitionedSource):
        def list_parts(self):
            return ["p"]

        def build_part(self, step_id, for_part, resume_state):
            seen.append(("source", resume_state is None))
            return Part()

    class SinkPart(StatefulSinkPartition):
        def write_batch(self, values):
            pass

        def snapshot(self):
            return None

    class Sink(FixedPartitionedSink):
        def list_parts(self):
            return ["p"]

        def build_part(self, step_id, for_part, resume_state):
            seen.append(("sink", resume_state is None))
            return SinkPart()

    def logic(resume_state):
        seen.append(("stateful_batch", resume_state is None))
        return EmitOnEof(None)

    class Collect(win.WindowLogic):
        def on_value(self, value):
            return []

        def on_merge(self, original):
            return []

        def on_close(self):
            return []

        def snapshot(self):
            return None

    def window_logic(resume_state):
        seen.append(("window", resume_state is None))
        return Collect()

    op.input("empty", flow, Source())
    inp = op.input("inp", flow, TestingSource([("k", 1)]))
    op.output("sink", inp, Sink())
    op.inspect("sb_out", op.stateful_batch("sb", inp, logic))
    firsts = op.stateful_map("first", inp, lambda state, v: (v, state is None))
    op.output("firsts", firsts, TestingSink(seen))
    clock = win.EventClock(lambda v: datetime(2024, 1, 1, tzinfo=timezone.utc), timedelta(0))
    windower = win.TumblingWindower(timedelta(minutes=1), datetime(2024, 1, 1, tzinfo=timezone.utc))
    win.window("w", inp, clock, windower, window_logic)
    run_main(flow)
    assert sorted(seen, key=str) == sorted(
        [("source", True), ("sink", True), ("stateful_batch", True), ("window", True), ("k", True)],
        key=str,
    )
