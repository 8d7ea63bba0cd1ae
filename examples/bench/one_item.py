"""The smallest flow: one item to standard output. `wax bench` times `wax run` on it."""

import bytewax.operators as op
from bytewax.connectors.stdio import StdOutSink
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

flow = Dataflow("one_item")
op.output("out", op.input("inp", flow, TestingSource([1])), StdOutSink())
