# Group B with a window: a window closing at end of input vs a min_final on a sibling branch.
# The min_final's inspect is created first; Bytewax still prints the window first (EOF reaches
# the window's core step earlier: min_final has one more internal step, its pre-reduce).
from datetime import datetime, timedelta, timezone

import bytewax.operators as op
import bytewax.operators.windowing as win
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

BASE = datetime(2024, 1, 1, tzinfo=timezone.utc)

flow = Dataflow("b2")
inp = op.input("inp", flow, TestingSource([5]))
keyed = op.key_on("key", inp, lambda x: "k")
clock = win.EventClock(lambda v: BASE + timedelta(minutes=v), wait_for_system_duration=timedelta(0))
wo = win.fold_window("win", keyed, clock, win.TumblingWindower(length=timedelta(minutes=10), align_to=BASE),
                     list, lambda acc, v: acc + [v], lambda a, b: a + b)
mins = op.min_final("min", op.key_on("key2", inp, lambda x: "k"))
op.inspect("min_out", mins)
op.inspect("window_out", wo.down)
