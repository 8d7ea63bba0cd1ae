"""Runs for two minutes unless stopped: two partitions, one item each per 20 ms, counted by key."""

from datetime import datetime, timedelta, timezone

import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.inputs import FixedPartitionedSource, StatefulSourcePartition
from bytewax.outputs import DynamicSink, StatelessSinkPartition


class _Ticks(StatefulSourcePartition):
    def __init__(self, name):
        self._name = name
        self._n = 0
        self._until = datetime.now(timezone.utc) + timedelta(minutes=2)

    def next_batch(self):
        if datetime.now(timezone.utc) > self._until:
            raise StopIteration()
        self._n += 1
        return [(f"{self._name}-{self._n % 5}", 1)]

    def next_awake(self):
        return datetime.now(timezone.utc) + timedelta(milliseconds=20)

    def snapshot(self):
        return self._n


class Ticks(FixedPartitionedSource):
    def list_parts(self):
        return ["a", "b"]

    def build_part(self, step_id, for_part, resume_state):
        return _Ticks(for_part)


class _Print(StatelessSinkPartition):
    def write_batch(self, items):
        for item in items:
            print(item, flush=True)


class Print(DynamicSink):
    def build(self, step_id, worker_index, worker_count):
        return _Print()


flow = Dataflow("endless")
ticks = op.input("inp", flow, Ticks())
counts = op.stateful_map("count", ticks, lambda n, x: ((n or 0) + x, (n or 0) + x))
op.output("out", counts, Print())
