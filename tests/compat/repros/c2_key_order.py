# Group C, keyed: collect emits "z" when full (on its batch) and "a" at EOF; a stateful step
# downstream sees them in two steps in Bytewax, in one batch (so in key order) in Wax.
from datetime import timedelta

import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

flow = Dataflow("c2")
inp = op.input("inp", flow, TestingSource(["z", "z", "a"]))
counts = op.count_final("count", inp, lambda x: x)  # ('a', 1), ('z', 2) at EOF
items = op.flat_map_value("expand", counts, lambda n: range(n))
lists = op.collect("collect", items, timeout=timedelta(hours=1), max_size=2)
numbered = op.stateful_map("number", lists, lambda s, v: ((s or 0) + 1, v))
op.inspect("out", numbered)
