"""Sources for trying dataflows out without any outside system."""

import random
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, List, Optional, Tuple, TypeVar

from bytewax.inputs import FixedPartitionedSource, StatefulSourcePartition

__all__ = ["RandomMetricSource"]

X = TypeVar("X")


@dataclass
class _RandomMetricState:
    awake_at: datetime
    count: int


@dataclass
class _RandomMetricPartition(StatefulSourcePartition[Tuple[str, float], _RandomMetricState]):
    metric_name: str
    interval: timedelta
    count: int
    next_random: Callable[[], float]
    state: _RandomMetricState

    def next_batch(self) -> List[Tuple[str, float]]:
        # The next wake-up follows the last one, not the clock, so a late poll catches up.
        self.state.awake_at += self.interval
        self.state.count += 1
        if self.state.count > self.count:
            raise StopIteration()
        return [(self.metric_name, self.next_random())]

    def next_awake(self) -> Optional[datetime]:
        return self.state.awake_at

    def snapshot(self) -> _RandomMetricState:
        return self.state


def _random_digit() -> float:
    return random.randrange(0, 10)


@dataclass
class RandomMetricSource(FixedPartitionedSource[Tuple[str, float], _RandomMetricState]):
    """Emits `(metric_name, value)` 2-tuples of random values, one every `interval`.

    One partition, named after the metric. `count` values in all (endless by default);
    `next_random` makes each value (by default a random `int` from 0 to 9). Merge several
    inputs to get several metrics.
    """

    def __init__(
        self,
        metric_name: str,
        interval: timedelta = timedelta(seconds=0.7),
        count: int = sys.maxsize,
        next_random: Callable[[], float] = _random_digit,
    ):
        self._metric_name = metric_name
        self._interval = interval
        self._count = count
        self._next_random = next_random

    def list_parts(self) -> List[str]:
        return [self._metric_name]

    def build_part(
        self, step_id: str, for_part: str, resume_state: Optional[_RandomMetricState]
    ) -> _RandomMetricPartition:
        if resume_state is None:
            resume_state = _RandomMetricState(datetime.now(timezone.utc), 0)
        return _RandomMetricPartition(for_part, self._interval, self._count, self._next_random, resume_state)
