# Group A: a stateful step's end-of-input output among the items of another, longer input.
import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

flow = Dataflow("a1")
long = op.input("long", flow, TestingSource([1, 2, 3, 4]))
short = op.input("short", flow, TestingSource(["x"]))
op.inspect("long_item", long)
counts = op.count_final("count", short, lambda x: "k")
op.inspect("counted", counts)
