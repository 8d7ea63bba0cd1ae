"""Standard output and input."""

import sys
from typing import Any, List

from bytewax.outputs import DynamicSink, StatelessSinkPartition

__all__ = ["StdOutSink"]


class _PrintPartition(StatelessSinkPartition[Any]):
    def write_batch(self, items: List[Any]) -> None:
        for item in items:
            sys.stdout.write(f"{item}\n")
        sys.stdout.flush()


class StdOutSink(DynamicSink[Any]):
    """Prints `str(item)` of every item on its own line."""

    def build(self, step_id: str, worker_index: int, worker_count: int):
        return _PrintPartition()
