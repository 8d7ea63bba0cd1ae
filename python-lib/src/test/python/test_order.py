"""The order steps print in, as Bytewax 0.21.1 prints it (checked with the reference oracle)."""

import bytewax.operators as op
from bytewax.inputs import DynamicSource, StatelessSourcePartition
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
