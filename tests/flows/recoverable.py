"""Two partitions of 150 numbers each, one per 10 ms, summed per key: a flow to crash and resume.

Each partition resumes from its snapshot (the next number); the running sums are the state
recovery must keep exactly. Prints `(key, sum)` for every number.
"""

from datetime import datetime, timedelta, timezone

import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.inputs import FixedPartitionedSource, StatefulSourcePartition
from bytewax.outputs import DynamicSink, StatelessSinkPartition

COUNT = 150


class _Numbers(StatefulSourcePartition):
    def __init__(self, name, start):
        self._name = name
        self._n = start

    def next_batch(self):
        if self._n >= COUNT:
            raise StopIteration()
        self._n += 1
        return [(f"{self._name}-{self._n % 3}", self._n)]

    def next_awake(self):
        return datetime.now(timezone.utc) + timedelta(milliseconds=10)

    def snapshot(self):
        return self._n


class Numbers(FixedPartitionedSource):
    def list_parts(self):
        return ["a", "b"]

    def build_part(self, step_id, for_part, resume_state):
        return _Numbers(for_part, resume_state or 0)


class _Print(StatelessSinkPartition):
    def write_batch(self, items):
        for item in items:
            print(item, flush=True)


class Print(DynamicSink):
    def build(self, step_id, worker_index, worker_count):
        return _Print()


def _add(total, n):
    total = (total or 0) + n
    return total, total


flow = Dataflow("recoverable")
sums = op.stateful_map("sum", op.input("inp", flow, Numbers()), _add)
op.output("out", sums, Print())
