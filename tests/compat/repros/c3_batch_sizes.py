# Group C with different items: the first stateful_batch emits on its batch and at EOF; Bytewax
# hands those to the second one in two batches (two scheduler steps), Wax in one batch.
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


flow = Dataflow("c3")
inp = op.input("inp", flow, TestingSource(["a"]))
counts = op.count_final("count", inp, lambda x: "k")  # reaches `first` with its EOF
first = op.stateful_batch("first", counts, CountBatches)
second = op.stateful_batch("second", first, CountBatches)
op.inspect("second_out", second)
