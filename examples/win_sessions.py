from datetime import datetime, timedelta, timezone

import bytewax.operators as op
import bytewax.operators.windowing as win
from bytewax.dataflow import Dataflow
from bytewax.operators.windowing import EventClock, SessionWindower
from bytewax.testing import TestingSource


def at(minute):
    return datetime(2024, 1, 1, 9, 0, tzinfo=timezone.utc) + timedelta(minutes=minute)


clicks = [
    {"user": "alice", "time": at(0), "page": "home"},
    {"user": "bob", "time": at(1), "page": "home"},
    {"user": "alice", "time": at(3), "page": "search"},
    {"user": "alice", "time": at(10), "page": "cart"},
    # Arrives late but within the 5 minute wait; it bridges alice's two
    # sessions, so session 1 merges into session 0.
    {"user": "alice", "time": at(7), "page": "item"},
    {"user": "bob", "time": at(20), "page": "blog"},
    {"user": "alice", "time": at(30), "page": "home"},
    {"user": "alice", "time": at(32), "page": "help"},
]

flow = Dataflow("win_sessions")
inp = op.input("inp", flow, TestingSource(clicks))
keyed = op.key_on("by_user", inp, lambda e: e["user"])

clock = EventClock(lambda e: e["time"], wait_for_system_duration=timedelta(minutes=5))
windower = SessionWindower(gap=timedelta(minutes=5))
# Unordered: each click joins its session as it arrives, so sessions can merge.
sessions = win.collect_window("user_sessions", keyed, clock, windower, ordered=False)

pages = op.map_value(
    "pages", sessions.down, lambda id_events: (id_events[0], [e["page"] for e in id_events[1]])
)
op.inspect("down", pages)
op.inspect("meta", sessions.meta)
