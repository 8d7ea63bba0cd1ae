"""Operators for Kafka input and output, with streams of errors.

```python
from bytewax.connectors.kafka import operators as kop
```
"""

from dataclasses import dataclass
from typing import Any, Dict, Generic, List, Optional, TypeVar, Union

import bytewax.operators as op
import confluent_kafka.serialization
from bytewax.connectors.kafka import (
    KafkaError,
    KafkaSink,
    KafkaSinkMessage,
    KafkaSource,
    KafkaSourceMessage,
)
from bytewax.dataflow import Dataflow, Stream, operator
from confluent_kafka import OFFSET_BEGINNING
from confluent_kafka import KafkaError as ConfluentKafkaError
from confluent_kafka.serialization import MessageField, SerializationContext

__all__ = [
    "KafkaOpOut",
    "deserialize",
    "deserialize_key",
    "deserialize_value",
    "input",
    "output",
    "serialize",
    "serialize_key",
    "serialize_value",
]

X = TypeVar("X")
"""Type of the items that went through."""

E = TypeVar("E")
"""Type of the errors."""


@dataclass(frozen=True)
class KafkaOpOut(Generic[X, E]):
    """The two streams out of a Kafka operator."""

    oks: Stream[X]
    """Items that went through."""

    errs: Stream[E]
    """Errors."""


@operator
def _kafka_error_split(step_id: str, up: Stream) -> KafkaOpOut:
    """Messages to `oks`, `KafkaError`s to `errs`."""
    branch = op.branch("branch", up, lambda msg: isinstance(msg, KafkaSourceMessage))
    return KafkaOpOut(branch.trues, branch.falses)


@operator
def _to_sink(step_id: str, up: Stream) -> Stream[KafkaSinkMessage]:
    """Source messages become sink messages; sink messages pass as they are."""

    def as_sink(msg):
        return msg.to_sink() if isinstance(msg, KafkaSourceMessage) else msg

    return op.map("map", up, as_sink)


@operator
def input(  # noqa: A001
    step_id: str,
    flow: Dataflow,
    *,
    brokers: List[str],
    topics: List[str],
    tail: bool = True,
    starting_offset: int = OFFSET_BEGINNING,
    add_config: Optional[Dict[str, str]] = None,
    batch_size: int = 1000,
) -> KafkaOpOut[KafkaSourceMessage, KafkaError]:
    """Read Kafka topics: messages in `oks`, consumer errors in `errs`.

    :arg step_id: Unique ID.

    :arg flow: Dataflow.

    :arg brokers: `host:port` of Kafka brokers.

    :arg topics: Topics to read.

    :arg tail: Whether to wait for new messages at the end of a partition.

    :arg starting_offset: `OFFSET_BEGINNING`, `OFFSET_END`, `OFFSET_STORED` or an offset.

    :arg add_config: More client settings, by librdkafka's names.

    :arg batch_size: At most this many messages per batch.

    :returns: The messages and the errors.
    """
    source = KafkaSource(
        brokers, topics, tail, starting_offset, add_config, batch_size, raise_on_errors=False
    )
    return op.input("kafka_input", flow, source).then(_kafka_error_split, "split_err")


@operator
def output(
    step_id: str,
    up: Stream[Union[KafkaSourceMessage, KafkaSinkMessage]],
    *,
    brokers: List[str],
    topic: str,
    add_config: Optional[Dict[str, str]] = None,
) -> None:
    """Write messages to Kafka; a message's own `topic` wins over `topic`.

    :arg step_id: Unique ID.

    :arg up: Messages with `bytes` (or `str`, or `None`) keys and values.

    :arg brokers: `host:port` of Kafka brokers.

    :arg topic: Topic to write to.

    :arg add_config: More client settings, by librdkafka's names.
    """
    return _to_sink("to_sink", up).then(op.output, "kafka_output", KafkaSink(brokers, topic, add_config))


def _context(msg, field):
    return SerializationContext(msg.topic, field)


def _failed(code, e, msg):
    return KafkaError(ConfluentKafkaError(code, f"{e}"), msg)


@operator
def deserialize_key(
    step_id: str,
    up: Stream[KafkaSourceMessage],
    deserializer: confluent_kafka.serialization.Deserializer,
) -> KafkaOpOut[KafkaSourceMessage, KafkaError]:
    """Deserialize message keys; messages whose key fails go to `errs`.

    :arg step_id: Unique ID.

    :arg up: Stream.

    :arg deserializer: To use.

    :returns: Deserialized messages and errors.
    """

    def key_of(msg):
        try:
            return msg._with_key(deserializer(msg.key, _context(msg, MessageField.KEY)))
        except Exception as e:
            return _failed(ConfluentKafkaError._KEY_DESERIALIZATION, e, msg)

    return op.map("map", up, key_of).then(_kafka_error_split, "split")


@operator
def deserialize_value(
    step_id: str,
    up: Stream[KafkaSourceMessage],
    deserializer: confluent_kafka.serialization.Deserializer,
) -> KafkaOpOut[KafkaSourceMessage, KafkaError]:
    """Deserialize message values; messages whose value fails go to `errs`.

    :arg step_id: Unique ID.

    :arg up: Stream.

    :arg deserializer: To use.

    :returns: Deserialized messages and errors.
    """

    def value_of(msg):
        try:
            return msg._with_value(deserializer(msg.value, ctx=_context(msg, MessageField.VALUE)))
        except Exception as e:
            return _failed(ConfluentKafkaError._VALUE_DESERIALIZATION, e, msg)

    return op.map("map", up, value_of).then(_kafka_error_split, "split_err")


@operator
def deserialize(
    step_id: str,
    up: Stream[KafkaSourceMessage],
    *,
    key_deserializer: confluent_kafka.serialization.Deserializer,
    val_deserializer: confluent_kafka.serialization.Deserializer,
) -> KafkaOpOut[KafkaSourceMessage, KafkaError]:
    """Deserialize keys and values; a message where either fails goes to `errs` as it came.

    :arg step_id: Unique ID.

    :arg up: Stream.

    :arg key_deserializer: To use.

    :arg val_deserializer: To use.

    :returns: Deserialized messages and errors.
    """

    def both_of(msg):
        try:
            key = key_deserializer(msg.key, ctx=_context(msg, MessageField.KEY))
        except Exception as e:
            return _failed(ConfluentKafkaError._KEY_DESERIALIZATION, e, msg)
        try:
            value = val_deserializer(msg.value, ctx=_context(msg, MessageField.VALUE))
        except Exception as e:
            return _failed(ConfluentKafkaError._VALUE_DESERIALIZATION, e, msg)
        return msg._with_key_and_value(key, value)

    return op.map("map", up, both_of).then(_kafka_error_split, "split_err")


@operator
def serialize_key(
    step_id: str,
    up: Stream[Union[KafkaSourceMessage, KafkaSinkMessage]],
    serializer: confluent_kafka.serialization.Serializer,
) -> Stream[KafkaSinkMessage]:
    """Serialize message keys; a failure raises.

    :arg step_id: Unique ID.

    :arg up: Stream; source messages become sink messages first.

    :arg serializer: To use.

    :returns: Serialized messages.
    """

    def key_of(msg):
        key = serializer(msg.key, ctx=_context(msg, MessageField.KEY))
        assert key is not None
        return msg._with_key(key)

    return _to_sink("to_sink", up).then(op.map, "map", key_of)


@operator
def serialize_value(
    step_id: str,
    up: Stream[Union[KafkaSourceMessage, KafkaSinkMessage]],
    serializer: confluent_kafka.serialization.Serializer,
) -> Stream[KafkaSinkMessage]:
    """Serialize message values; a failure raises.

    :arg step_id: Unique ID.

    :arg up: Stream; source messages become sink messages first.

    :arg serializer: To use.

    :returns: Serialized messages.
    """

    def value_of(msg):
        value = serializer(msg.value, ctx=_context(msg, MessageField.VALUE))
        assert value is not None
        return msg._with_value(value)

    return _to_sink("to_sink", up).then(op.map, "map", value_of)


@operator
def serialize(
    step_id: str,
    up: Stream[Union[KafkaSourceMessage, KafkaSinkMessage]],
    *,
    key_serializer: confluent_kafka.serialization.Serializer,
    val_serializer: confluent_kafka.serialization.Serializer,
) -> Stream[KafkaSinkMessage]:
    """Serialize keys and values; a failure raises.

    :arg step_id: Unique ID.

    :arg up: Stream; source messages become sink messages first.

    :arg key_serializer: To use.

    :arg val_serializer: To use.

    :returns: Serialized messages.
    """

    def both_of(msg):
        key = key_serializer(msg.key, ctx=_context(msg, MessageField.KEY))
        assert key is not None
        value = val_serializer(msg.value, ctx=_context(msg, MessageField.VALUE))
        assert value is not None
        return msg._with_key_and_value(key, value)

    return _to_sink("to_sink", up).then(op.map, "map", both_of)
