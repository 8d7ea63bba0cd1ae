from datetime import datetime, timedelta, timezone

import bytewax.operators as op
import bytewax.operators.windowing as win
from bytewax.dataflow import Dataflow
from bytewax.operators.windowing import EventClock, TumblingWindower
from bytewax.testing import TestingSource

start = datetime(2024, 1, 1, 12, 0, tzinfo=timezone.utc)

# (sensor, minutes after 12:00, reading), in arrival order.
readings = [
    ("s1", 2, "a"),
    ("s2", 3, "h"),
    ("s1", 9, "b"),
    ("s1", 6, "c"),  # out of order, within the 5 minute wait
    ("s1", 17, "d"),  # s1's watermark moves to 12:12, closing window 0
    ("s1", 8, "e"),  # too late: window 0 is closed
    ("s2", 1, "i"),  # on time: s2 has its own watermark
    ("s1", 15, "f"),
    ("s1", 11, "g"),  # too late, even though window 1 is still open
]

flow = Dataflow("win_late")
inp = op.input("inp", flow, TestingSource(readings))
keyed = op.key_on("by_sensor", inp, lambda r: r[0])

clock = EventClock(
    lambda r: start + timedelta(minutes=r[1]),
    wait_for_system_duration=timedelta(minutes=5),
)
windower = TumblingWindower(length=timedelta(minutes=10), align_to=start)
wo = win.collect_window("collect", keyed, clock, windower)

op.inspect("down", wo.down)
op.inspect("late", wo.late)
