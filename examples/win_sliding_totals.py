from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import bytewax.operators as op
import bytewax.operators.windowing as win
from bytewax.connectors.stdio import StdOutSink
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource


@dataclass
class Transaction:
    account: str
    amount: int
    timestamp: datetime


def at(hour, minute):
    return datetime(2024, 1, 1, hour, minute, tzinfo=timezone.utc)


transactions = [
    Transaction("A", 100, at(10, 5)),
    Transaction("B", 200, at(10, 20)),
    Transaction("A", 50, at(10, 40)),
    Transaction("A", 25, at(11, 10)),
    Transaction("B", 300, at(11, 50)),
    Transaction("A", 10, at(12, 45)),
]

flow = Dataflow("sliding_totals")
inp = op.input("inp", flow, TestingSource(transactions))
keyed_transactions = op.key_on("by_account", inp, lambda t: t.account)


# Calculate running totals in sliding windows
def create_total():
    return 0


def add_to_total(total, event):
    return total + event.amount


# 1-hour windows starting every 30 minutes; no `align_to`, so the windows are
# aligned to the Unix epoch and the window ids count half hours since 1970.
sliding_totals = win.fold_window(
    "sliding_totals",
    keyed_transactions,
    win.EventClock(lambda t: t.timestamp),
    win.SlidingWindower(timedelta(hours=1), timedelta(minutes=30)),
    create_total,
    add_to_total,
)
op.output("out", sliding_totals.down, StdOutSink())
