"""Items holding lambdas: fine on one worker, a clear error when they must cross workers."""

import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.connectors.stdio import StdOutSink
from bytewax.testing import TestingSource

flow = Dataflow("unpicklable")
nums = op.input("inp", flow, TestingSource(range(8)))
keyed = op.key_on("key", nums, str)
with_fns = op.map_value("attach", keyed, lambda x: (lambda: x))
called = op.stateful_map("call", with_fns, lambda state, fn: (state, fn()))
op.output("out", called, StdOutSink())
