from datetime import datetime, timedelta, timezone

import bytewax.operators as op
import bytewax.operators.windowing as win
from bytewax.dataflow import Dataflow
from bytewax.operators.windowing import EventClock, TumblingWindower
from bytewax.testing import TestingSource

start = datetime(2024, 1, 1, tzinfo=timezone.utc)

# (user_id, minutes after midnight, value); both inputs emit one item per round.
name_events = [
    ("123", 0, "Bee"),
    ("456", 10, "Hive"),
    ("123", 70, "Bumble"),
]
email_events = [
    ("456", 5, "hive@hive.com"),
    ("123", 15, "bee@hive.com"),
    ("456", 75, "queen@hive.com"),
    ("123", 80, "bumble@hive.com"),
    ("123", 90, "b2@hive.com"),
]

flow = Dataflow("win_join")


def keyed(step_id, events):
    inp = op.input(step_id, flow, TestingSource(events))
    by_user = op.key_on(f"{step_id}_by_user", inp, lambda e: e[0])
    return op.map_value(f"{step_id}_value", by_user, lambda e: (e[1], e[2]))


names = keyed("names", name_events)
emails = keyed("emails", email_events)

clock = EventClock(lambda v: start + timedelta(minutes=v[0]), wait_for_system_duration=timedelta(0))
windower = TumblingWindower(length=timedelta(hours=1), align_to=start)

# Bytewax 0.21's call form; the defaults emit each window's last values when it closes.
final = win.join_window("join", clock, windower, names, emails)

# Keyword form: emit a row as soon as every side has a value in the window.
complete = win.join_window(
    "join2", names, emails, clock=clock, windower=windower, emit_mode="complete"
)

op.inspect("final", final.down)
op.inspect("complete", complete.down)
