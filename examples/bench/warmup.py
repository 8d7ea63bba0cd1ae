"""The warm-up curve: items per second in each of the first SECONDS seconds of one long run.

Run with `wax python examples/bench/warmup.py WORKLOAD [SECONDS]`, WORKLOAD being `map` (the
map/filter/count of map_filter_count.py) or `window` (the windowed count of window_count.py).
The source counts the items it hands over and stops after SECONDS; since one worker passes each
batch through the whole flow before it asks for the next, what it handed over in a second is
what the flow processed. Prints `second=S items=I` per second, then `count=C` (map: the items
kept; window: the events counted in windows), which must equal what the source emitted minus
the filtered ones (map) or all of them (window).
"""

import sys
import time

import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.inputs import FixedPartitionedSource, StatefulSourcePartition
from bytewax.testing import TestingSink, run_main

from map_filter_count import BATCH_SIZE
from window_count import TotalsSink, count_windows


class _TimedPartition(StatefulSourcePartition):
    def __init__(self, seconds, per_second):
        self._per_second = per_second
        self._start = time.perf_counter()
        self._end = self._start + seconds
        self._second_ends = self._start + 1
        self._in_second = 0
        self._next = 0

    def next_batch(self):
        now = time.perf_counter()
        while now >= self._second_ends:
            self._per_second.append(self._in_second)
            self._in_second = 0
            self._second_ends += 1
        if now >= self._end:
            raise StopIteration()
        batch = list(range(self._next, self._next + BATCH_SIZE))
        self._next += BATCH_SIZE
        self._in_second += BATCH_SIZE
        return batch

    def snapshot(self):
        return None


class TimedSource(FixedPartitionedSource):
    """Integers from 0 in batches, for `seconds`; items handed over per second in `per_second`."""

    def __init__(self, seconds, per_second):
        self._seconds = seconds
        self._per_second = per_second

    def list_parts(self):
        return ["timed"]

    def build_part(self, step_id, for_part, resume_state):
        return _TimedPartition(self._seconds, self._per_second)


def map_flow(source, out):
    flow = Dataflow("warmup_map")
    nums = op.input("inp", flow, source)
    kept = op.filter("keep", op.map("double", nums, lambda x: x * 2), lambda x: x % 3 != 0)
    op.output("out", op.count_final("count", kept, lambda _x: "ALL"), TestingSink(out))
    return flow


def window_flow(source, totals):
    flow = Dataflow("warmup_window")
    count_windows(op.input("inp", flow, source), TotalsSink(totals))
    return flow


def main():
    workload = sys.argv[1]
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    per_second = []
    source = TimedSource(seconds, per_second)
    if workload == "map":
        out = []
        run_main(map_flow(source, out))
        count = out[0][1] if out else 0
    else:
        totals = [0, 0]
        run_main(window_flow(source, totals))
        count = totals[1]
    for second, items in enumerate(per_second[:seconds], start=1):
        print(f"second={second} items={items}", flush=True)
    print(f"emitted={sum(per_second)} count={count}", flush=True)


if __name__ == "__main__":
    main()
