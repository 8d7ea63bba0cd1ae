import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

flow = Dataflow("inspect_debug")
fruits = op.input("inp", flow, TestingSource(["apple", "kiwi"]))
# The default printer shows the step id, worker index and epoch.
op.inspect_debug("raw", fruits)
lengths = op.map("length", fruits, len)
op.inspect_debug("len", lengths)
