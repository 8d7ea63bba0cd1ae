"""The order steps print in, as Bytewax 0.21.1 prints it (checked with the reference oracle)."""

from datetime import datetime, timedelta, timezone

import bytewax.operators as op
import pytest
from bytewax.inputs import DynamicSource, StatelessSourcePartition
from bytewax.operators import StatefulLogic
from bytewax.testing import TestingSource, run_main


def _printed(capsys):
    return capsys.readouterr().out.splitlines()


def test_merge_takes_its_inputs_queued_items_in_argument_order(flow, capsys):
    words = op.input("words", flow, TestingSource(["a", "b", "c", "d"], batch_size=2))
    nums = op.input("nums", flow, TestingSource([1, 2]))
    op.inspect("out", op.merge("both", nums, words))
    run_main(flow)
    assert _printed(capsys) == [
        "test_df.out: 1",
        "test_df.out: 'a'",
        "test_df.out: 'b'",
        "test_df.out: 2",
        "test_df.out: 'c'",
        "test_df.out: 'd'",
    ]


def test_merge_of_branches_and_their_source_follows_argument_order_per_batch(flow, capsys):
    s = op.input("inp", flow, TestingSource(range(7), batch_size=3))
    b = op.branch("even", s, lambda x: x % 2 == 0)
    doubled = op.map("dbl", b.trues, lambda x: x * 10)
    op.inspect("out", op.merge("m", b.falses, doubled, s))
    run_main(flow)
    assert [line.split(": ")[1] for line in _printed(capsys)] == [
        "1", "0", "20", "0", "1", "2",
        "3", "5", "40", "3", "4", "5",
        "60", "6",
    ]  # fmt: skip


class _Counting(StatelessSourcePartition):
    def __init__(self):
        self._n = 0

    def next_batch(self):
        if self._n >= 6:
            raise StopIteration()
        self._n += 1
        return [f"d{self._n}"]


class _Dynamic(DynamicSource):
    def build(self, step_id, worker_index, worker_count):
        return _Counting()


def test_fixed_sources_emit_a_round_after_dynamic_ones(flow, capsys):
    fixed = op.input("fixed", flow, TestingSource(["f1", "f2", "f3", "f4"]))
    dynamic = op.input("dyn", flow, _Dynamic())
    op.inspect("out", op.merge("m", fixed, dynamic))
    run_main(flow)
    assert [line.split(": ")[1] for line in _printed(capsys)] == [
        "'d1'", "'f1'", "'d2'", "'f2'", "'d3'", "'f3'", "'d4'", "'f4'", "'d5'", "'d6'",
    ]  # fmt: skip


class _NotifiedAfterEachItem(StatefulLogic):
    """Says what each call did to the key's state, and asks to be woken right after each item."""

    def __init__(self, after_notify):
        self._state = "NEW"
        self._notify_at = None
        self._after_notify = after_notify

    def _change(self, new):
        old, self._state = self._state, new
        return [(old, new)]

    def on_item(self, value):
        self._notify_at = datetime.now(timezone.utc)
        return self._change("ITEM"), StatefulLogic.RETAIN

    def on_notify(self):
        self._notify_at = None
        return self._change("NOTIFY"), self._after_notify

    def notify_at(self):
        return self._notify_at

    def snapshot(self):
        return self._state


@pytest.mark.parametrize(
    ("after_notify", "changes"),
    [
        (StatefulLogic.DISCARD, ["('NEW', 'ITEM')", "('ITEM', 'NOTIFY')", "('NEW', 'ITEM')", "('ITEM', 'NOTIFY')"]),
        (StatefulLogic.RETAIN, ["('NEW', 'ITEM')", "('ITEM', 'NOTIFY')", "('NOTIFY', 'ITEM')", "('ITEM', 'NOTIFY')"]),
    ],
)
def test_a_wake_up_due_before_the_next_epoch_comes_before_its_items(flow, capsys, after_notify, changes):
    s = op.input("inp", flow, TestingSource([1, 2]))
    keyed = op.key_on("key", s, lambda _x: "ALL")
    op.inspect("out", op.stateful("stateful", keyed, lambda _resume: _NotifiedAfterEachItem(after_notify)))
    run_main(flow, epoch_interval=timedelta(0))
    assert _printed(capsys) == [f"test_df.out: ('ALL', {change})" for change in changes]


def test_the_end_of_input_reaches_each_step_after_bytewax_s_operators_pass_it_on(flow, capsys):
    # The end takes a round per capability-holding operator: `total` sees it two rounds before
    # `count` (behind two `map`s), so `doubled_out`, one `map` after `total`, prints first.
    inp = op.input("inp", flow, TestingSource([("a", 1), ("b", 2), ("a", 3)]))
    total = op.reduce_final("total", inp, lambda a, b: a + b)
    op.inspect("total_out", total)
    keys = op.map("k", inp, lambda kv: kv[0])
    op.inspect("count_out", op.count_final("count", keys, lambda k: k))
    op.inspect("doubled_out", op.map_value("double", total, lambda v: v * 2))
    run_main(flow)
    assert _printed(capsys) == [
        "test_df.total_out: ('a', 4)",
        "test_df.total_out: ('b', 2)",
        "test_df.doubled_out: ('a', 8)",
        "test_df.doubled_out: ('b', 4)",
        "test_df.count_out: ('a', 2)",
        "test_df.count_out: ('b', 1)",
    ]


@pytest.mark.parametrize(
    ("epoch_interval", "numbers_before_counts"),
    [(timedelta(0), 3), (None, 6)],
)
def test_after_an_epoch_closes_sources_wait_until_the_close_reaches_the_outputs(
    flow, capsys, epoch_interval, numbers_before_counts
):
    # With a zero interval every batch closes an epoch, and the next batch waits the rounds the
    # close takes to pass every operator on the way to the outputs: the counts, emitted at the
    # end of `words`, overtake the numbers sooner.
    words = op.input("words", flow, TestingSource(["x", "y"]))
    nums = op.input("nums", flow, TestingSource(range(8)))
    counts = op.count_final("count", words, lambda w: w)
    op.inspect("counts", op.map("m2", op.map("m1", counts, lambda kv: kv), lambda kv: kv))
    op.inspect("nums_out", op.map("tens", nums, lambda x: x * 10))
    run_main(flow, epoch_interval=epoch_interval)
    lines = _printed(capsys)
    numbers = [f"test_df.nums_out: {x * 10}" for x in range(8)]
    counts_out = ["test_df.counts: ('x', 1)", "test_df.counts: ('y', 1)"]
    k = numbers_before_counts
    assert lines == numbers[:k] + counts_out + numbers[k:]


def test_items_emitted_at_the_end_keep_the_epoch_their_input_ended_in(flow, capsys):
    # `short` ends in epoch 2; its counts reach `dbg` in epoch 2 although `long` has opened
    # epoch 3 by then: the merge cannot leave epoch 2 before the counts' step lets it go.
    short = op.input("short", flow, TestingSource(["x", "y"], batch_size=2))
    long = op.input("long", flow, TestingSource(range(10, 13)))
    counts = op.count_final("count", short, lambda w: w)
    op.inspect_debug("dbg", op.merge("both", op.key_rm("plain", counts), long))
    run_main(flow, epoch_interval=timedelta(0))
    assert _printed(capsys) == [
        "test_df.dbg W0 @1: 10",
        "test_df.dbg W0 @2: 11",
        "test_df.dbg W0 @2: 1",
        "test_df.dbg W0 @2: 1",
        "test_df.dbg W0 @3: 12",
    ]
