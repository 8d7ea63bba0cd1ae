import bytewax.operators as op
from bytewax.connectors.stdio import StdOutSink
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

flow = Dataflow("user_error")
nums = op.input("inp", flow, TestingSource([5, 2, 0, 1]))
# The third item is 0, so this step fails and stops the dataflow.
quotients = op.map("invert", nums, lambda x: 10 / x)
op.output("print", quotients, StdOutSink())
