"""Benchmark workload: Kafka -> deserialize JSON -> map in Python -> serialize JSON -> Kafka.

`wax python examples/bench/kafka_roundtrip.py BROKERS TOPIC N RUNS` reads TOPIC's N records
(keyed, JSON values) to the end RUNS times in this process, each run writing to TOPIC-wax-R,
and prints for each run:

    run=R items=N seconds=S items_per_s=T count=C

where C is how many records the map step saw.
"""

import json
import sys
import time

from bytewax import operators as op
from bytewax.connectors.kafka import KafkaSinkMessage
from bytewax.connectors.kafka import operators as kop
from bytewax.dataflow import Dataflow
from bytewax.testing import run_main
from confluent_kafka.serialization import Deserializer, Serializer, StringDeserializer, StringSerializer


class JsonDeserializer(Deserializer):
    def __call__(self, value, ctx=None):
        return json.loads(value)


class JsonSerializer(Serializer):
    def __call__(self, obj, ctx=None):
        return json.dumps(obj).encode()


def transform(user):
    """The same change the benchmark's Java loop makes."""
    return {"id": user["id"], "name": user["name"].upper(), "value": user["value"] * 2, "seen": True}


def make_flow(brokers, topic, out_topic, seen):
    def enrich(msg):
        seen[0] += 1
        return KafkaSinkMessage(msg.key, transform(msg.value))

    flow = Dataflow("kafka_roundtrip")
    inp = kop.input("in", flow, brokers=brokers, topics=[topic], tail=False)
    users = kop.deserialize("de", inp.oks, key_deserializer=StringDeserializer(), val_deserializer=JsonDeserializer())
    out = op.map("enrich", users.oks, enrich)
    encoded = kop.serialize("ser", out, key_serializer=StringSerializer(), val_serializer=JsonSerializer())
    kop.output("out", encoded, brokers=brokers, topic=out_topic)
    return flow


def main(brokers, topic, n, runs):
    for run in range(1, runs + 1):
        seen = [0]
        flow = make_flow(brokers.split(","), topic, f"{topic}-wax-{run}", seen)
        start = time.perf_counter()
        run_main(flow)
        seconds = time.perf_counter() - start
        print(f"run={run} items={n} seconds={seconds:.3f} items_per_s={n / seconds:.0f} count={seen[0]}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
