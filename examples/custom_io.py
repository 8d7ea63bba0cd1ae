from typing import List, Optional

import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.inputs import FixedPartitionedSource, StatefulSourcePartition
from bytewax.outputs import DynamicSink, StatelessSinkPartition


class CountingPartition(StatefulSourcePartition):
    """Emits `name-0`, `name-1`, ... one per batch, then ends."""

    def __init__(self, name: str, limit: int, resume_state: Optional[int]):
        self._name = name
        self._limit = limit
        self._next = 0 if resume_state is None else resume_state

    def next_batch(self) -> List[str]:
        if self._next >= self._limit:
            raise StopIteration()
        item = f"{self._name}-{self._next}"
        self._next += 1
        return [item]

    def snapshot(self) -> int:
        return self._next


class TwoPartSource(FixedPartitionedSource):
    """Partition "a" yields 2 items, partition "b" yields 3."""

    # Listed out of order on purpose: the runtime keeps partitions
    # sorted by key, so "a" is still read before "b" in each round.
    LIMITS = {"b": 3, "a": 2}

    def list_parts(self) -> List[str]:
        return list(self.LIMITS)

    def build_part(self, step_id, for_part, resume_state):
        return CountingPartition(for_part, self.LIMITS[for_part], resume_state)


class PrefixPartition(StatelessSinkPartition):
    def __init__(self, prefix: str):
        self._prefix = prefix

    def write_batch(self, items: List[str]) -> None:
        for item in items:
            print(f"{self._prefix} {item}")

    def close(self) -> None:
        print(f"{self._prefix} closed")


class PrefixSink(DynamicSink):
    def __init__(self, label: str):
        self._label = label

    def build(self, step_id, worker_index, worker_count):
        return PrefixPartition(f"[{self._label} {worker_index}/{worker_count}]")


flow = Dataflow("custom_io")
items = op.input("inp", flow, TwoPartSource())
upper = op.map("shout", items, str.upper)
op.output("out", upper, PrefixSink("sink"))
