#!/usr/bin/env python3
"""Soak test of a recovering cluster: `python3 tests/soak/soak.py [--minutes 30] [--kill-every 120]`.

Two processes of two workers each run `soak_flow.py` with recovery (1-second epochs) on a source
that never ends by itself. Every `--kill-every` seconds one process (in turn) is killed with
SIGKILL; the other stops on losing it, and both start again, resuming from recovery. At the end
the source is told to stop, and every key's count must be exactly what the source emitted:
nothing lost, nothing counted twice. It prints each process's peak RSS (VmHWM of its JVM) and
fails if a count is wrong, a process does not stop or start, or a peak exceeds `--rss-limit-mb`
(each JVM runs with `-Xmx` of `--heap`).
"""

import argparse
import ast
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLOW = ROOT / "tests/soak/soak_flow.py"
KEYS = 10_000
PARTITIONS = 4


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def peak_rss_kb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Cluster:
    def __init__(self, work, addresses, env):
        self.work = work
        self.addresses = addresses
        self.env = env
        self.processes = []
        self.peaks = [0, 0]
        self.starts = 0

    def start(self):
        self.starts += 1
        self.processes = []
        for i in range(2):
            out = open(self.work / f"out-{i}-{self.starts}.txt", "w")
            err = open(self.work / f"err-{i}.txt", "a")
            command = [str(ROOT / "bin/wax"), "run", str(FLOW), "-w", "2", "-i", str(i), "-a", self.addresses,
                       "-r", str(self.work / "db"), "-s", "1", "-b", "10"]
            self.processes.append(subprocess.Popen(command, stdout=out, stderr=err, env=self.env, cwd=ROOT))

    def sample(self):
        for i, p in enumerate(self.processes):
            self.peaks[i] = max(self.peaks[i], peak_rss_kb(p.pid))

    def wait_all(self, timeout):
        deadline = time.monotonic() + timeout
        for p in self.processes:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        return [p.returncode for p in self.processes]


def expected_counts(positions, keys):
    counts = {}
    for position in positions:
        whole, rest = divmod(position, keys)
        for k in range(keys):
            counts[f"k{k}"] = counts.get(f"k{k}", 0) + whole + (1 if k < rest else 0)
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--kill-every", type=float, default=120, help="seconds between kills")
    parser.add_argument("--rss-limit-mb", type=int, default=2048)
    parser.add_argument("--heap", default="1g", help="each JVM's -Xmx: without it the JVM may take a"
                        " quarter of the machine's memory, and RSS follows")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="wax-soak-"))
    (work / "db").mkdir()
    (work / "positions").mkdir()
    stop = work / "stop"
    java_opts = (os.environ.get("WAX_JAVA_OPTS", "") + f" -Xmx{args.heap}").strip()
    env = dict(os.environ, WAX_DAEMON="0", WAX_CLUSTER_SECRET=os.urandom(32).hex(), WAX_JAVA_OPTS=java_opts,
               SOAK_STOP_FILE=str(stop), SOAK_POSITIONS_DIR=str(work / "positions"),
               SOAK_KEYS=str(KEYS), SOAK_PARTITIONS=str(PARTITIONS))
    init = subprocess.run([str(ROOT / "bin/wax"), "recovery", "init", str(work / "db"), "4"], env=env)
    if init.returncode != 0:
        sys.exit("soak: wax recovery init failed")
    addresses = ";".join(f"127.0.0.1:{p}" for p in free_ports(2))
    cluster = Cluster(work, addresses, env)
    print(f"soak: {args.minutes} min, a SIGKILL every {args.kill_every} s; work directory {work}", flush=True)

    began = time.monotonic()
    end = began + args.minutes * 60
    kills = 0
    cluster.start()
    next_kill = time.monotonic() + args.kill_every
    while time.monotonic() < end:
        time.sleep(1)
        cluster.sample()
        for i, p in enumerate(cluster.processes):
            if p.poll() is not None:
                sys.exit(f"soak: process {i} ended by itself (status {p.returncode}); see {work}/err-{i}.txt")
        if time.monotonic() >= next_kill and time.monotonic() + 30 < end:
            victim = kills % 2
            cluster.sample()
            cluster.processes[victim].send_signal(signal.SIGKILL)
            kills += 1
            codes = cluster.wait_all(30)
            minute = (time.monotonic() - began) / 60
            print(f"soak: {minute:5.1f} min: killed process {victim}; the other stopped with status"
                  f" {codes[1 - victim]}; peak RSS so far {cluster.peaks[0] // 1024} MB,"
                  f" {cluster.peaks[1] // 1024} MB", flush=True)
            cluster.start()
            next_kill = time.monotonic() + args.kill_every

    stop.touch()
    codes = cluster.wait_all(120)
    if codes != [0, 0]:
        sys.exit(f"soak: the last run ended with statuses {codes}; see {work}/err-*.txt")
    positions = [int((work / "positions" / f"part-{p}").read_text()) for p in range(PARTITIONS)]
    expected = expected_counts(positions, KEYS)
    printed = {}
    for i in range(2):
        for line in (work / f"out-{i}-{cluster.starts}.txt").read_text().splitlines():
            key, count = ast.literal_eval(line)
            if key in printed:
                sys.exit(f"soak: key {key} printed twice")
            printed[key] = count
    wrong = {k: (printed.get(k), n) for k, n in expected.items() if printed.get(k) != n}
    total = sum(positions)
    peaks_mb = [peak // 1024 for peak in cluster.peaks]
    print(f"soak: {kills} kills, {cluster.starts} starts, {total:,} items over {len(expected):,} keys;"
          f" peak RSS per process {peaks_mb[0]} MB and {peaks_mb[1]} MB (limit {args.rss_limit_mb} MB)")
    if wrong:
        sample = list(wrong.items())[:5]
        sys.exit(f"soak: {len(wrong)} keys counted wrong, (printed, expected) e.g. {sample}")
    if max(peaks_mb) > args.rss_limit_mb:
        sys.exit("soak: a process's peak RSS exceeded the limit")
    print("soak: every key's count is exact")


if __name__ == "__main__":
    main()
