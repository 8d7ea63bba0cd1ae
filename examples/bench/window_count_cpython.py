"""Baseline for window_count.py: the same key and time lambdas in a plain CPython dict loop.

Run with `python3 examples/bench/window_count_cpython.py [N] [RUNS]`; same output format.
"""

import sys
import time
from datetime import datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
LENGTH = timedelta(seconds=10)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    key = lambda i: str(((i * 2654435761) >> 16) % 1000)  # noqa: E731
    event_time = lambda i: EPOCH + timedelta(milliseconds=i)  # noqa: E731
    for run in range(1, runs + 1):
        counts = {}
        start = time.perf_counter()
        for i in range(n):
            window_id = (event_time(i) - EPOCH) // LENGTH
            k = (key(i), window_id)
            counts[k] = counts.get(k, 0) + 1
        seconds = time.perf_counter() - start
        print(
            f"run={run} items={n} seconds={seconds:.3f} items_per_s={n / seconds:.0f} "
            f"count={sum(counts.values())} windows={len(counts)}",
            flush=True,
        )


if __name__ == "__main__":
    main()
