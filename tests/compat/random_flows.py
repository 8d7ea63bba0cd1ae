#!/usr/bin/env python3
"""Seeded generator of small, deterministic, single-worker Bytewax flows.

    python3 random_flows.py --seed 1 --count 300 --out /tmp/corpus

writes /tmp/corpus/flow_0000.py, flow_0001.py, ...  Each file is a plain
Bytewax 0.21 script with a module-level ``flow = Dataflow(...)``.  A comment
line ``# epoch_interval: 0`` in its header asks the driver (run_corpus.py)
to run it with ``epoch_interval=timedelta(0)``; without it the default
interval is used.

The flows exist to compare the *order* in which Bytewax and Wax print
things, so they are built to print a lot from many different steps (inspect
after most steps, fan-out of one stream to several consumers, merges), while
never depending on the wall clock:

* inputs are ``TestingSource`` lists (random batch_size 1..4);
* windowing uses ``EventClock`` on fixed UTC datetimes.  Item timestamps are
  ``BASE + t minutes + 20 s`` with distinct integer ``t`` per flow; window
  boundaries fall on whole minutes, waits are 0 or end in 40 s, session gaps
  end in 30 s.  So no timestamp, watermark, window close or session close can
  coincide, and the few milliseconds of system time that pass during a run
  (the event clock adds them to its watermark) never change which item is
  late or when a window closes.  Where a stream may carry two items with the
  same timestamp (merges of one source with itself, flat_map), the clock gets
  a frozen ``now_getter`` instead, which makes it independent of time too;
* ``collect`` gets a one-hour timeout so only ``max_size`` and EOF matter.

The generator is a small typed random walk: it keeps a pool of streams, each
tagged with whether it is keyed and what its values look like (INT, STR,
TUP, LIST, EVT = (t, v) timestamped events, ANY = unknown), and repeatedly
applies a random operator that accepts one of them.  Functions come from
per-type tables so that every generated flow runs without a type error.
"""

import argparse
import os
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional

# ---------------------------------------------------------------------------
# Function tables.  For each value type: lambdas (as source text) usable with
# a given operator, and the value type they produce ("=" means unchanged).
# "ANY" entries are type-agnostic and are available for every type.
# ---------------------------------------------------------------------------

INT, STR, TUP, LIST, EVT, ANY = "INT", "STR", "TUP", "LIST", "EVT", "ANY"

MAP = {
    INT: [("lambda x: x * 3 + 1", INT), ("lambda x: x % 5", INT),
          ("lambda x: 's' + str(x)", STR), ("lambda x: [x, x + 1]", LIST),
          ("lambda x: list(range(x % 4))", LIST), ("lambda x: (x % 3, x)", TUP)],
    STR: [("lambda s: s.upper()", STR), ("lambda s: len(s)", INT),
          ("lambda s: s + s[-1:]", STR), ("lambda s: [ord(c) % 10 for c in s]", LIST)],
    TUP: [("lambda t: t[0] + t[1]", INT), ("lambda t: (t[1], t[0])", TUP),
          ("lambda t: f'{t[0]}-{t[1]}'", STR)],
    LIST: [("lambda l: sum(l)", INT), ("lambda l: len(l)", INT),
           ("lambda l: l[::-1]", LIST)],
    EVT: [("lambda e: (e[0], e[1] * 2)", EVT), ("lambda e: e[1]", INT),
          ("lambda e: (e[0], e[1] + 1)", EVT)],
    ANY: [("lambda x: repr(x)", STR), ("lambda x: len(repr(x))", INT)],
}
FILTER = {
    INT: ["lambda x: x % 2 == 0", "lambda x: x > 4", "lambda x: x % 3 != 1"],
    STR: ["lambda s: len(s) > 1", "lambda s: s < 'm'"],
    TUP: ["lambda t: t[0] <= t[1]", "lambda t: t[1] % 2 == 1"],
    LIST: ["lambda l: len(l) > 1"],
    EVT: ["lambda e: e[1] % 3 != 0", "lambda e: e[1] < 7"],
    ANY: ["lambda x: len(repr(x)) % 2 == 0"],
}
FLAT_MAP = {
    INT: [("lambda x: [x] * (x % 3)", INT), ("lambda x: range(x % 4)", INT),
          ("lambda x: str(x * 7)", STR)],
    STR: [("lambda s: list(s)", STR), ("lambda s: s.split('a')", STR)],
    TUP: [("lambda t: t", INT)],
    LIST: [("lambda l: l", INT)],
    EVT: [("lambda e: [e[1], -e[1]]", INT)],
    ANY: [("lambda x: [x, x]", "=")],
}
FILTER_MAP = {
    INT: [("lambda x: x // 2 if x % 3 else None", INT),
          ("lambda x: None if x > 6 else 'v' + str(x)", STR)],
    STR: [("lambda s: s[1:] or None", STR),
          ("lambda s: len(s) if 'a' in s else None", INT)],
    TUP: [("lambda t: t[0] - t[1] if t[0] != t[1] else None", INT)],
    LIST: [("lambda l: l[0] if l else None", INT)],
    EVT: [("lambda e: e if e[1] % 4 else None", EVT)],
    ANY: [("lambda x: x if len(repr(x)) % 3 else None", "=")],
}
KEY = {
    INT: ["lambda x: str(x % 3)", "lambda x: 'a' if x < 5 else 'b'", "lambda x: 'k'"],
    STR: ["lambda s: s[:1]", "lambda s: str(len(s) % 2)"],
    TUP: ["lambda t: str(t[0] % 3)"],
    LIST: ["lambda l: str(len(l))"],
    EVT: ["lambda e: 'k%d' % (e[1] % 2)", "lambda e: 'k%d' % (e[1] % 3)", "lambda e: 'all'"],
    ANY: ["lambda x: str(len(repr(x)) % 3)"],
}
REDUCE = {
    INT: [("lambda a, b: a + b", INT), ("lambda a, b: a * 2 - b", INT)],
    STR: [("lambda a, b: a + b", STR), ("lambda a, b: max(a, b)", STR)],
    TUP: [("lambda a, b: (a[0] + b[0], max(a[1], b[1]))", TUP)],
    LIST: [("lambda a, b: a + b", LIST)],
    EVT: [("lambda a, b: (max(a[0], b[0]), a[1] + b[1])", TUP)],
    ANY: [("lambda a, b: b", "=")],
}
# (builder, folder, output type)
FOLD = {
    INT: [("lambda: 0", "lambda acc, v: acc + v", INT)],
    STR: [("lambda: ''", "lambda acc, s: acc + s[:1]", STR)],
    EVT: [("lambda: 0", "lambda acc, e: acc + e[1]", INT)],
    ANY: [("list", "lambda acc, v: acc + [v]", ANY)],
}
STATEFUL_MAP = {
    INT: [("lambda s, v: ((s or 0) + v, (s or 0) + v)", INT),
          # Returning None as the state discards it: the next value starts over.
          ("lambda s, v: (None if (s or 0) + v > 8 else (s or 0) + v, (s, v))", ANY)],
    ANY: [("lambda s, v: ((s or 0) + 1, ((s or 0) + 1, v))", ANY),
          ("lambda s, v: (v, (s, v))", ANY)],
}
STATEFUL_FLAT_MAP = {
    INT: [("lambda s, v: ((s or 0) + 1, [v] * ((s or 0) % 3 + 1))", INT)],
    ANY: [("lambda s, v: (None if s else 1, [] if s else [v, 'first'])", ANY)],
}
MAX_BY = {
    INT: ["", "lambda v: -v", "lambda v: v % 4"],
    STR: ["", "len"],
    TUP: ["", "lambda t: t[1]"],
    EVT: ["lambda e: e[1]"],
    ANY: ["repr"],
}


def pick_fn(rng, table, vt):
    """Choose a random entry of ``table`` for type ``vt`` (or a generic one)."""
    options = list(table.get(vt, []))
    if vt != ANY or not options:
        options += table.get(ANY, [])
    return rng.choice(options)


def out_type(out, vt):
    return vt if out == "=" else out


# ---------------------------------------------------------------------------
# Helper definitions that a flow may need.  Only the used ones are written.
# ---------------------------------------------------------------------------

HELPERS = {
    "evt_ts": '''\
def evt_ts(e):
    """Event time of a (t, v) item: t minutes (plus 20 s) after BASE."""
    return BASE + timedelta(minutes=e[0], seconds=20)
''',
    "frozen_now": '''\
def frozen_now():
    """A clock that never moves: the watermark depends on items only."""
    return datetime(2024, 6, 1, tzinfo=timezone.utc)
''',
    "CountBatches": '''\
class CountBatches(StatefulBatchLogic):
    """Emits (batch size, running count) per batch, and a summary at EOF."""

    def __init__(self, resume):
        self.n = resume or 0

    def on_batch(self, values):
        self.n += len(values)
        return [(len(values), self.n)], False

    def on_eof(self):
        return [("eof", self.n)], True

    def snapshot(self):
        return self.n
''',
    "EchoThree": '''\
class EchoThree(StatefulBatchLogic):
    """Echoes (position, value); discards its state after 3 values."""

    def __init__(self, resume):
        self.seen = list(resume or [])

    def on_batch(self, values):
        out = []
        for v in values:
            self.seen.append(v)
            out.append((len(self.seen), v))
        return out, len(self.seen) >= 3

    def snapshot(self):
        return list(self.seen)
''',
    "FirstLast": '''\
class FirstLast(WindowLogic):
    """Window logic: reports the 2nd value, merges, and first/last at close."""

    def __init__(self, resume):
        self.vals = list(resume or [])

    def on_value(self, value):
        self.vals.append(value)
        return [("second", value)] if len(self.vals) == 2 else []

    def on_merge(self, original):
        self.vals.extend(original.vals)
        return [("merged", len(self.vals))]

    def on_close(self):
        return [("close", self.vals[0], self.vals[-1], len(self.vals))]

    def snapshot(self):
        return list(self.vals)
''',
}

HELPER_IMPORTS = {
    "CountBatches": "from bytewax.operators import StatefulBatchLogic",
    "EchoThree": "from bytewax.operators import StatefulBatchLogic",
    "FirstLast": "from bytewax.operators.windowing import WindowLogic",
}

WORDS = ["a", "bb", "abc", "x", "yz", "hello", "ab", "q", "ma", "zz"]


@dataclass
class Strm:
    """A stream of the flow being generated."""

    var: str
    keyed: bool
    vt: str
    # For EVT streams: which inputs the events come from, and whether two
    # events with the same timestamp may be in it.
    srcs: frozenset = frozenset()
    dup: bool = False
    uses: int = 0  # transforming consumers so far
    observed: bool = False  # has an inspect/output already
    optional: bool = False  # fine to leave unobserved (late/meta/falses)


@dataclass
class FlowGen:
    rng: random.Random
    index: int
    lines: List[str] = field(default_factory=list)
    helpers: List[str] = field(default_factory=list)
    streams: List[Strm] = field(default_factory=list)
    ops_used: Counter = field(default_factory=Counter)
    n_steps: int = 0
    used_t: set = field(default_factory=set)
    needs_dt: bool = False
    needs_win: bool = False
    needs_stdout: bool = False

    # -- small utilities ----------------------------------------------------

    def sid(self, name):
        """A new unique step id (and the matching variable name)."""
        self.n_steps += 1
        return f"{name}_{self.n_steps}"

    def need(self, helper):
        if helper not in self.helpers:
            self.helpers.append(helper)

    def emit(self, line):
        self.lines.append(line)

    def new(self, var, keyed, vt, src: Optional[Strm] = None, **kw):
        s = Strm(var, keyed, vt, **kw)
        if vt == EVT and src is not None and not kw:
            s.srcs, s.dup = src.srcs, src.dup
        self.streams.append(s)
        return s

    # -- inputs ----------------------------------------------------------------

    def gen_input(self, n, vt):
        rng = self.rng
        count = rng.randint(3, 12 if vt != EVT else 14)
        if vt == INT:
            items = [rng.randint(0, 9) for _ in range(count)]
        elif vt == STR:
            items = [rng.choice(WORDS) for _ in range(count)]
        elif vt == TUP:
            items = [(rng.randint(0, 4), rng.randint(0, 9)) for _ in range(count)]
        elif vt == LIST:
            items = [[rng.randint(0, 9) for _ in range(rng.randint(0, 3))]
                     for _ in range(count)]
        else:  # EVT: mostly increasing minutes, sometimes a jump back (late)
            items = []
            t = rng.randint(0, 5)
            for _ in range(count):
                if items and rng.random() < 0.15:
                    cand = t - rng.randint(2, 12)
                else:
                    t += rng.randint(1, 4)
                    cand = t
                while cand in self.used_t:  # keep timestamps distinct
                    cand += 1
                self.used_t.add(cand)
                items.append((cand, rng.randint(0, 9)))
        bs = rng.randint(1, 4)
        var = f"inp_{n}"
        self.emit(f"{var} = op.input({var!r}, flow, TestingSource({items!r}, batch_size={bs}))")
        self.ops_used["input"] += 1
        return self.new(var, False, vt, srcs=frozenset([n]))

    # -- observers -----------------------------------------------------------------

    def observe(self, s: Strm):
        r = self.rng.random()
        if r < 0.12:
            name = self.sid("dbg")
            self.emit(f"op.inspect_debug({name!r}, {s.var})")
            self.ops_used["inspect_debug"] += 1
        elif r < 0.3:
            name = self.sid("out")
            self.needs_stdout = True
            self.emit(f"op.output({name!r}, {s.var}, StdOutSink())")
            self.ops_used["output"] += 1
        else:
            name = self.sid("insp")
            self.emit(f"op.inspect({name!r}, {s.var})")
            self.ops_used["inspect"] += 1
        s.observed = True

    # -- windowing helpers -----------------------------------------------------------

    def clock(self, dup):
        """Source text of an EventClock, frozen if duplicates are possible."""
        rng = self.rng
        self.need("evt_ts")
        self.needs_dt = True
        wait = rng.choice([0, 0, 40, 160, 340])
        args = f"evt_ts, wait_for_system_duration=timedelta(seconds={wait})"
        if dup or rng.random() < 0.2:
            self.need("frozen_now")
            args += ", now_getter=frozen_now"
        return f"win.EventClock({args})"

    def windower(self):
        rng = self.rng
        self.needs_dt = True
        kind = rng.choice(["tumbling", "tumbling", "sliding", "session"])
        if kind == "tumbling":
            return f"win.TumblingWindower(length=timedelta(minutes={rng.randint(2, 10)}), align_to=BASE)"
        if kind == "sliding":
            length = rng.randint(3, 10)
            offset = rng.randint(1, length)
            align = rng.choice(["BASE", "BASE + timedelta(minutes=1)"])
            return (f"win.SlidingWindower(length=timedelta(minutes={length}), "
                    f"offset=timedelta(minutes={offset}), align_to={align})")
        return f"win.SessionWindower(gap=timedelta(minutes={rng.randint(1, 5)}, seconds=30))"

    def window_out(self, var, down_vt):
        """Register the three streams of a WindowOut (late/meta optional)."""
        outs = [self.new(f"{var}.down", True, down_vt)]
        for part, p in (("late", 0.35), ("meta", 0.3)):
            s = self.new(f"{var}.{part}", True, ANY, optional=True)
            if self.rng.random() < p:
                self.observe(s)
            outs.append(s)
        return outs

    # -- operators ------------------------------------------------------------------
    # Each returns the list of new streams, or None if it does not apply.

    def op_simple(self, name, s, fn, out_vt, keyed=None):
        var = self.sid(name)
        self.emit(f"{var} = op.{name}({var!r}, {s.var}, {fn})")
        return [self.new(var, s.keyed if keyed is None else keyed, out_vt, s)]

    def apply(self, opname, s: Strm) -> Optional[List[Strm]]:
        rng = self.rng
        vt = s.vt
        if opname == "map" and not s.keyed:
            fn, out = pick_fn(rng, MAP, vt)
            return self.op_simple("map", s, fn, out_type(out, vt))
        if opname == "map_value" and s.keyed:
            fn, out = pick_fn(rng, MAP, vt)
            return self.op_simple("map_value", s, fn, out_type(out, vt))
        if opname in ("filter", "filter_value"):
            if s.keyed != (opname == "filter_value"):
                return None
            return self.op_simple(opname, s, pick_fn(rng, FILTER, vt), vt)
        if opname in ("flat_map", "flat_map_value"):
            if s.keyed != (opname == "flat_map_value"):
                return None
            fn, out = pick_fn(rng, FLAT_MAP, vt)
            res = self.op_simple(opname, s, fn, out_type(out, vt))
            res[0].dup = True
            return res
        if opname in ("filter_map", "filter_map_value"):
            if s.keyed != (opname == "filter_map_value"):
                return None
            fn, out = pick_fn(rng, FILTER_MAP, vt)
            return self.op_simple(opname, s, fn, out_type(out, vt))
        if opname == "flatten" and not s.keyed and vt == LIST:
            var = self.sid("flatten")
            self.emit(f"{var} = op.flatten({var!r}, {s.var})")
            return [self.new(var, False, INT)]
        if opname == "key_on" and not s.keyed:
            return self.op_simple("key_on", s, pick_fn(rng, KEY, vt), vt, keyed=True)
        if opname == "key_rm" and s.keyed:
            var = self.sid("key_rm")
            self.emit(f"{var} = op.key_rm({var!r}, {s.var})")
            return [self.new(var, False, vt, s)]
        if opname == "redistribute":
            var = self.sid("redist")
            self.emit(f"{var} = op.redistribute({var!r}, {s.var})")
            return [self.new(var, s.keyed, vt, s)]
        if opname == "branch":
            var = self.sid("branch")
            pred = pick_fn(rng, FILTER, vt)
            if s.keyed:
                pred = f"lambda kv: ({pred})(kv[1])"
            self.emit(f"{var} = op.branch({var!r}, {s.var}, {pred})")
            t = self.new(f"{var}.trues", s.keyed, vt, s)
            f = self.new(f"{var}.falses", s.keyed, vt, s)
            f.optional = rng.random() < 0.3
            return [t, f]
        if opname == "merge":
            others = [o for o in self.streams
                      if o is not s and o.keyed == s.keyed and o.uses < 3]
            if not others:
                return None
            ups = [s] + rng.sample(others, min(len(others), rng.choice([1, 1, 2])))
            for o in ups[1:]:
                o.uses += 1
            var = self.sid("merge")
            self.emit(f"{var} = op.merge({var!r}, {', '.join(o.var for o in ups)})")
            vts = {o.vt for o in ups}
            out = vts.pop() if len(vts) == 1 else ANY
            m = self.new(var, s.keyed, out)
            if out == EVT:
                srcs = [o.srcs for o in ups]
                m.srcs = frozenset().union(*srcs)
                m.dup = any(o.dup for o in ups) or sum(map(len, srcs)) != len(m.srcs)
            return [m]
        if opname == "enrich_cached" and not s.keyed:
            var = self.sid("enrich")
            key = {INT: "x % 3"}.get(vt, "len(repr(x)) % 3")
            self.emit(f"{var} = op.enrich_cached({var!r}, {s.var}, lambda k: k * 10, "
                      f"lambda cache, x: (x, cache.get({key})))")
            return [self.new(var, False, ANY)]
        if opname == "count_final" and not s.keyed:
            var = self.sid("count_final")
            self.emit(f"{var} = op.count_final({var!r}, {s.var}, {pick_fn(rng, KEY, vt)})")
            return [self.new(var, True, INT)]
        # ---- keyed stateful operators
        if not s.keyed:
            return self.apply_plain_window(opname, s)
        if opname == "reduce_final":
            fn, out = pick_fn(rng, REDUCE, vt)
            return self.op_simple("reduce_final", s, fn, out_type(out, vt))
        if opname == "fold_final":
            b, f, out = pick_fn(rng, FOLD, vt)
            var = self.sid("fold_final")
            self.emit(f"{var} = op.fold_final({var!r}, {s.var}, {b}, {f})")
            return [self.new(var, True, out)]
        if opname in ("max_final", "min_final"):
            by = pick_fn(rng, MAX_BY, vt)
            var = self.sid(opname)
            extra = f", by={by}" if by else ""
            self.emit(f"{var} = op.{opname}({var!r}, {s.var}{extra})")
            return [self.new(var, True, vt, s)]
        if opname == "stateful_map":
            fn, out = pick_fn(rng, STATEFUL_MAP, vt)
            return self.op_simple("stateful_map", s, fn, out_type(out, vt))
        if opname == "stateful_flat_map":
            fn, out = pick_fn(rng, STATEFUL_FLAT_MAP, vt)
            return self.op_simple("stateful_flat_map", s, fn, out_type(out, vt))
        if opname == "stateful_batch":
            cls = rng.choice(["CountBatches", "EchoThree"])
            self.need(cls)
            var = self.sid("sbatch")
            self.emit(f"{var} = op.stateful_batch({var!r}, {s.var}, {cls})")
            return [self.new(var, True, ANY)]
        if opname == "collect":
            var = self.sid("collect")
            self.needs_dt = True
            self.emit(f"{var} = op.collect({var!r}, {s.var}, timeout=timedelta(hours=1), "
                      f"max_size={rng.randint(2, 4)})")
            return [self.new(var, True, LIST if vt == INT else ANY)]
        if opname == "join":
            others = [o for o in self.streams if o is not s and o.uses < 3]
            if not others:
                return None
            sides = [s] + [self.keyed_version(o) for o in
                           rng.sample(others, min(len(others), rng.choice([1, 1, 2])))]
            for o in sides[1:]:
                o.uses += 1
            var = self.sid("join")
            kw = self.join_modes(["first", "last", "product"], ["complete", "final", "running"])
            self.emit(f"{var} = op.join({var!r}, {', '.join(o.var for o in sides)}{kw})")
            return [self.new(var, True, ANY)]
        return self.apply_keyed_window(opname, s)

    def keyed_version(self, o: Strm) -> Strm:
        """``o`` itself if keyed, else a new key_on step reading it."""
        if o.keyed:
            return o
        o.uses += 1
        self.ops_used["key_on"] += 1
        return self.op_simple("key_on", o, pick_fn(self.rng, KEY, o.vt), o.vt, keyed=True)[0]

    def join_modes(self, inserts, emits):
        rng = self.rng
        kw = ""
        if rng.random() < 0.8:
            kw += f", insert_mode={rng.choice(inserts)!r}"
        if rng.random() < 0.8:
            kw += f", emit_mode={rng.choice(emits)!r}"
        return kw

    def apply_plain_window(self, opname, s):
        if opname == "count_window" and s.vt == EVT:
            var = self.sid("count_window")
            self.needs_win = True
            self.emit(f"{var} = win.count_window({var!r}, {s.var}, {self.clock(s.dup)}, "
                      f"{self.windower()}, {pick_fn(self.rng, KEY, EVT)})")
            return self.window_out(var, ANY)
        return None

    def apply_keyed_window(self, opname, s):
        rng = self.rng
        if s.vt != EVT or opname not in WINDOW_OPS:
            return None
        self.needs_win = True
        var = self.sid(opname)
        ordered = "" if rng.random() < 0.7 else f", ordered={rng.random() < 0.5}"
        if opname == "join_window":
            others = [o for o in self.streams if o is not s and o.vt == EVT and o.uses < 3]
            if not others:
                return None
            sides = [s, self.keyed_version(rng.choice(others))]
            for o in sides[1:]:
                o.uses += 1
            dup = any(o.dup for o in sides) or bool(sides[0].srcs & sides[1].srcs)
            kw = self.join_modes(["first", "last", "product"], ["complete", "final", "running"])
            self.emit(f"{var} = win.join_window({var!r}, {self.clock(dup)}, {self.windower()}, "
                      f"{', '.join(o.var for o in sides)}{kw}{ordered})")
            return self.window_out(var, ANY)
        head = f"{var} = win.{opname}({var!r}, {s.var}, {self.clock(s.dup)}, {self.windower()}"
        if opname == "collect_window":
            self.emit(f"{head}{ordered})")
        elif opname == "fold_window":
            b, f, m = rng.choice([("list", "lambda acc, e: acc + [e[1]]", "lambda a, b: a + b"),
                                  ("lambda: 0", "lambda acc, e: acc + e[1]", "lambda a, b: a + b")])
            self.emit(f"{head}, {b}, {f}, {m}{ordered})")
        elif opname == "reduce_window":
            self.emit(f"{head}, lambda a, b: (max(a[0], b[0]), a[1] + b[1]))")
        elif opname in ("max_window", "min_window"):
            self.emit(f"{head}, by=lambda e: e[1])")
        elif opname == "window":
            self.need("FirstLast")
            self.emit(f"{head}, FirstLast{ordered})")
        return self.window_out(var, ANY)

    # -- the random walk ------------------------------------------------------------

    def candidate_ops(self, s: Strm) -> Dict[str, float]:
        """Weights of the operators to try on stream ``s``."""
        if not s.keyed:
            w = {"map": 2, "filter": 2, "flat_map": 1, "filter_map": 1, "branch": 1,
                 "merge": 1.5, "key_on": 4, "redistribute": 0.5, "enrich_cached": 0.5,
                 "count_final": 1}
            if s.vt == LIST:
                w["flatten"] = 4
            if s.vt == EVT:
                w.update(key_on=14, count_window=3, flat_map=0.3, map=1, filter=1,
                         filter_map=0.5, branch=0.5, merge=1, count_final=0.5)
            return w
        w = {"map_value": 1.5, "filter_value": 1, "flat_map_value": 0.7,
             "filter_map_value": 0.7, "key_rm": 1, "branch": 0.7, "merge": 1,
             "redistribute": 0.3, "reduce_final": 1.5, "fold_final": 1.5,
             "max_final": 1, "min_final": 1, "stateful_map": 2, "stateful_flat_map": 1,
             "stateful_batch": 1.5, "collect": 1.2, "join": 2}
        if s.vt == EVT:
            w.update({op_: 5 for op_ in WINDOW_OPS})
            w["join_window"] = 7
        return w

    def step(self):
        """Apply one random operator to a random stream of the pool.

        Returns True for a chain step, "free" for a key_on (which does not
        count), False if no operator applied (the caller just tries again).
        """
        rng = self.rng
        fresh = [s for s in self.streams if s.uses == 0 and not s.optional]
        fan = [s for s in self.streams if 0 < s.uses < 3]
        if fan and (not fresh or rng.random() < 0.25):
            pool = fan  # fan-out: a second or third consumer of one stream
        else:
            pool = fresh or [s for s in self.streams if s.uses < 3] or self.streams
        if pool is fresh and rng.random() < 0.6:
            s = pool[-1]  # mostly continue the newest chain
        else:
            s = rng.choice(pool)
        weights = self.candidate_ops(s)
        names = list(weights)
        for _ in range(20):
            opname = rng.choices(names, [weights[n] for n in names])[0]
            out = self.apply(opname, s)
            if out is not None:
                s.uses += 1
                self.ops_used[opname] += 1
                if opname == "key_on":
                    # Re-keying is free: it does not count as a chain step, and
                    # its output is printed only if nothing else reads it.
                    return "free"
                for o in out:
                    if not o.optional and rng.random() < 0.55:
                        self.observe(o)
                return True
        return False

    def build(self):
        rng = self.rng
        theme = rng.random()
        if theme < 0.4:
            vts = [EVT, EVT]
        else:
            vts = [rng.choice([INT, INT, INT, STR, STR, TUP, LIST, EVT]) for _ in range(2)]
        n_inputs = 2 if rng.random() < 0.35 else 1
        for n in range(n_inputs):
            s = self.gen_input(n, vts[n])
            if rng.random() < 0.3:
                self.observe(s)
        n_ops = rng.randint(1, 6)
        done = 0
        while done < n_ops:
            if self.step() is True:
                done += 1
        # Every stream that nobody reads gets printed.
        for s in self.streams:
            if s.uses == 0 and not s.observed and not s.optional:
                self.observe(s)
        return self.render(epoch0=rng.random() < 0.35)

    def render(self, epoch0):
        name = f"flow_{self.index:04d}"
        head = [f"# {name}: generated by tests/compat/random_flows.py"]
        if epoch0:
            head.append("# epoch_interval: 0")
        imports = []
        if self.needs_dt or self.helpers:
            imports.append("from datetime import datetime, timedelta, timezone")
            imports.append("")
        imports.append("import bytewax.operators as op")
        if self.needs_win:
            imports.append("import bytewax.operators.windowing as win")
        if self.needs_stdout:
            imports.append("from bytewax.connectors.stdio import StdOutSink")
        imports.append("from bytewax.dataflow import Dataflow")
        for h in sorted({HELPER_IMPORTS[h] for h in self.helpers if h in HELPER_IMPORTS}):
            imports.append(h)
        imports.append("from bytewax.testing import TestingSource")
        body = []
        if "evt_ts" in self.helpers:
            base = "datetime(2099, 1, 1, tzinfo=timezone.utc)" if self.rng.random() < 0.2 \
                else "datetime(2024, 1, 1, tzinfo=timezone.utc)"
            body.append(f"BASE = {base}")
            body.append("")
        for h in self.helpers:
            body.append(HELPERS[h])
        code = "\n".join(head + [""] + imports + [""] + body +
                         [f"flow = Dataflow({name!r})"] + self.lines) + "\n"
        return code


WINDOW_OPS = ["collect_window", "fold_window", "reduce_window", "max_window",
              "min_window", "join_window", "window"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    total = Counter()
    for i in range(args.count):
        # One RNG per flow, derived from the seed: flow i does not depend on
        # how many random numbers the flows before it used.
        gen = FlowGen(random.Random(args.seed * 1_000_003 + i), i)
        code = gen.build()
        with open(os.path.join(args.out, f"flow_{i:04d}.py"), "w") as f:
            f.write(code)
        total.update(gen.ops_used)
    # Operator coverage, to stderr so stdout stays clean.
    print("operator uses:", ", ".join(f"{k}={v}" for k, v in sorted(total.items())),
          file=sys.stderr)


if __name__ == "__main__":
    main()
