"""`epoch_interval=timedelta(0)`: every batch a source emits closes its epoch, as in Bytewax.

The expected outputs are what Bytewax 0.21.1 prints (checked with the reference oracle).
"""

from datetime import datetime, timedelta, timezone

import pytest

import bytewax.operators as op
import bytewax.operators.windowing as win
from bytewax.dataflow import Dataflow
from bytewax.recovery import RecoveryConfig, init_db_dir
from bytewax.testing import TestingSink, TestingSource, run_main

ZERO = timedelta(0)


def test_an_abort_resumes_after_the_last_item_as_every_item_was_snapshotted(tmp_path):
    init_db_dir(tmp_path, 1)
    out = []
    flow = Dataflow("test_df")
    s = op.input("inp", flow, TestingSource([0, 1, 2, TestingSource.ABORT(), 3, 4]))
    op.output("out", s, TestingSink(out))
    run_main(flow, epoch_interval=ZERO, recovery_config=RecoveryConfig(str(tmp_path)))
    assert out == [0, 1, 2]
    out.clear()
    run_main(flow, epoch_interval=ZERO, recovery_config=RecoveryConfig(str(tmp_path)))
    assert out == [3, 4]


def _sums_and_merge(items):
    flow = Dataflow("sm")
    s = op.input("inp", flow, TestingSource(items, batch_size=2))
    op.inspect("r", op.stateful_map("sum", s, lambda st, v: ((st or 0) + v, (st or 0) + v)))
    op.inspect("cnt", op.count_final("c", op.map("k", s, lambda kv: kv[0]), lambda k: k))
    op.inspect("merged", op.merge("m", s, op.map("neg", s, lambda kv: (kv[0], -kv[1]))))
    return flow


def test_stateful_steps_and_merge_print_in_bytewax_order_across_an_abort(tmp_path, capsys):
    init_db_dir(tmp_path, 1)
    # One list for both runs: its ABORT fires once, as in Bytewax's own tests.
    items = [("a", 1), ("b", 2), ("a", 3), TestingSource.ABORT(), ("b", 4), ("a", 5)]
    run_main(_sums_and_merge(items), epoch_interval=ZERO, recovery_config=RecoveryConfig(str(tmp_path)))
    assert capsys.readouterr().out.splitlines() == [
        "sm.r: ('a', 1)",
        "sm.r: ('b', 2)",
        "sm.merged: ('a', 1)",
        "sm.merged: ('b', 2)",
        "sm.merged: ('a', -1)",
        "sm.merged: ('b', -2)",
        "sm.r: ('a', 4)",
        "sm.merged: ('a', 3)",
        "sm.merged: ('a', -3)",
    ]
    run_main(_sums_and_merge(items), epoch_interval=ZERO, recovery_config=RecoveryConfig(str(tmp_path)))
    assert capsys.readouterr().out.splitlines() == [
        "sm.r: ('a', 9)",
        "sm.r: ('b', 6)",
        "sm.merged: ('b', 4)",
        "sm.merged: ('a', 5)",
        "sm.merged: ('b', -4)",
        "sm.merged: ('a', -5)",
        "sm.cnt: ('a', 3)",
        "sm.cnt: ('b', 2)",
    ]


def test_event_time_windows_close_and_late_items_show_as_each_item_is_its_own_epoch(capsys):
    align = datetime(2022, 1, 1, tzinfo=timezone.utc)
    times = [align + timedelta(seconds=s) for s in [0, 1, 5, 2, 11, 12, 25, 3]]
    flow = Dataflow("w")
    s = op.input("inp", flow, TestingSource(times))
    clock = win.EventClock(lambda t: t, wait_for_system_duration=ZERO)
    out = win.count_window("cw", s, clock, win.TumblingWindower(timedelta(seconds=10), align), lambda _: "x")
    op.inspect("down", out.down)
    op.inspect("late", out.late)
    run_main(flow, epoch_interval=ZERO)
    assert capsys.readouterr().out.splitlines() == [
        "w.late: ('x', (0, datetime.datetime(2022, 1, 1, 0, 0, 2, tzinfo=datetime.timezone.utc)))",
        "w.down: ('x', (0, 3))",
        "w.down: ('x', (1, 2))",
        "w.late: ('x', (0, datetime.datetime(2022, 1, 1, 0, 0, 3, tzinfo=datetime.timezone.utc)))",
        "w.down: ('x', (2, 1))",
    ]


def test_a_negative_interval_closes_an_epoch_per_batch_as_a_zero_one(flow, capsys):
    # Expected output from Bytewax 0.21.1 (the reference oracle), which accepts it.
    op.inspect_debug("out", op.map("m", op.input("inp", flow, TestingSource([1, 2, 3])), lambda x: x * 2))
    run_main(flow, epoch_interval=timedelta(seconds=-1))
    assert capsys.readouterr().out.splitlines() == [
        "test_df.out W0 @1: 2",
        "test_df.out W0 @2: 4",
        "test_df.out W0 @3: 6",
    ]
