"""Baseline for map_filter_count.py: the same three lambdas in a plain CPython loop.

Run with `python3 examples/bench/map_filter_count_cpython.py [N] [RUNS]`; same output format.
"""

import sys
import time


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    double = lambda x: x * 2  # noqa: E731
    keep = lambda x: x % 3 != 0  # noqa: E731
    key = lambda _x: "ALL"  # noqa: E731
    for run in range(1, runs + 1):
        counts = {}
        start = time.perf_counter()
        for x in range(n):
            y = double(x)
            if keep(y):
                k = key(y)
                counts[k] = counts.get(k, 0) + 1
        seconds = time.perf_counter() - start
        print(
            f"run={run} items={n} seconds={seconds:.3f} items_per_s={n / seconds:.0f} "
            f"count={counts['ALL']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
