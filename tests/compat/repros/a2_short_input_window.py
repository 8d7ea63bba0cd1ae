# Group A with a window: the window closes at end of the short input, the other input still runs.
from datetime import datetime, timedelta, timezone

import bytewax.operators as op
import bytewax.operators.windowing as win
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

BASE = datetime(2024, 1, 1, tzinfo=timezone.utc)

flow = Dataflow("a2")
long = op.input("long", flow, TestingSource([1, 2, 3]))
short = op.input("short", flow, TestingSource([("k", 5)]))
op.inspect("long_item", long)
clock = win.EventClock(lambda v: BASE + timedelta(minutes=v), wait_for_system_duration=timedelta(0))
wo = win.collect_window("win", short, clock, win.TumblingWindower(length=timedelta(minutes=10), align_to=BASE))
op.inspect("closed", wo.down)
