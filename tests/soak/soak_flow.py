"""The soak test's flow (run by `tests/soak/soak.py`): a source that never ends by itself counts
items per key with `fold_final`, under recovery.

Each of the source's `SOAK_PARTITIONS` partitions emits `(f"k{i % SOAK_KEYS}", 1)` for
i = 0, 1, 2, ... in batches, a batch every 50 ms. Once the file `SOAK_STOP_FILE` exists, each
partition writes the position it stopped at to `SOAK_POSITIONS_DIR/part-N` and ends, so
`fold_final` prints each key's count: from the positions alone the driver knows what every count
must be.
"""

import os
from datetime import datetime, timedelta, timezone

import bytewax.operators as op
from bytewax.connectors.stdio import StdOutSink
from bytewax.dataflow import Dataflow
from bytewax.inputs import FixedPartitionedSource, StatefulSourcePartition

KEYS = int(os.environ["SOAK_KEYS"])
PARTITIONS = int(os.environ["SOAK_PARTITIONS"])
BATCH = 500
PAUSE = timedelta(milliseconds=50)


class _Counting(StatefulSourcePartition):
    def __init__(self, part, position):
        self._part = part
        self._position = position
        self._awake = datetime.now(timezone.utc)

    def next_batch(self):
        if os.path.exists(os.environ["SOAK_STOP_FILE"]):
            path = os.path.join(os.environ["SOAK_POSITIONS_DIR"], f"part-{self._part}")
            with open(path, "w") as f:
                f.write(str(self._position))
            raise StopIteration()
        start = self._position
        self._position += BATCH
        self._awake = datetime.now(timezone.utc) + PAUSE
        return [(f"k{i % KEYS}", 1) for i in range(start, self._position)]

    def next_awake(self):
        return self._awake

    def snapshot(self):
        return self._position


class CountingSource(FixedPartitionedSource):
    def list_parts(self):
        return [str(p) for p in range(PARTITIONS)]

    def build_part(self, step_id, for_part, resume_state):
        return _Counting(int(for_part), resume_state or 0)


flow = Dataflow("soak")
items = op.input("inp", flow, CountingSource())
counts = op.fold_final("count", items, lambda: 0, lambda count, _one: count + 1)
op.output("out", counts, StdOutSink())
