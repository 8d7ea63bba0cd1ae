from datetime import datetime, timedelta, timezone

import bytewax.operators as op
import bytewax.operators.windowing as win
from bytewax.dataflow import Dataflow
from bytewax.operators.windowing import EventClock, TumblingWindower
from bytewax.testing import TestingSource

start = datetime(2024, 1, 1, tzinfo=timezone.utc)

# (store, minutes after midnight, amount)
orders = [
    ("north", 5, 30),
    ("south", 10, 12),
    ("north", 20, 55),
    ("north", 40, 55),  # ties with the 00:20 order: the earlier one stays the max
    ("south", 50, 7),
    ("north", 65, 8),
    ("south", 70, 40),
    ("north", 90, 3),
    ("south", 130, 1),
]

flow = Dataflow("win_count_max")
inp = op.input("inp", flow, TestingSource(orders))

clock = EventClock(lambda o: start + timedelta(minutes=o[1]), wait_for_system_duration=timedelta(0))
windower = TumblingWindower(length=timedelta(hours=1), align_to=start)

# count_window takes an unkeyed stream and a `key` function.
counts = win.count_window("count", inp, clock, windower, key=lambda o: o[0])

by_store = op.key_on("by_store", inp, lambda o: o[0])
biggest = win.max_window("biggest", by_store, clock, windower, by=lambda o: o[2])
smallest = win.min_window("smallest", by_store, clock, windower, lambda o: o[2])

op.inspect("counts", counts.down)
op.inspect("maxes", biggest.down)
op.inspect("mins", smallest.down)
