# Reads a topic to its end, deserializing JSON values: good ones to stdout, bad ones to the errs
# stream, printed with where they came from.
import json
import os

from bytewax import operators as op
from bytewax.connectors.kafka import operators as kop
from bytewax.dataflow import Dataflow
from confluent_kafka.serialization import Deserializer


class JsonDeserializer(Deserializer):
    def __call__(self, value, ctx=None):
        return json.loads(value)


flow = Dataflow("kafka_errors")
inp = kop.input("inp", flow, brokers=[os.environ["WAX_TEST_BROKERS"]], topics=[os.environ["KAFKA_IN"]], tail=False)
values = kop.deserialize_value("json", inp.oks, JsonDeserializer())
op.inspect("ok", op.map("value", values.oks, lambda m: m.value))
op.inspect(
    "err",
    op.map(
        "where",
        values.errs,
        lambda e: (e.err.name(), e.msg.topic, e.msg.partition, e.msg.offset, e.msg.value),
    ),
)
