import bytewax.operators as op
from bytewax.connectors.stdio import StdOutSink
from bytewax.dataflow import Dataflow
from bytewax.operators import StatefulBatchLogic
from bytewax.testing import TestingSource


class GroupOfThree(StatefulBatchLogic):
    """Gathers values per key; emits once 3 are held, or at the end."""

    def __init__(self, held):
        self.held = held

    def on_batch(self, values):
        print(f"batch {values}")
        self.held.extend(values)
        if len(self.held) >= 3:
            return [("full", self.held)], StatefulBatchLogic.DISCARD
        return [], StatefulBatchLogic.RETAIN

    def on_eof(self):
        return [("eof", self.held)], StatefulBatchLogic.DISCARD

    def snapshot(self):
        return list(self.held)


def build(resume_state):
    return GroupOfThree(list(resume_state) if resume_state is not None else [])


flow = Dataflow("stateful_batch")
items = [("x", 1), ("y", 2), ("x", 3), ("y", 4), ("x", 5), ("x", 6), ("y", 7), ("z", 9)]
# Three items per batch, so one key can get several values at once.
keyed = op.input("inp", flow, TestingSource(items, batch_size=3))
groups = op.stateful_batch("group", keyed, build)
op.output("print", groups, StdOutSink())
