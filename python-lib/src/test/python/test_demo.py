"""`bytewax.connectors.demo.RandomMetricSource`, as Bytewax 0.21.1 behaves (checked with the oracle)."""

import itertools
import time
from datetime import timedelta

import bytewax.operators as op
from bytewax.connectors.demo import RandomMetricSource
from bytewax.recovery import RecoveryConfig, init_db_dir
from bytewax.testing import TestingSink, run_main


def test_emits_count_values_named_after_the_metric(flow):
    out = []
    source = RandomMetricSource("volts", interval=timedelta(0), count=3, next_random=lambda: 42)
    op.output("out", op.input("inp", flow, source), TestingSink(out))
    run_main(flow)
    assert out == [("volts", 42), ("volts", 42), ("volts", 42)]


def test_values_are_random_digits_by_default(flow):
    out = []
    op.output("out", op.input("inp", flow, RandomMetricSource("m", interval=timedelta(0), count=50)), TestingSink(out))
    run_main(flow)
    assert len(out) == 50
    assert all(name == "m" and isinstance(value, int) and 0 <= value <= 9 for name, value in out)


def test_waits_an_interval_between_values(flow):
    out = []
    source = RandomMetricSource("m", interval=timedelta(milliseconds=100), count=4, next_random=lambda: 1)
    op.output("out", op.input("inp", flow, source), TestingSink(out))
    start = time.monotonic()
    run_main(flow)
    # The first value comes at once, each next one an interval later.
    assert time.monotonic() - start >= 0.3
    assert out == [("m", 1)] * 4


def test_a_resumed_run_emits_only_what_is_left_of_count(flow, tmp_path):
    counter = itertools.count(1)
    fail_on = [3]

    def check(item):
        if item[1] == fail_on[0]:
            raise RuntimeError("crash")
        return item

    out = []
    source = RandomMetricSource("volts", interval=timedelta(0), count=5, next_random=lambda: next(counter))
    op.output("out", op.map("check", op.input("inp", flow, source), check), TestingSink(out))
    init_db_dir(tmp_path, 1)
    recovery = RecoveryConfig(tmp_path)
    try:
        run_main(flow, epoch_interval=timedelta(0), recovery_config=recovery)
    except Exception:  # noqa: BLE001 - the planned crash
        pass
    fail_on[0] = None
    run_main(flow, epoch_interval=timedelta(0), recovery_config=recovery)
    # 2 values before the crash; the third's epoch never closed, so 3 more after it.
    assert out == [("volts", 1), ("volts", 2), ("volts", 4), ("volts", 5), ("volts", 6)]


def test_sources_are_dataclasses_without_fields():
    assert repr(RandomMetricSource("x")) == "RandomMetricSource()"
    assert RandomMetricSource("x") == RandomMetricSource("y")
