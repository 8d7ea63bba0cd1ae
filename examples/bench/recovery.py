"""Benchmark workload: the cost of recovery, and the time to resume from a million keys.

`wax python examples/bench/recovery.py N RUNS KEYS` runs the windowed count of
`window_count.py` (N events, 1,000 keys) RUNS times with recovery off and on (1-second epochs,
a fresh recovery directory each time), alternating, then builds the state of KEYS keys with a
stateful map and times a run that resumes from it until its first new item is written. Prints per run:

    mode=off run=R seconds=S items_per_s=T
    mode=on run=R seconds=S items_per_s=T db=DIR
    resume keys=K seconds=S

Recovery directories of the "on" runs keep every snapshot (a one-day backup interval) and are
left for the caller to inspect (`wax recovery inspect DIR`) and delete.
"""

import shutil
import sys
import tempfile
import time
from datetime import timedelta

import bytewax.operators as op
from bytewax.outputs import DynamicSink, StatelessSinkPartition
from bytewax.dataflow import Dataflow
from bytewax.recovery import RecoveryConfig, init_db_dir
from bytewax.testing import run_main

from map_filter_count import RangeSource
from window_count import make_flow


def _timed_run(flow, recovery):
    start = time.perf_counter()
    run_main(flow, epoch_interval=timedelta(seconds=1), recovery_config=recovery)
    return time.perf_counter() - start


def windowed(n, runs):
    for run in range(1, runs + 1):
        seconds = _timed_run(make_flow(n, [0, 0]), None)
        print(f"mode=off run={run} seconds={seconds:.3f} items_per_s={n / seconds:.0f}", flush=True)
        db = tempfile.mkdtemp(prefix="wax-bench-recovery-")
        init_db_dir(db, 1)
        seconds = _timed_run(make_flow(n, [0, 0]), RecoveryConfig(db, backup_interval=timedelta(days=1)))
        print(f"mode=on run={run} seconds={seconds:.3f} items_per_s={n / seconds:.0f} db={db}", flush=True)


class _FirstWrite(StatelessSinkPartition):
    def __init__(self, at):
        self._at = at

    def write_batch(self, items):
        if items and self._at[0] is None:
            self._at[0] = time.perf_counter()


class FirstWriteSink(DynamicSink):
    """Records in `at[0]` when the first item arrives."""

    def __init__(self, at):
        self._at = at

    def build(self, step_id, worker_index, worker_count):
        return _FirstWrite(self._at)


def _keys_flow(n, first_write):
    """A running total per number 0..n-1; only the last number's total reaches the sink."""
    flow = Dataflow("keys")
    keyed = op.key_on("key", op.input("inp", flow, RangeSource(n)), str)
    totals = op.stateful_map("total", keyed, lambda total, x: ((total or 0) + x, x))
    op.output("out", op.filter("last", totals, lambda kv: kv[1] == n - 1), FirstWriteSink(first_write))
    return flow


def resume(keys):
    """Commits `keys` keys' state, then times a run resuming from it until its first new item is out."""
    db = tempfile.mkdtemp(prefix="wax-bench-resume-")
    try:
        init_db_dir(db, 4)
        _timed_run(_keys_flow(keys, [None]), RecoveryConfig(db))
        # The resumed run has one new number: its output shows every key's state is loaded.
        first_write = [None]
        start = time.perf_counter()
        run_main(_keys_flow(keys + 1, first_write), epoch_interval=timedelta(seconds=1), recovery_config=RecoveryConfig(db))
        print(f"resume keys={keys} seconds={first_write[0] - start:.3f}", flush=True)
    finally:
        shutil.rmtree(db)


def main():
    n, runs, keys = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    windowed(n, runs)
    resume(keys)


if __name__ == "__main__":
    main()
