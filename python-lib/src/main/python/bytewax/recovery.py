"""Recovery: snapshot state at every epoch close so a restarted dataflow resumes where it stopped.

Create the recovery partitions once with `init_db_dir` (or `wax recovery init DIR COUNT`), then run
with a `RecoveryConfig` (or `wax run ... -r DIR -s SECONDS -b SECONDS`). At each epoch close the
state of every key that changed, of every `FixedPartitionedSource` partition and of every written
`FixedPartitionedSink` partition is committed to the partitions (RocksDB databases). A run resumes
from the last epoch committed everywhere: state is exactly-once, output at-least-once (what was
written after the last commit is written again). The worker count may change between runs.
"""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Optional, Union

__all__ = [
    "CorruptedPartitionError",
    "InconsistentPartitionsError",
    "MissingPartitionsError",
    "NoPartitionsError",
    "RecoveryConfig",
    "init_db_dir",
]


class InconsistentPartitionsError(ValueError):
    """The recovery partitions are from different points in time; resuming would lose data."""


class MissingPartitionsError(FileNotFoundError):
    """Some recovery partitions are missing."""


class NoPartitionsError(FileNotFoundError):
    """No recovery partitions were found."""


class CorruptedPartitionError(OSError):
    """A recovery partition is damaged or unreadable; Wax never resumes from it silently."""


@dataclass(frozen=True)
class RecoveryConfig:
    """Where recovery partitions live, how long to keep old snapshots and how to encode state.

    `backup_interval` (default zero) keeps snapshots that newer ones superseded for that much
    longer, so a backup of the directory taken within it can still be resumed from.
    `snapshot_serde` (an object with `ser(obj)` and `de(data)`) encodes state; pickle by default.
    """

    db_dir: Union[Path, str]
    backup_interval: Optional[timedelta] = None
    snapshot_serde: Optional[Any] = None

    def __post_init__(self):
        if not isinstance(self.db_dir, (str, Path)):
            msg = f"`db_dir` must be a path; got a {type(self.db_dir)!r} instead"
            raise TypeError(msg)
        if self.backup_interval is not None:
            if not isinstance(self.backup_interval, timedelta):
                msg = "`backup_interval` must be a `datetime.timedelta`"
                raise TypeError(msg)
            if self.backup_interval < timedelta(0):
                msg = f"`backup_interval` can't be negative; got {self.backup_interval!r}"
                raise ValueError(msg)
        serde = self.snapshot_serde
        if serde is not None and not (callable(getattr(serde, "ser", None)) and callable(getattr(serde, "de", None))):
            msg = "`snapshot_serde` must have `ser` and `de` methods, like `bytewax.serde.Serde`"
            raise TypeError(msg)


def init_db_dir(db_dir: Union[Path, str], count: int) -> None:
    """Create `count` empty recovery partitions in the existing directory `db_dir`."""
    from bytewax._wax.engine import host, recovery_error

    if isinstance(count, bool) or not isinstance(count, int):
        msg = f"partition count must be an `int`; got a {type(count)!r} instead"
        raise TypeError(msg)
    if count < 1:
        msg = f"partition count must be at least 1; got {count}"
        raise ValueError(msg)
    failure = host().initRecovery(str(db_dir), count)
    if failure is not None:
        raise recovery_error(failure[0], failure[1])


def _main(argv=None) -> None:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m bytewax.recovery", description="Create empty recovery partitions."
    )
    parser.add_argument("db_dir", type=Path, help="existing directory to create the partitions in")
    parser.add_argument("part_count", type=int, help="how many partitions to create")
    args = parser.parse_args(argv)
    init_db_dir(args.db_dir, args.part_count)


if __name__ == "__main__":
    _main()
