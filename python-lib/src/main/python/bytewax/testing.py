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
    "test_cluster",
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
    _engine.run(
        flow,
        epoch_interval=epoch_interval,
        recovery_config=recovery_config,
        worker_count=worker_count_per_proc,
        addresses=addresses,
        process_id=proc_id,
    )


def _import_str_of(flow: Dataflow) -> str:
    """Where another process can import `flow` from: a module attribute holding it."""
    import sys

    for name, module in list(sys.modules.items()):
        for attr, value in list(getattr(module, "__dict__", {}).items()):
            if value is flow:
                if name == "__main__":
                    path = getattr(module, "__file__", None)
                    if path is None:
                        break
                    return f"{path}:{attr}"
                return f"{name}:{attr}"
    msg = (
        "`test_cluster` starts new processes that import the dataflow again, so the flow must "
        "be a module-level variable of an importable module or script"
    )
    raise ValueError(msg)


def _spawn_cluster(import_str: str, processes: int, workers_per_process: int, extra=()) -> int:
    """Start `processes` processes running `import_str` on free loopback ports; wait for all."""
    import socket
    import sys

    sockets = [socket.socket() for _ in range(processes)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
            s.listen()  # GraalPy reports the port given out only once the socket listens.
        addresses = ";".join(f"127.0.0.1:{s.getsockname()[1]}" for s in sockets)
    finally:
        for s in sockets:
            s.close()
    commands = [
        [sys.executable, "-m", "bytewax.run", import_str, "-w", str(workers_per_process),
         "-i", str(proc_id), "-a", addresses, *extra]
        for proc_id in range(processes)
    ]
    # The host starts them: it knows their real process ids, to pass Ctrl-C on.
    status, interrupted = _engine.host().spawnCluster(commands)
    if interrupted:
        raise KeyboardInterrupt
    return status


def test_cluster(
    flow: Dataflow,
    *,
    epoch_interval: Optional[timedelta] = None,
    recovery_config=None,
    processes: int = 1,
    workers_per_process: int = 1,
) -> None:
    """Run `flow` as a local cluster of `processes` new processes; block until all end.

    Each process imports the flow again, so `flow` must be a module-level variable. With a
    `recovery_config`, every process resumes from and snapshots into its `db_dir`.
    """
    from bytewax.errors import BytewaxRuntimeError

    extra = []
    if epoch_interval is not None or recovery_config is not None:
        seconds = (epoch_interval or timedelta(seconds=10)).total_seconds()
        extra = ["-s", str(seconds)]
    if recovery_config is not None:
        if recovery_config.snapshot_serde is not None:
            msg = "`test_cluster` can't hand a `snapshot_serde` to new processes; they pickle state"
            raise ValueError(msg)
        backup = recovery_config.backup_interval or timedelta(0)
        extra += ["-r", str(recovery_config.db_dir), "-b", str(backup.total_seconds())]
    status = _spawn_cluster(_import_str_of(flow), processes, workers_per_process, extra)
    if status != 0:
        msg = f"a process of the test cluster failed with exit status {status}"
        raise BytewaxRuntimeError(msg)


def _main() -> None:
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m bytewax.testing", description="Run a bytewax dataflow as a local cluster"
    )
    parser.add_argument("import_str", help="Dataflow import string, as for `bytewax.run`")
    parser.add_argument("-p", "--processes", type=int, default=1, help="Number of separate processes to run")
    parser.add_argument("-w", "--workers-per-process", type=int, default=1, help="Number of workers for each process")
    parser.add_argument("-s", "--snapshot-interval", type=float, help="System time duration in seconds of each epoch")
    args = parser.parse_args()
    if args.processes < 1 or args.workers_per_process < 1:
        parser.error("-p and -w must be at least 1")
    extra = [] if args.snapshot_interval is None else ["-s", str(args.snapshot_interval)]
    sys.exit(_spawn_cluster(args.import_str, args.processes, args.workers_per_process, extra))


if __name__ == "__main__":
    _main()
