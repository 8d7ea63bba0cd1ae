"""Benchmark workload: the cost of recovery, and the time to resume from a million keys.

`wax python examples/bench/recovery.py N RUNS KEYS` runs the windowed count of
`window_count.py` (N events, 1,000 keys) RUNS times with recovery off and on (1-second epochs,
a fresh recovery directory each time), alternating, then builds the state of KEYS keys with a
stateful map and times a run that resumes from it. Prints per run:

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
from bytewax.dataflow import Dataflow
from bytewax.recovery import RecoveryConfig, init_db_dir
from bytewax.testing import run_main

from map_filter_count import RangeSource
from window_count import make_flow
from window_count import TotalsSink


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


def _keys_flow(keys):
    flow = Dataflow("keys")
    nums = op.input("inp", flow, RangeSource(keys))
    keyed = op.key_on("key", nums, str)
    totals = op.stateful_map("total", keyed, lambda total, x: ((total or 0) + x, None))
    op.output("out", op.filter("none", totals, lambda _kv: False), TotalsSink([0, 0]))
    return flow


def resume(keys):
    db = tempfile.mkdtemp(prefix="wax-bench-resume-")
    try:
        init_db_dir(db, 4)
        _timed_run(_keys_flow(keys), RecoveryConfig(db))
        # Every key's state is committed and the source is at its end: this run only resumes.
        seconds = _timed_run(_keys_flow(keys), RecoveryConfig(db))
        print(f"resume keys={keys} seconds={seconds:.3f}", flush=True)
    finally:
        shutil.rmtree(db)


def main():
    n, runs, keys = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    windowed(n, runs)
    resume(keys)


if __name__ == "__main__":
    main()
