"""The few `confluent_kafka` names that flows written for Bytewax import to use its Kafka connector.

Wax's `bytewax.connectors.kafka` runs on Apache Kafka's Java client, not on librdkafka, so the
rest of `confluent_kafka` (`Consumer`, `Producer`, `AdminClient`, the schema registry) is not
here: asking for it raises an `ImportError` that says so.
"""

from confluent_kafka._error import KafkaError, KafkaException

__all__ = [
    "OFFSET_BEGINNING",
    "OFFSET_END",
    "OFFSET_INVALID",
    "OFFSET_STORED",
    "TIMESTAMP_CREATE_TIME",
    "TIMESTAMP_LOG_APPEND_TIME",
    "TIMESTAMP_NOT_AVAILABLE",
    "KafkaError",
    "KafkaException",
]

# librdkafka's logical offsets.
OFFSET_BEGINNING = -2
OFFSET_END = -1
OFFSET_STORED = -1000
OFFSET_INVALID = -1001

# What the first element of a message's `(type, milliseconds)` timestamp means.
TIMESTAMP_NOT_AVAILABLE = 0
TIMESTAMP_CREATE_TIME = 1
TIMESTAMP_LOG_APPEND_TIME = 2


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    msg = (
        f"confluent_kafka.{name} is not available on Wax: Wax provides only "
        f"{', '.join(__all__)} and confluent_kafka.serialization, for use with "
        "bytewax.connectors.kafka (KafkaSource, KafkaSink and its operators), "
        "which runs on Apache Kafka's Java client"
    )
    raise ImportError(msg)
