"""Low-level input interfaces and input helpers.

Subclass `FixedPartitionedSource` for input that is split into a fixed set of resumable
partitions, or `DynamicSource` for input read on every worker. Pass an instance to
`bytewax.operators.input`.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import islice
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterable,
    Callable,
    Generic,
    Iterable,
    Iterator,
    List,
    Optional,
    Type,
    TypeVar,
)

if TYPE_CHECKING:  # asyncio takes seconds to import; only `batch_async` needs it
    import asyncio

__all__ = [
    "AbortExecution",
    "DynamicSource",
    "FixedPartitionedSource",
    "SimplePollingSource",
    "Source",
    "StatefulSourcePartition",
    "StatelessSourcePartition",
    "batch",
    "batch_async",
    "batch_getter",
    "batch_getter_ex",
]

X = TypeVar("X")
S = TypeVar("S")
# State of a `SimplePollingSource`; `SimplePollingSource[X]` means `None` (Bytewax gives this
# TypeVar a default through `typing_extensions`, which takes a second to import on GraalPy).
Sn = TypeVar("Sn")


class AbortExecution(RuntimeError):
    """Raise this from `next_batch` to abort for testing purposes."""


class Source(ABC, Generic[X]):  # noqa: B024
    """A location to read input items from. Subclass one of the two kinds below."""


class StatefulSourcePartition(ABC, Generic[X, S]):
    """Input partition that keeps state so it can resume where it left off."""

    @abstractmethod
    def next_batch(self) -> Iterable[X]:
        """The next items; raise `StopIteration` when the partition is complete."""
        ...

    def next_awake(self) -> Optional[datetime]:
        """When to call `next_batch` again; `None` means as soon as possible."""
        return None

    @abstractmethod
    def snapshot(self) -> S:
        """State to resume this partition from; called at the end of every epoch."""
        ...

    def close(self) -> None:
        """Clean up when the partition is done or the dataflow stops."""
        return


class FixedPartitionedSource(Source[X], Generic[X, S]):
    """An input with a fixed set of named partitions, spread over the workers."""

    @abstractmethod
    def list_parts(self) -> List[str]:
        """The keys of all partitions."""
        ...

    @abstractmethod
    def build_part(
        self, step_id: str, for_part: str, resume_state: Optional[S]
    ) -> StatefulSourcePartition[X, S]:
        """Build the partition `for_part`, resuming from `resume_state` if it is not `None`."""
        ...


class StatelessSourcePartition(ABC, Generic[X]):
    """Input partition that has no state to resume from."""

    @abstractmethod
    def next_batch(self) -> Iterable[X]:
        """The next items; raise `StopIteration` when the partition is complete."""
        ...

    def next_awake(self) -> Optional[datetime]:
        """When to call `next_batch` again; `None` means as soon as possible."""
        return None

    def close(self) -> None:
        """Clean up when the partition is done or the dataflow stops."""
        return


class DynamicSource(Source[X]):
    """An input built once on every worker."""

    @abstractmethod
    def build(
        self, step_id: str, worker_index: int, worker_count: int
    ) -> StatelessSourcePartition[X]:
        """Build this worker's partition."""
        ...


class _SimplePollingPartition(StatefulSourcePartition[X, Sn]):
    def __init__(self, now, interval, align_to, getter, snapshot):
        self._interval = interval
        self._getter = getter
        self._snapshot = snapshot
        if align_to is None:
            self._next_awake = now
        else:
            # The first poll is at the next multiple of `interval` after `align_to`.
            since = now - align_to
            steps = -(-since // interval)
            self._next_awake = align_to + steps * interval

    def next_batch(self) -> List[X]:
        try:
            item = self._getter()
            self._next_awake += self._interval
        except SimplePollingSource.Retry as retry:
            self._next_awake += retry.timeout
            return []
        return [] if item is None else [item]

    def next_awake(self) -> Optional[datetime]:
        return self._next_awake

    def snapshot(self) -> Any:
        return self._snapshot()


class SimplePollingSource(FixedPartitionedSource[X, Sn]):
    """Calls `next_item` every `interval`, optionally aligned to `align_to`.

    Return `None` from `next_item` for no item this time, or raise `SimplePollingSource.Retry`
    to poll again sooner.
    """

    def __class_getitem__(cls, params):
        """`SimplePollingSource[X]` is `SimplePollingSource[X, None]`, as in Bytewax."""
        if not isinstance(params, tuple):
            params = (params, None)
        return super().__class_getitem__(params)

    @dataclass
    class Retry(Exception):
        """Raise from `next_item` to try again after `timeout`."""

        timeout: timedelta

    def __init__(self, interval: timedelta, align_to: Optional[datetime] = None):
        self._interval = interval
        self._align_to = align_to

    def list_parts(self) -> List[str]:
        return ["singleton"]

    def build_part(self, step_id: str, for_part: str, resume_state: Optional[Any]):
        if resume_state is not None:
            self.resume(resume_state)
        now = datetime.now(timezone.utc)
        return _SimplePollingPartition(
            now, self._interval, self._align_to, self.next_item, self.snapshot
        )

    @abstractmethod
    def next_item(self) -> Optional[X]:
        """The next item, or `None` for nothing this time."""
        ...

    def snapshot(self) -> Any:
        """State to resume from; `None` by default."""
        return None

    def resume(self, resume_state: Any) -> None:
        """Restore state returned by `snapshot`; called before the first `next_item`."""
        return


def batch(ib: Iterable[X], batch_size: int) -> Iterator[List[X]]:
    """Lists of up to `batch_size` consecutive items of `ib`."""
    it = iter(ib)
    while True:
        chunk = list(islice(it, batch_size))
        if not chunk:
            return
        yield chunk


def batch_getter(
    getter: Callable[[], X], batch_size: int, yield_on: Optional[X] = None
) -> Iterator[List[X]]:
    """Batches of `getter()` results, ending a batch early when it returns `yield_on`."""
    while True:
        chunk = []
        while len(chunk) < batch_size:
            try:
                item = getter()
            except StopIteration:
                yield chunk
                return
            if item == yield_on:
                break
            chunk.append(item)
        yield chunk


def batch_getter_ex(
    getter: Callable[[], X], batch_size: int, yield_ex: Optional[Type[Exception]] = None
) -> Iterator[List[X]]:
    """Batches of `getter()` results, ending a batch early when it raises `yield_ex`.

    `yield_ex` defaults to `queue.Empty`.
    """
    if yield_ex is None:
        import queue

        yield_ex = queue.Empty
    while True:
        chunk = []
        while len(chunk) < batch_size:
            try:
                item = getter()
            except yield_ex:
                break
            except StopIteration:
                yield chunk
                return
            chunk.append(item)
        yield chunk


def batch_async(
    aib: AsyncIterable[X],
    timeout: timedelta,
    batch_size: int,
    loop: Optional["asyncio.AbstractEventLoop"] = None,
) -> Iterator[List[X]]:
    """Batches from an async iterator: each waits at most `timeout` or `batch_size` items."""
    import asyncio

    loop = loop if loop is not None else asyncio.new_event_loop()
    ait = aib.__aiter__()

    async def next_batch():
        chunk = []

        async def fill():
            while len(chunk) < batch_size:
                chunk.append(await ait.__anext__())

        try:
            await asyncio.wait_for(fill(), timeout.total_seconds())
        except asyncio.TimeoutError:
            pass
        except StopAsyncIteration:
            if not chunk:
                raise
        return chunk

    while True:
        try:
            yield loop.run_until_complete(next_batch())
        except StopAsyncIteration:
            return
