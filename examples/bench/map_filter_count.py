"""Benchmark workload: N integers -> map x*2 -> filter x % 3 != 0 -> count.

Run with `wax python examples/bench/map_filter_count.py [N] [RUNS]`; prints one line per run:
`run=R items=N seconds=S items_per_s=T count=C`. Later runs show the JIT-warmed speed.
"""

import sys
import time

import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.inputs import FixedPartitionedSource, StatefulSourcePartition
from bytewax.testing import TestingSink, run_main

BATCH_SIZE = 10_000


class _RangePartition(StatefulSourcePartition):
    def __init__(self, n, start):
        self._n = n
        self._next = start

    def next_batch(self):
        if self._next >= self._n:
            raise StopIteration()
        end = min(self._next + BATCH_SIZE, self._n)
        batch = list(range(self._next, end))
        self._next = end
        return batch

    def snapshot(self):
        return self._next


class RangeSource(FixedPartitionedSource):
    """The integers 0..n-1 in batches."""

    def __init__(self, n):
        self._n = n

    def list_parts(self):
        return ["range"]

    def build_part(self, step_id, for_part, resume_state):
        return _RangePartition(self._n, resume_state or 0)


def make_flow(n, out):
    flow = Dataflow("map_filter_count")
    nums = op.input("inp", flow, RangeSource(n))
    doubled = op.map("double", nums, lambda x: x * 2)
    kept = op.filter("keep", doubled, lambda x: x % 3 != 0)
    counts = op.count_final("count", kept, lambda _x: "ALL")
    op.output("out", counts, TestingSink(out))
    return flow


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    for run in range(1, runs + 1):
        out = []
        flow = make_flow(n, out)
        start = time.perf_counter()
        run_main(flow)
        seconds = time.perf_counter() - start
        print(
            f"run={run} items={n} seconds={seconds:.3f} items_per_s={n / seconds:.0f} "
            f"count={out[0][1]}",
            flush=True,
        )


if __name__ == "__main__":
    main()
