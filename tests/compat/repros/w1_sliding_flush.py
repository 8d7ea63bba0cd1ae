# Group W: two items flushed together into overlapping sliding windows (here: at EOF, since
# the clock waits 10 minutes). Bytewax emits item by item, Wax window by window.
from datetime import datetime, timedelta, timezone

import bytewax.operators as op
import bytewax.operators.windowing as win
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

BASE = datetime(2024, 1, 1, tzinfo=timezone.utc)

flow = Dataflow("w1")
inp = op.input("inp", flow, TestingSource([("k", 3), ("k", 4)]))
clock = win.EventClock(lambda v: BASE + timedelta(minutes=v), wait_for_system_duration=timedelta(minutes=10))
windower = win.SlidingWindower(length=timedelta(minutes=3), offset=timedelta(minutes=1), align_to=BASE)
# A one-sided running join emits on every value, once per window of that value.
jw = win.join_window("jw", clock, windower, inp, emit_mode="running")
op.inspect("out", jw.down)
