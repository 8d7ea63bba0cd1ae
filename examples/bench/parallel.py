"""Benchmark workloads for several workers: `bin/wax bench --workload parallel` runs them.

Both read a source of N integers split into partitions, so every worker has input.
`window_flow` is the windowed count of `window_count.py` (1,000 keys, event time i ms, 10 s
tumbling windows); its partitions are split by key, so each key's events stay in order.
`map_flow` is `map_filter_count.py`'s map -> filter -> count.

`main` runs one of them RUNS times; on several workers each worker runs this program and its
k-th run joins the others' k-th. Each worker prints `bench run=K start=T` when its partition
starts and `bench run=K end=T count=C` when its sink closes (T in seconds since the epoch), so
the throughput excludes starting Python:

    wax python examples/bench/parallel.py window|map N RUNS PARTS
"""

import sys
import time

import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.inputs import FixedPartitionedSource, StatefulSourcePartition
from bytewax.outputs import DynamicSink, StatelessSinkPartition

from map_filter_count import BATCH_SIZE
from window_count import count_windows

class _Part(StatefulSourcePartition):
    def __init__(self, run, n, index, parts, by_key):
        self._run = run
        self._n = n
        self._index = index
        self._parts = parts
        self._by_key = by_key
        self._next = 0
        self._started = False

    def next_batch(self):
        if not self._started:
            self._started = True
            print(f"bench run={self._run} start={time.time():.6f}", flush=True)
        if self._next >= self._n:
            raise StopIteration()
        end = min(self._next + BATCH_SIZE * self._parts, self._n)
        p, parts = self._index, self._parts
        if self._by_key:
            batch = [i for i in range(self._next, end) if ((i * 2654435761) >> 16) % 1000 % parts == p]
        else:
            batch = list(range(self._next + p, end, parts))
        self._next = end
        return batch

    def snapshot(self):
        return self._next


class SplitRange(FixedPartitionedSource):
    """0..n-1 in `parts` partitions: by key (`by_key`) or every `parts`-th number."""

    def __init__(self, run, n, parts, by_key):
        self._run = run
        self._n = n
        self._parts = parts
        self._by_key = by_key

    def list_parts(self):
        return [str(p) for p in range(self._parts)]

    def build_part(self, step_id, for_part, resume_state):
        return _Part(self._run, self._n, int(for_part), self._parts, self._by_key)


class _Report(StatelessSinkPartition):
    def __init__(self, run, value_of):
        self._run = run
        self._value_of = value_of
        self._count = 0

    def write_batch(self, items):
        for item in items:
            self._count += self._value_of(item)

    def close(self):
        print(f"bench run={self._run} end={time.time():.6f} count={self._count}", flush=True)


class ReportSink(DynamicSink):
    """Sums `value_of(item)` per worker; prints the sum and the time when the run ends."""

    def __init__(self, run, value_of):
        self._run = run
        self._value_of = value_of

    def build(self, step_id, worker_index, worker_count):
        return _Report(self._run, self._value_of)


def window_flow(n, parts, run=0):
    flow = Dataflow("parallel_window")
    events = op.input("inp", flow, SplitRange(run, n, parts, by_key=True))
    count_windows(events, ReportSink(run, lambda item: item[1][1]))
    return flow


def map_flow(n, parts, run=0):
    flow = Dataflow("parallel_map")
    nums = op.input("inp", flow, SplitRange(run, n, parts, by_key=False))
    doubled = op.map("double", nums, lambda x: x * 2)
    kept = op.filter("keep", doubled, lambda x: x % 3 != 0)
    counts = op.count_final("count", kept, lambda _x: "ALL")
    op.output("out", counts, ReportSink(run, lambda item: item[1]))
    return flow


def main():
    from bytewax.testing import run_main

    workload, n, runs, parts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    make_flow = window_flow if workload == "window" else map_flow
    for run in range(runs):
        run_main(make_flow(n, parts, run))


if __name__ == "__main__":
    main()
