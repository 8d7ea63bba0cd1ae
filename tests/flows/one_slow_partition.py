"""Runs for about 15 minutes unless stopped: one partition, one item every 10 ms, printed.

Stateless, so on several workers only the one reading the partition has work; the others
finish at once.
"""

import time

import bytewax.operators as op
from bytewax.connectors.stdio import StdOutSink
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource


def _slowly(item):
    time.sleep(0.01)
    return item


flow = Dataflow("one_slow_partition")
items = op.input("inp", flow, TestingSource(range(90_000)))
op.output("out", op.map("slowly", items, _slowly), StdOutSink())
