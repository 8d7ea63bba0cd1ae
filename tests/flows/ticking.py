"""A number every 20 ms through a map, until `$STOP_FILE` exists."""

import os
import time

import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.inputs import DynamicSource, StatelessSourcePartition
from bytewax.outputs import DynamicSink, StatelessSinkPartition


class _Ticks(StatelessSourcePartition):
    def __init__(self):
        self._n = 0

    def next_batch(self):
        if os.path.exists(os.environ["STOP_FILE"]):
            raise StopIteration()
        time.sleep(0.02)
        self._n += 1
        return [self._n]


class Ticks(DynamicSource):
    def build(self, step_id, worker_index, worker_count):
        return _Ticks()


class _Discard(StatelessSinkPartition):
    def write_batch(self, items):
        pass


class Discard(DynamicSink):
    def build(self, step_id, worker_index, worker_count):
        return _Discard()


flow = Dataflow("ticking")
ticks = op.input("inp", flow, Ticks())
op.output("out", op.map("double", ticks, lambda x: x * 2), Discard())
