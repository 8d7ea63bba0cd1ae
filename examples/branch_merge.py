import bytewax.operators as op
from bytewax.connectors.stdio import StdOutSink
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

flow = Dataflow("branch_merge")
# Two numbers per batch, so each round carries one even and one odd.
nums = op.input("inp", flow, TestingSource(range(1, 7), batch_size=2))
split = op.branch("parity", nums, lambda x: x % 2 == 0)
evens = op.map("times_ten", split.trues, lambda x: x * 10)
odds = op.map("negate", split.falses, lambda x: -x)
# Within a batch, items from the first merged stream come out first.
both = op.merge("merge", evens, odds)
op.output("print", both, StdOutSink())
