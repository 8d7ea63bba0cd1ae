from datetime import datetime, timedelta, timezone

import bytewax.operators as op
from bytewax.connectors.stdio import StdOutSink
from bytewax.dataflow import Dataflow
import bytewax.operators.windowing as win
from bytewax.operators.windowing import EventClock, TumblingWindower
from bytewax.testing import TestingSource

flow = Dataflow("window_eg")

src = [
    {"user_id": "123", "value": 5, "time": "2023-01-01T00:00:00+00:00"},
    {"user_id": "456", "value": 10, "time": "2023-01-01T00:00:02+00:00"},
    {"user_id": "123", "value": 7, "time": "2023-01-01T00:00:01+00:00"},
    {"user_id": "456", "value": 6, "time": "2023-01-01T00:00:11+00:00"},
    {"user_id": "123", "value": 2, "time": "2023-01-01T00:00:07+00:00"},
    # Older than user 456's newest event, but within the 10 second wait.
    {"user_id": "456", "value": 4, "time": "2023-01-01T00:00:04+00:00"},
    {"user_id": "456", "value": 9, "time": "2023-01-01T00:00:12+00:00"},
]
inp = op.input("inp", flow, TestingSource(src))
keyed_inp = op.key_on("keyed_inp", inp, lambda x: x["user_id"])

# This function instructs the event clock on how to retrieve the
# event's datetime from the input.
# Note that the datetime MUST be UTC. If the datetime is using a different
# representation, we would have to convert it here.
def get_event_time(event):
    return datetime.fromisoformat(event["time"])

# Configure the `fold_window` operator to use the event time.
clock = EventClock(get_event_time, wait_for_system_duration=timedelta(seconds=10))

# And a 5 seconds tumbling window
align_to = datetime(2023, 1, 1, tzinfo=timezone.utc)
windower = TumblingWindower(align_to=align_to, length=timedelta(seconds=5))

five_sec_buckets_win_out = win.collect_window(
    "five_sec_buckets", keyed_inp, clock, windower
)

def calc_avg(bucket):
    values = [event["value"] for event in bucket]
    if len(values) > 0:
        return sum(values) / len(values)
    else:
        return None

# In Bytewax 0.21 each `down` value is `(window_id, bucket)`: the seed's
# `op.map_value("avg_in_bucket", five_sec_buckets_win_out.down, calc_avg)`
# would hand `calc_avg` that tuple and fail, so keep the window id and
# average the bucket.
five_sec_avgs = op.map_value(
    "avg_in_bucket",
    five_sec_buckets_win_out.down,
    lambda id_bucket: (id_bucket[0], calc_avg(id_bucket[1])),
)
op.output("out", five_sec_avgs, StdOutSink())
