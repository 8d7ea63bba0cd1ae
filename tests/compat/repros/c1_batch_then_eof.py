# Group C: a stateful step gets its last items and end of input together (they come from a
# count_final); what it emits for the batch and at EOF reaches downstream steps differently.
import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.operators import StatefulBatchLogic
from bytewax.testing import TestingSource


class CountBatches(StatefulBatchLogic):
    """Emits (batch size, running count) per batch and a summary at EOF."""

    def __init__(self, resume):
        self.n = resume or 0

    def on_batch(self, values):
        self.n += len(values)
        return [(len(values), self.n)], False

    def on_eof(self):
        return [("eof", self.n)], True

    def snapshot(self):
        return self.n


flow = Dataflow("c1")
inp = op.input("inp", flow, TestingSource(["a"]))
counts = op.count_final("count", inp, lambda x: "k")
sb = op.stateful_batch("sb", counts, CountBatches)
op.inspect("sb_out", sb)
op.inspect("downstream", op.map("m", sb, lambda kv: kv[1]))
