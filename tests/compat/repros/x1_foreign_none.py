# Bug (not order): the None that stateful_map gives its mapper as the first state is a GraalPy
# 'ForeignNone' in Wax. Passed downstream into a step that keeps its state (join never
# discards), it breaks that step's snapshot (deepcopy) when the last epoch closes.
import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

flow = Dataflow("x1")
inp = op.input("inp", flow, TestingSource([1]))
keyed = op.key_on("key", inp, lambda x: "k")
prev = op.stateful_map("prev", keyed, lambda st, v: (v, (st, type(st).__name__)))
op.inspect("prev_out", prev)
op.inspect("joined", op.join("join", prev, emit_mode="running"))
