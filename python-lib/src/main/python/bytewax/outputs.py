"""Low-level output interfaces.

Subclass `FixedPartitionedSink` for output split into a fixed set of resumable partitions (it
takes `(key, value)` items and routes each key to one partition), or `DynamicSink` for output
written on every worker. Pass an instance to `bytewax.operators.output`.
"""

import zlib
from abc import ABC, abstractmethod
from typing import Generic, List, Optional, Tuple, TypeVar

__all__ = [
    "DynamicSink",
    "FixedPartitionedSink",
    "Sink",
    "StatefulSinkPartition",
    "StatelessSinkPartition",
]

X = TypeVar("X")
V = TypeVar("V")
S = TypeVar("S")


class Sink(ABC, Generic[X]):  # noqa: B024
    """A location to write output items to. Subclass one of the two kinds below."""


class StatefulSinkPartition(ABC, Generic[V, S]):
    """Output partition that keeps state so it can resume where it left off."""

    @abstractmethod
    def write_batch(self, values: List[V]) -> None:
        """Write a batch of values."""
        ...

    @abstractmethod
    def snapshot(self) -> S:
        """State to resume this partition from; called at the end of every epoch."""
        ...

    def close(self) -> None:
        """Clean up when the dataflow stops."""
        return


class FixedPartitionedSink(Sink[Tuple[str, V]], Generic[V, S]):
    """An output with a fixed set of named partitions; takes `(key, value)` items."""

    @abstractmethod
    def list_parts(self) -> List[str]:
        """The keys of all partitions."""
        ...

    def part_fn(self, item_key: str) -> int:
        """The partition index for a key (taken modulo the number of partitions)."""
        return zlib.adler32(item_key.encode())

    @abstractmethod
    def build_part(
        self, step_id: str, for_part: str, resume_state: Optional[S]
    ) -> StatefulSinkPartition[V, S]:
        """Build the partition `for_part`, resuming from `resume_state` if it is not `None`."""
        ...


class StatelessSinkPartition(ABC, Generic[X]):
    """Output partition with no state."""

    @abstractmethod
    def write_batch(self, items: List[X]) -> None:
        """Write a batch of items."""
        ...

    def close(self) -> None:
        """Clean up when the dataflow stops."""
        return


class DynamicSink(Sink[X]):
    """An output built once on every worker."""

    @abstractmethod
    def build(
        self, step_id: str, worker_index: int, worker_count: int
    ) -> StatelessSinkPartition[X]:
        """Build this worker's partition."""
        ...
