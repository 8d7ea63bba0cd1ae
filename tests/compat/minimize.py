#!/usr/bin/env python3
"""Shrink non-exact flows of a generated corpus (an aid for hand minimization).

    python3 minimize.py CORPUS_DIR WORK_DIR flow_0065 flow_0074 ...

Greedy reduction, in rounds: for every flow still being shrunk it writes
candidate variants (one statement removed together with everything that
reads it, a chunk of an input's items removed, the ``# epoch_interval``
header removed), runs all candidates of the round in ONE oracle process and
ONE Wax process (run_corpus.py), and keeps for each flow the first
candidate, in order of decreasing size, whose verdict (compare.py) is still
the flow's original verdict ("reordered" or "different").  It stops when no
candidate keeps the verdict.  The final versions go to WORK_DIR/final/ with
both outputs next to them (.oracle / .wax).

Only flows written by random_flows.py are understood (one statement per
line after ``flow = Dataflow(...)``).  The result is a starting point:
rename and simplify by hand, then re-check with the oracle and Wax.

Env: ORACLE (default /work/shared/tools/oracle/oracle.sh), WAX_HOME
(default: the repository holding this file).
"""

import ast
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare  # noqa: E402

ORACLE = os.environ.get("ORACLE", "/work/shared/tools/oracle/oracle.sh")
WAX_HOME = os.environ.get("WAX_HOME", os.path.dirname(os.path.dirname(HERE)))
DEF_RE = re.compile(r"^(\w+) = ")
SRC_RE = re.compile(r"TestingSource\((\[.*\]), batch_size=(\d+)\)")


def split(code):
    """(header lines, statement lines) around the ``flow = Dataflow`` line."""
    lines = code.rstrip("\n").split("\n")
    k = next(i for i, l in enumerate(lines) if l.startswith("flow = Dataflow("))
    return lines[: k + 1], lines[k + 1:]


def remove_with_dependents(stmts, i):
    """Statements without ``stmts[i]`` and all that (transitively) read it."""
    gone = {i}
    dead = set()
    m = DEF_RE.match(stmts[i])
    if m:
        dead.add(m.group(1))
    changed = True
    while changed:
        changed = False
        for j, s in enumerate(stmts):
            if j in gone:
                continue
            names = set(re.findall(r"\b([A-Za-z_]\w*)\b", s.split("=", 1)[1] if DEF_RE.match(s) else s))
            if names & dead:
                gone.add(j)
                m = DEF_RE.match(s)
                if m:
                    dead.add(m.group(1))
                changed = True
    return [s for j, s in enumerate(stmts) if j not in gone]


def candidates(code):
    """Smaller variants of a flow's source, roughly biggest reduction first."""
    head, stmts = split(code)
    out = []
    for i in range(len(stmts)):
        rest = remove_with_dependents(stmts, i)
        if rest and any("op.input(" in s for s in rest):
            out.append("\n".join(head + rest) + "\n")
    for i, s in enumerate(stmts):
        m = SRC_RE.search(s)
        if not m:
            continue
        items = ast.literal_eval(m.group(1))
        n = len(items)
        chunks = set()
        size = n // 2
        while size >= 1:
            for a in range(0, n, size):
                chunks.add((a, min(n, a + size)))
            size //= 2
        for a, b in sorted(chunks, key=lambda ab: ab[0] - ab[1]):
            kept = items[:a] + items[b:]
            if not kept:
                continue
            new = s[: m.start(1)] + repr(kept) + s[m.end(1):]
            out.append("\n".join(head + stmts[:i] + [new] + stmts[i + 1:]) + "\n")
        if int(m.group(2)) > 1:
            new = s[: m.start(2)] + "1" + s[m.end(2):]
            out.append("\n".join(head + stmts[:i] + [new] + stmts[i + 1:]) + "\n")
    if "# epoch_interval:" in code:
        out.append("\n".join(l for l in code.split("\n") if not l.startswith("# epoch_interval:")))
    out.sort(key=len)
    return out


def run_both(folder):
    """Oracle and Wax outputs (parsed) of every flow file in ``folder``."""
    runner = os.path.join(HERE, "run_corpus.py")
    o = subprocess.Popen([ORACLE, "--python", runner, folder], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    env = dict(os.environ, WAX_RUNTIME=os.environ.get("WAX_RUNTIME", "interpreted"))
    w = subprocess.run([os.path.join(WAX_HOME, "bin", "wax"), "python", runner, folder],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
                       cwd=WAX_HOME)
    o_out, _ = o.communicate()
    return parse_text(o_out), parse_text(w.stdout)


def parse_text(text):
    flows, cur = {}, None
    for line in text.split("\n"):
        if line.startswith("=== "):
            cur = line[4:].strip()
            flows[cur] = []
        elif cur is not None:
            flows[cur].append(line)
    for v in flows.values():
        while v and v[-1] == "":
            v.pop()
    return flows


def errs(lines):
    """Whether a flow's output has an exception line of run_corpus.py."""
    return any(l.startswith("!!!") for l in lines)


def write_folder(folder, flows):
    """Empties `folder` and writes each flow of `flows` (name -> code) into it as NAME.py."""
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for name, code in flows.items():
        with open(os.path.join(folder, name + ".py"), "w") as f:
            f.write(code)
    return folder


def main(argv):
    corpus, work, names = argv[0], argv[1], argv[2:]
    os.makedirs(work, exist_ok=True)
    current = {n: open(os.path.join(corpus, n + ".py")).read() for n in names}
    # The verdict each flow must keep.
    rdir = write_folder(os.path.join(work, "round_00"), current)
    o, w = run_both(rdir)
    target = {n: compare.verdict(o[n], w[n]) for n in names}
    # Which side raised: a candidate must raise on the same sides, so that a
    # flow does not shrink into an unrelated error (e.g. "no output step").
    raised = {n: (errs(o[n]), errs(w[n])) for n in names}
    active = [n for n in names if target[n] != "exact"]
    rnd = 0
    while active:
        rnd += 1
        cands = {n: candidates(current[n])[:30] for n in active}
        files = {f"{n}__{k:03d}": c for n in active for k, c in enumerate(cands[n])}
        o, w = run_both(write_folder(os.path.join(work, f"round_{rnd:02d}"), files))
        still = []
        for n in active:
            for k, c in enumerate(cands[n]):
                key = f"{n}__{k:03d}"
                if (key in o and key in w and compare.verdict(o[key], w[key]) == target[n]
                        and (errs(o[key]), errs(w[key])) == raised[n]):
                    current[n] = c
                    still.append(n)
                    break
        print(f"round {rnd}: {len(still)} of {len(active)} flows shrank", flush=True)
        active = still
    final = write_folder(os.path.join(work, "final"), current)
    o, w = run_both(final)
    for n in names:
        open(os.path.join(final, n + ".oracle"), "w").write("\n".join(o.get(n, [])) + "\n")
        open(os.path.join(final, n + ".wax"), "w").write("\n".join(w.get(n, [])) + "\n")
        print(f"{n}: {target[n]} -> {compare.verdict(o.get(n, []), w.get(n, []))}, "
              f"{len(split(current[n])[1])} statements")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
