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
