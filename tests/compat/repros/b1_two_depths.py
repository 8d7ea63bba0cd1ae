# Group B: one input, two stateful steps at different depths; both emit only at end of input.
import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

flow = Dataflow("b1")
inp = op.input("inp", flow, TestingSource([1]))
# Created first, but two steps further from the input.
deep = op.key_on("deep_key", op.map("deep_map", inp, lambda x: x + 10), lambda x: "k")
op.inspect("deep_out", op.reduce_final("deep_sum", deep, lambda a, b: a + b))
shallow = op.key_on("shallow_key", inp, lambda x: "k")
op.inspect("shallow_out", op.reduce_final("shallow_sum", shallow, lambda a, b: a + b))
