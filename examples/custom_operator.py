import bytewax.operators as op
from bytewax.dataflow import Dataflow, Stream, operator
from bytewax.testing import TestingSource


@operator
def add_then_double(step_id: str, up: Stream[int], amount: int) -> Stream[int]:
    """Add `amount`, show the sum, then double it."""
    added = op.map("add", up, lambda x: x + amount)
    op.inspect("peek", added)
    return op.map("double", added, lambda x: x * 2)


@operator
def pipeline(step_id: str, up: Stream[int]) -> Stream[int]:
    """Nests the operator above one level deeper."""
    doubled = add_then_double("step1", up, 10)
    big = op.filter("keep_big", doubled, lambda x: x > 22)
    return op.inspect("kept", big)


flow = Dataflow("custom_operator")
nums = op.input("inp", flow, TestingSource([1, 2, 3]))
result = nums.then(pipeline, "pipe")
op.inspect("out", result)
