# Writes a few JSON user records to in_topic for kafka_in_out.py to read:
# `bin/wax run examples/kafka/produce_users.py` with a broker at localhost:19092.
import json

from bytewax import operators as op
from bytewax.connectors.kafka import KafkaSink, KafkaSinkMessage
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

USERS = [
    {"user_id": "1", "email": "ada@example.com"},
    {"user_id": "2", "email": "grace@bytewax.io"},
    {"user_id": "3", "email": "alan@example.org"},
]

flow = Dataflow("produce_users")
users = op.input("users", flow, TestingSource(USERS))
messages = op.map("to_message", users, lambda u: KafkaSinkMessage(u["user_id"].encode(), json.dumps(u)))
op.output("out", messages, KafkaSink(["localhost:19092"], "in_topic"))
