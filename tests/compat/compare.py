#!/usr/bin/env python3
"""Compare the corpus output of the oracle (Bytewax) with Wax's, flow by flow.

    python3 compare.py ORACLE_OUT WAX_OUT [--rerun ORACLE_OUT2 ...]
                       [--context N] [--max-diff LINES] [--quiet]

Both files are what run_corpus.py prints: a line ``=== flow_NNNN`` starts
each flow's output.  Every flow gets one verdict:

* ``exact``      the same lines in the same order;
* ``reordered``  the same multiset of lines in another order;
* ``different``  other lines (missing, extra or changed items, errors).

``--rerun`` takes further oracle outputs of the same corpus: a flow whose
oracle output is not identical in all of them is non-deterministic in the
reference itself and is excluded from the figures (and listed).

Prints a summary (counts and percentage exact over the compared flows),
then, for each non-exact flow, its name, verdict and a short unified diff
(oracle = ``-``, Wax = ``+``).  Flows where Wax printed an ``!!!``
exception line the oracle did not are listed separately at the end.
Exit status: 0 if every compared flow is exact, 1 otherwise.
"""

import argparse
import difflib
import sys
from collections import Counter

SEP = "=== "


def parse(path):
    """Map flow name -> list of its output lines (in file order)."""
    flows = {}
    order = []
    current = None
    with open(path, errors="replace") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith(SEP):
                current = line[len(SEP):].strip()
                flows[current] = []
                order.append(current)
            elif current is not None:
                flows[current].append(line)
            # Lines before the first separator (e.g. launcher noise) are ignored.
    return flows, order


def verdict(expected, actual):
    if expected == actual:
        return "exact"
    if Counter(expected) == Counter(actual):
        return "reordered"
    return "different"


def short_diff(expected, actual, context, max_lines):
    lines = list(difflib.unified_diff(expected, actual, "oracle", "wax",
                                      n=context, lineterm=""))
    if len(lines) > max_lines:
        lines = lines[:max_lines] + [f"... ({len(lines) - max_lines} more diff lines)"]
    return lines


def multiset_note(expected, actual):
    """For ``different`` flows: which lines are missing or extra."""
    exp, act = Counter(expected), Counter(actual)
    missing = sorted((exp - act).elements())
    extra = sorted((act - exp).elements())
    notes = []
    if missing:
        notes.append(f"  only in oracle ({len(missing)}): {missing[:5]}")
    if extra:
        notes.append(f"  only in wax ({len(extra)}): {extra[:5]}")
    return notes


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("oracle")
    ap.add_argument("wax")
    ap.add_argument("--rerun", action="append", default=[],
                    help="another oracle output of the same corpus (determinism check)")
    ap.add_argument("--context", type=int, default=2, help="diff context lines")
    ap.add_argument("--max-diff", type=int, default=40, help="diff lines shown per flow")
    ap.add_argument("--quiet", action="store_true", help="summary and names only")
    args = ap.parse_args(argv)

    oracle, order = parse(args.oracle)
    wax, _ = parse(args.wax)
    reruns = [parse(p)[0] for p in args.rerun]

    unstable = [n for n in order if any(r.get(n) != oracle[n] for r in reruns)]
    compared = [n for n in order if n not in unstable]
    results = {}
    for name in compared:
        if name not in wax:
            results[name] = "missing"
        else:
            results[name] = verdict(oracle[name], wax[name])
    counts = Counter(results.values())
    total = len(compared)

    print(f"flows in oracle output: {len(order)}")
    print(f"excluded (oracle not deterministic over {1 + len(reruns)} runs): {len(unstable)}"
          + (f" {unstable}" if unstable else ""))
    print(f"compared: {total}")
    for key in ("exact", "reordered", "different", "missing"):
        pct = 100.0 * counts[key] / total if total else 0.0
        print(f"  {key:10s} {counts[key]:5d}  {pct:6.2f}%")
    extra = [n for n in wax if n not in oracle]
    if extra:
        print(f"flows only in wax output: {extra}")

    wax_errors = [n for n in compared if n in wax
                  and any(l.startswith("!!!") for l in wax[n])
                  and [l for l in wax[n] if l.startswith("!!!")]
                  != [l for l in oracle[n] if l.startswith("!!!")]]

    for name in compared:
        v = results[name]
        if v == "exact":
            continue
        print()
        print(f"--- {name}: {v}")
        if args.quiet or v == "missing":
            continue
        if v == "different":
            for note in multiset_note(oracle[name], wax[name]):
                print(note)
        for line in short_diff(oracle[name], wax[name], args.context, args.max_diff):
            print("  " + line)

    if wax_errors:
        print()
        print(f"flows where wax raised an exception the oracle did not ({len(wax_errors)}):")
        for name in wax_errors:
            for line in wax[name]:
                if line.startswith("!!!"):
                    print(f"  {name}: {line}")
    return 0 if counts["exact"] == total else 1


if __name__ == "__main__":
    sys.exit(main())
