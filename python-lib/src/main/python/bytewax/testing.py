"""Helpers for testing dataflows: in-memory sources and sinks, and ways to run a flow."""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Iterator, List, Optional, TypeVar, Union

from bytewax._wax import engine as _engine
from bytewax.dataflow import Dataflow
from bytewax.inputs import (
    AbortExecution,
    FixedPartitionedSource,
    StatefulSourcePartition,
)
from bytewax.outputs import DynamicSink, StatelessSinkPartition

__all__ = [
    "TestingSink",
    "TestingSource",
    "TimeTestingGetter",
    "cluster_main",
    "ffwd_iter",
    "poll_next_batch",
    "run_main",
]

X = TypeVar("X")


def ffwd_iter(it: Iterator[Any], n: int) -> None:
    """Skip the next `n` items of an iterator."""
    for _ in range(n):
        next(it, None)


class _IterPartition(StatefulSourcePartition[X, int]):
    def __init__(self, items: Iterable[Any], batch_size: int, resume_state: Optional[int]):
        self._start = resume_state if resume_state is not None else 0
        self._batch_size = batch_size
        self._it = iter(items)
        # Resume: everything before the snapshotted index was already delivered.
        ffwd_iter(self._it, self._start)
        self._index = self._start
        self._eof = False
        self._abort = False
        self._awake: Optional[datetime] = None

    def next_batch(self) -> List[X]:
        if self._abort:
            raise AbortExecution()
        if self._eof:
            raise StopIteration()
        self._awake = None
        batch: List[X] = []
        for item in self._it:
            if isinstance(item, TestingSource.EOF):
                self._index += 1
                self._eof = True
                return batch
            if isinstance(item, TestingSource.ABORT):
                if not item._triggered:
                    item._triggered = True
                    self._abort = True
                    return batch
                continue
            if isinstance(item, TestingSource.PAUSE):
                self._index += 1
                self._awake = datetime.now(timezone.utc) + item.for_duration
                return batch
            self._index += 1
            batch.append(item)
            if len(batch) >= self._batch_size:
                return batch
        if not batch:
            raise StopIteration()
        return batch

    def next_awake(self) -> Optional[datetime]:
        return self._awake

    def snapshot(self) -> int:
        return self._index


class TestingSource(FixedPartitionedSource[X, int]):
    """Produces the items of an iterable, `batch_size` at a time.

    Place `TestingSource.EOF()` to end the input early (a resumed run continues after it),
    `TestingSource.ABORT()` to abort the execution once, and `TestingSource.PAUSE(duration)` to
    wait before the next item.
    """

    __test__ = False

    @dataclass
    class EOF:
        """End the input here; a resumed run continues after it."""

    @dataclass
    class ABORT:
        """Abort the execution here, the first time only."""

        _triggered: bool = False

    @dataclass
    class PAUSE:
        """Wait `for_duration` before the next item."""

        for_duration: timedelta

    def __init__(self, ib: Iterable[Union[X, "TestingSource.EOF", "TestingSource.ABORT"]], batch_size: int = 1):
        for marker in (TestingSource.EOF, TestingSource.ABORT):
            if isinstance(ib, (list, tuple)) and any(item is marker for item in ib):
                msg = f"`TestingSource.{marker.__name__}` must be instantiated; use `()`"
                raise ValueError(msg)
        self._ib = ib
        self._batch_size = batch_size

    def list_parts(self) -> List[str]:
        return ["iterable"]

    def build_part(self, step_id: str, for_part: str, resume_state: Optional[int]):
        return _IterPartition(self._ib, self._batch_size, resume_state)


class _ListPartition(StatelessSinkPartition[X]):
    def __init__(self, ls: List[X]):
        self._ls = ls

    def write_batch(self, items: List[X]) -> None:
        self._ls.extend(items)


class TestingSink(DynamicSink[X]):
    """Appends every item to the list `ls`."""

    __test__ = False

    def __init__(self, ls: List[X]):
        self._ls = ls

    def build(self, step_id: str, worker_index: int, worker_count: int):
        return _ListPartition(self._ls)


@dataclass
class TimeTestingGetter:
    """A controllable clock: `get()` returns `now`, `advance(td)` moves it."""

    now: datetime

    def advance(self, td: timedelta) -> None:
        self.now += td

    def get(self) -> datetime:
        return self.now


def poll_next_batch(part, timeout: timedelta = timedelta(seconds=5)) -> List[Any]:
    """Poll a source partition until it gives a non-empty batch; `TimeoutError` after `timeout`."""
    start = datetime.now(timezone.utc)
    while True:
        batch = list(part.next_batch())
        if batch:
            return batch
        if datetime.now(timezone.utc) - start > timeout:
            raise TimeoutError()
        time.sleep(0.001)


def run_main(flow: Dataflow, *, epoch_interval: Optional[timedelta] = None, recovery_config=None) -> None:
    """Run `flow` on one worker in this thread until it completes."""
    _engine.run(flow, epoch_interval=epoch_interval, recovery_config=recovery_config)


def cluster_main(
    flow: Dataflow,
    addresses: Optional[List[str]],
    proc_id: int,
    *,
    epoch_interval: Optional[timedelta] = None,
    recovery_config=None,
    worker_count_per_proc: int = 1,
) -> None:
    """Run `flow` as process `proc_id` of a cluster at `addresses` (`[]`: this process only).

    The `worker_count_per_proc` workers of this process take turns on this thread, so they can
    share Python objects such as a `TestingSink`'s list. (`wax run -w N` runs N workers in
    parallel, each with its own Python context.)
    """
    if addresses:
        msg = "multi-process clusters are not supported by this version of Wax yet"
        raise NotImplementedError(msg)
    _engine.run(
        flow,
        epoch_interval=epoch_interval,
        recovery_config=recovery_config,
        worker_count=worker_count_per_proc,
    )
