# Order-sensitive consumers turn a reordering into different items: a running join of a
# window's output with a stateful step fed by that same output (from corpus flow_0182).
from datetime import datetime, timedelta, timezone

import bytewax.operators as op
import bytewax.operators.windowing as win
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

BASE = datetime(2024, 1, 1, tzinfo=timezone.utc)

flow = Dataflow("d1")
inp = op.input("inp", flow, TestingSource([("k", 1)]))
clock = win.EventClock(lambda v: BASE + timedelta(minutes=v), wait_for_system_duration=timedelta(0))
wo = win.collect_window("win", inp, clock, win.TumblingWindower(length=timedelta(minutes=10), align_to=BASE))
counts = op.count_final("count", op.key_rm("unkey", wo.down), lambda x: "k")
op.inspect("joined", op.join("join", counts, wo.down, emit_mode="running"))
