"""Recovery: snapshot state so a restarted dataflow resumes where it stopped.

Wax accepts the recovery API now; running with recovery arrives in a later version and until
then says so clearly.
"""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Optional, Union

__all__ = [
    "InconsistentPartitionsError",
    "MissingPartitionsError",
    "NoPartitionsError",
    "RecoveryConfig",
    "init_db_dir",
]

_NOT_YET = "recovery is not supported by this version of Wax yet"


class InconsistentPartitionsError(ValueError):
    """The recovery partitions are from different points in time; resuming would lose data."""


class MissingPartitionsError(FileNotFoundError):
    """Some recovery partitions are missing."""


class NoPartitionsError(FileNotFoundError):
    """No recovery partitions were found."""


@dataclass(frozen=True)
class RecoveryConfig:
    """Where recovery partitions live and how long to keep old snapshots."""

    db_dir: Union[Path, str]
    backup_interval: Optional[timedelta] = None
    snapshot_serde: Optional[Any] = None


def init_db_dir(db_dir: Union[Path, str], count: int) -> None:
    """Create `count` empty recovery partitions in `db_dir`."""
    raise NotImplementedError(_NOT_YET)


if __name__ == "__main__":
    raise SystemExit(f"python -m bytewax.recovery: {_NOT_YET}")
