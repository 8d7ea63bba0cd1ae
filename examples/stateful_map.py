import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

flow = Dataflow("stateful_map")
readings = op.input(
    "inp",
    flow,
    TestingSource(
        [("a", 4), ("b", 10), ("a", 6), ("b", 20), ("a", 8), ("a", "reset"), ("a", 5)]
    ),
)


def running_sum(total, value):
    if value == "reset":
        # Returning None as the state forgets this key.
        return (None, 0)
    total = (total or 0) + value
    return (total, total)


def running_avg(state, value):
    if value == "reset":
        return (None, "reset")
    count, total = state if state is not None else (0, 0)
    count += 1
    total += value
    return ((count, total), total / count)


sums = op.stateful_map("running_sum", readings, running_sum)
avgs = op.stateful_map("running_avg", readings, running_avg)
op.inspect("show_sum", sums)
op.inspect("show_avg", avgs)
