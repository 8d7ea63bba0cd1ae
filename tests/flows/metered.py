"""Ten items through a map, counted by a metric of the flow's own, then waits for `$STOP_FILE`."""

import os
import time

import bytewax.operators as op
from bytewax.connectors.stdio import StdOutSink
from bytewax.dataflow import Dataflow
from bytewax.inputs import DynamicSource, StatelessSourcePartition
from prometheus_client import Counter

DOUBLED = Counter("metered_doubled", "Items the flow doubled")


class _TenThenWait(StatelessSourcePartition):
    def __init__(self):
        self._sent = False

    def next_batch(self):
        if not self._sent:
            self._sent = True
            return list(range(10))
        if os.path.exists(os.environ["STOP_FILE"]):
            raise StopIteration()
        time.sleep(0.02)
        return []


class TenThenWait(DynamicSource):
    def build(self, step_id, worker_index, worker_count):
        return _TenThenWait()


def double(x):
    DOUBLED.inc()
    return x * 2


flow = Dataflow("metered")
numbers = op.input("inp", flow, TenThenWait())
op.output("out", op.map("double", numbers, double), StdOutSink())
