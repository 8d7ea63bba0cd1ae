"""Baseline for warmup.py: the same workloads as plain CPython loops, items per second.

Run with `python3 examples/bench/warmup_cpython.py WORKLOAD [SECONDS]`; same output format.
"""

import sys
import time
from datetime import datetime, timedelta, timezone

BATCH_SIZE = 10_000
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
LENGTH = timedelta(seconds=10)


def map_batch(counts, start):
    double = lambda x: x * 2  # noqa: E731
    keep = lambda x: x % 3 != 0  # noqa: E731
    for x in range(start, start + BATCH_SIZE):
        y = double(x)
        if keep(y):
            counts["ALL"] = counts.get("ALL", 0) + 1


def window_batch(counts, start):
    key = lambda i: str(((i * 2654435761) >> 16) % 1000)  # noqa: E731
    event_time = lambda i: EPOCH + timedelta(milliseconds=i)  # noqa: E731
    for i in range(start, start + BATCH_SIZE):
        k = (key(i), (event_time(i) - EPOCH) // LENGTH)
        counts[k] = counts.get(k, 0) + 1


def main():
    batch = map_batch if sys.argv[1] == "map" else window_batch
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    counts = {}
    per_second = []
    start = time.perf_counter()
    second_ends = start + 1
    in_second = 0
    emitted = 0
    while True:
        now = time.perf_counter()
        while now >= second_ends:
            per_second.append(in_second)
            in_second = 0
            second_ends += 1
        if now >= start + seconds:
            break
        batch(counts, emitted)
        emitted += BATCH_SIZE
        in_second += BATCH_SIZE
    for second, items in enumerate(per_second[:seconds], start=1):
        print(f"second={second} items={items}", flush=True)
    print(f"emitted={sum(per_second)} count={sum(counts.values())}", flush=True)


if __name__ == "__main__":
    main()
