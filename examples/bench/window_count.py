"""Benchmark workload: windowed count over N events with 1,000 keys.

Event i has key `((i * 2654435761) >> 16) % 1000` and event time i milliseconds; 10-second
tumbling windows, zero lateness (the watermark follows event time alone), counting per key
and window. Run with
`wax python examples/bench/window_count.py [N] [RUNS]`; prints per run:
`run=R items=N seconds=S items_per_s=T count=C windows=W`.
"""

import sys
import time
from datetime import datetime, timedelta, timezone

import bytewax.operators as op
import bytewax.operators.windowing as win
from bytewax.dataflow import Dataflow
from bytewax.outputs import DynamicSink, StatelessSinkPartition

from map_filter_count import RangeSource

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def key(i):
    return str(((i * 2654435761) >> 16) % 1000)


def event_time(i):
    return EPOCH + timedelta(milliseconds=i)


class _Totals(StatelessSinkPartition):
    def __init__(self, totals):
        self._totals = totals

    def write_batch(self, items):
        for _key, (_window_id, count) in items:
            self._totals[0] += 1
            self._totals[1] += count


class TotalsSink(DynamicSink):
    """Counts window results and sums their counts into `totals`."""

    def __init__(self, totals):
        self._totals = totals

    def build(self, step_id, worker_index, worker_count):
        return _Totals(self._totals)


def count_windows(events, sink):
    """The workload's steps after the source: per key and 10-second window, count, into `sink`."""
    # System time stands still for the clock: the watermark follows event time alone, so no
    # pause of the process (a compilation, a collection) makes an on-time event late.
    clock = win.EventClock(
        event_time, wait_for_system_duration=timedelta(0), now_getter=lambda: EPOCH
    )
    windower = win.TumblingWindower(length=timedelta(seconds=10), align_to=EPOCH)
    counts = win.count_window("count", events, clock, windower, key)
    op.output("out", counts.down, sink)


def make_flow(n, totals):
    flow = Dataflow("window_count")
    count_windows(op.input("inp", flow, RangeSource(n)), TotalsSink(totals))
    return flow


def main():
    from bytewax.testing import run_main

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    for run in range(1, runs + 1):
        totals = [0, 0]
        flow = make_flow(n, totals)
        start = time.perf_counter()
        run_main(flow)
        seconds = time.perf_counter() - start
        print(
            f"run={run} items={n} seconds={seconds:.3f} items_per_s={n / seconds:.0f} "
            f"count={totals[1]} windows={totals[0]}",
            flush=True,
        )


if __name__ == "__main__":
    main()
