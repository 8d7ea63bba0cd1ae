# Copies Kafka topics to one topic, value by value, keeping keys: the Kafka tests' flow.
# WAX_TEST_BROKERS, KAFKA_IN (comma-separated topics), KAFKA_OUT; KAFKA_TAIL=1 keeps reading;
# KAFKA_START: "beginning", "end" or an offset; KAFKA_TRANSACTIONAL_ID makes the sink exactly once.
import os

from bytewax import operators as op
from bytewax.connectors.kafka import KafkaSink, KafkaSinkMessage, KafkaSource
from bytewax.dataflow import Dataflow
from confluent_kafka import OFFSET_BEGINNING, OFFSET_END

brokers = os.environ["WAX_TEST_BROKERS"].split(",")
start = os.environ.get("KAFKA_START", "beginning")
starting_offset = {"beginning": OFFSET_BEGINNING, "end": OFFSET_END}.get(start)
if starting_offset is None:
    starting_offset = int(start)

flow = Dataflow("kafka_copy")
source = KafkaSource(
    brokers,
    os.environ["KAFKA_IN"].split(","),
    tail=os.environ.get("KAFKA_TAIL") == "1",
    starting_offset=starting_offset,
    batch_size=7,
)
messages = op.input("in", flow, source)
copies = op.map("copy", messages, lambda m: KafkaSinkMessage(m.key, m.value + b"!"))
transactional_id = os.environ.get("KAFKA_TRANSACTIONAL_ID")
add_config = None if transactional_id is None else {"transactional.id": transactional_id}
op.output("out", copies, KafkaSink(brokers, os.environ["KAFKA_OUT"], add_config))
