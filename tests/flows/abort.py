"""A source that aborts the run after two items: every process stops at once, without error."""

import bytewax.operators as op
from bytewax.connectors.stdio import StdOutSink
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

flow = Dataflow("abort")
nums = op.input("inp", flow, TestingSource([1, 2, TestingSource.ABORT(), 3]))
keyed = op.key_on("key", nums, str)
op.output("out", keyed, StdOutSink())
