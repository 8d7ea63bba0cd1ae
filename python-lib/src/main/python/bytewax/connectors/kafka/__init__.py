"""Connectors for [Kafka](https://kafka.apache.org), on Apache Kafka's Java client.

`KafkaSource` reads topics with one source partition per Kafka partition; its state is the next
offset to read, so a resumed dataflow continues after the last snapshot. `KafkaSink` writes
each worker's items with its own producer. `bytewax.connectors.kafka.operators` wraps both with
streams of errors.

```python
from bytewax.connectors.kafka import KafkaSource, KafkaSink, KafkaSinkMessage
from bytewax import operators as op
from bytewax.dataflow import Dataflow

flow = Dataflow("example")
kinp = op.input("kafka-in", flow, KafkaSource(["localhost:19092"], ["in-topic"]))
out = op.map("map", kinp, lambda m: KafkaSinkMessage(m.key, m.value))
op.output("kafka-out", out, KafkaSink(["localhost:19092"], "out-topic"))
```
"""

import re
import struct
from dataclasses import dataclass, field
from typing import Dict, Generic, Iterable, List, Optional, Tuple, TypeVar, Union

from bytewax._wax.engine import host
from bytewax.connectors.kafka._config import java_settings
from bytewax.inputs import FixedPartitionedSource, StatefulSourcePartition
from bytewax.outputs import DynamicSink, StatelessSinkPartition
from confluent_kafka import OFFSET_BEGINNING
from confluent_kafka import KafkaError as ConfluentKafkaError

__all__ = [
    "KafkaError",
    "KafkaSink",
    "KafkaSinkMessage",
    "KafkaSource",
    "KafkaSourceMessage",
]

K = TypeVar("K")
"""Type of a message's key."""

V = TypeVar("V")
"""Type of a message's value."""

K_co = TypeVar("K_co", covariant=True)
V_co = TypeVar("V_co", covariant=True)
K2 = TypeVar("K2")
V2 = TypeVar("V2")


@dataclass(frozen=True)
class KafkaSourceMessage(Generic[K, V]):
    """A message read from Kafka."""

    key: K
    value: V

    topic: Optional[str] = field(default=None)
    headers: List[Tuple[str, bytes]] = field(default_factory=list)
    latency: Optional[float] = field(default=None)
    offset: Optional[int] = field(default=None)
    partition: Optional[int] = field(default=None)
    timestamp: Optional[Tuple[int, int]] = field(default=None)

    def to_sink(self) -> "KafkaSinkMessage[K, V]":
        """This message's key, value and headers, to write to a sink."""
        return KafkaSinkMessage(key=self.key, value=self.value, headers=self.headers)

    def _with_key(self, key):
        return self._with_key_and_value(key, self.value)

    def _with_value(self, value):
        return self._with_key_and_value(self.key, value)

    def _with_key_and_value(self, key, value):
        return _source_message(
            key, value, self.topic, self.headers, self.latency, self.offset, self.partition, self.timestamp
        )


_new_object = object.__new__


def _source_message(key, value, topic, headers, latency, offset, partition, timestamp):
    """A `KafkaSourceMessage`, made the fast way for the per-message paths.

    A frozen dataclass's `__init__` sets each field through `object.__setattr__`; filling the
    instance's `__dict__` gives the same object (equal, hashable, same repr) in a fraction of
    the time.
    """
    msg = _new_object(KafkaSourceMessage)
    fields = msg.__dict__
    fields["key"] = key
    fields["value"] = value
    fields["topic"] = topic
    fields["headers"] = headers
    fields["latency"] = latency
    fields["offset"] = offset
    fields["partition"] = partition
    fields["timestamp"] = timestamp
    return msg


@dataclass(frozen=True)
class KafkaError(Generic[K, V]):
    """An error reading from a `KafkaSource`, with the message it concerns."""

    err: ConfluentKafkaError
    """What went wrong."""

    msg: KafkaSourceMessage[K, V]
    """The message the error is about."""


@dataclass(frozen=True)
class KafkaSinkMessage(Generic[K_co, V_co]):
    """A message to write to Kafka."""

    key: K_co
    value: V_co

    topic: Optional[str] = None
    headers: List[Tuple[str, bytes]] = field(default_factory=list)
    partition: Optional[int] = None
    timestamp: int = 0

    def _with_key(self, key):
        return self._with_key_and_value(key, self.value)

    def _with_value(self, value):
        return self._with_key_and_value(self.key, value)

    def _with_key_and_value(self, key, value):
        return KafkaSinkMessage(key, value, self.topic, self.headers, self.partition, self.timestamp)


try:
    from polyglot import ForeignException as _JavaError
except ImportError:  # pragma: no cover - only outside GraalPy
    _JavaError = ()

_JAVA_CLASS = re.compile(r"^[\w.$]+: ")


def _kafka(method, *args):
    """Calls the Java client; its errors become Python's, with the client's message."""
    try:
        return method(*args)
    except _JavaError as e:
        text = str(e)
        error = ValueError if text.startswith("java.lang.IllegalArgumentException") else RuntimeError
        raise error(_JAVA_CLASS.sub("", text, count=1)) from None


_LENGTH = struct.Struct(">i")
_RECORD_HEAD = struct.Struct(">qbqiii")
_SINK_HEAD = struct.Struct(">iq")


def _unpack(data: bytes, topic: str, partition: int) -> List[KafkaSourceMessage]:
    """The messages `PyKafkaReader.poll` packed."""
    messages = []
    pos = 0
    end = len(data)
    head = _RECORD_HEAD.unpack_from
    head_size = _RECORD_HEAD.size
    while pos < end:
        offset, ts_type, ts, key_length, value_length, header_count = head(data, pos)
        pos += head_size
        key = None
        if key_length >= 0:
            key = data[pos : pos + key_length]
            pos += key_length
        value = None
        if value_length >= 0:
            value = data[pos : pos + value_length]
            pos += value_length
        headers = []
        for _ in range(header_count):
            (length,) = _LENGTH.unpack_from(data, pos)
            name = data[pos + 4 : pos + 4 + length].decode()
            pos += 4 + length
            (length,) = _LENGTH.unpack_from(data, pos)
            pos += 4
            header_value = None
            if length >= 0:
                header_value = data[pos : pos + length]
                pos += length
            headers.append((name, header_value))
        messages.append(_source_message(key, value, topic, headers, None, offset, partition, (ts_type, ts)))
    return messages


def _encoded(value, what: str, msg) -> Optional[bytes]:
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    err = (
        f"Kafka message {what} must be `bytes`, `str` or `None`; got a {type(value)!r} in {msg!r} "
        "(serialize it first, e.g. with `bytewax.connectors.kafka.operators.serialize`)"
    )
    raise TypeError(err)


def _pack(items, default_topic: Optional[str]) -> bytes:
    """A batch as `PyKafkaWriter.write` unpacks it."""
    out = [_LENGTH.pack(len(items))]

    def put(data: Optional[bytes]):
        if data is None:
            out.append(_LENGTH.pack(-1))
        else:
            out.append(_LENGTH.pack(len(data)))
            out.append(data)

    for msg in items:
        if not isinstance(msg, KafkaSinkMessage):
            err = f"a Kafka sink takes `KafkaSinkMessage` items; got a {type(msg)!r}: {msg!r}"
            raise TypeError(err)
        topic = default_topic if msg.topic is None else msg.topic
        if topic is None:
            err = f"No topic to produce to for {msg}"
            raise RuntimeError(err)
        put(topic.encode())
        out.append(_SINK_HEAD.pack(-1 if msg.partition is None else msg.partition, msg.timestamp or 0))
        put(_encoded(msg.key, "key", msg))
        put(_encoded(msg.value, "value", msg))
        headers = msg.headers or []
        out.append(_LENGTH.pack(len(headers)))
        for name, value in headers:
            put(name.encode())
            put(_encoded(value, "header value", msg))
    return b"".join(out)


class _KafkaSourcePartition(StatefulSourcePartition[Union[KafkaSourceMessage, KafkaError], Optional[int]]):
    def __init__(self, settings, topic, part_idx, starting_offset, resume_state, tail, batch_size, raise_on_errors):
        self._offset = starting_offset if resume_state is None else resume_state
        self._reader = _kafka(host().kafka().reader, settings, topic, part_idx, self._offset, tail, batch_size)
        self._topic = topic
        self._part_idx = part_idx
        self._raise_on_errors = raise_on_errors

    def next_batch(self) -> List[Union[KafkaSourceMessage, KafkaError]]:
        packed = _kafka(self._reader.poll)
        if packed is None:
            raise StopIteration()
        batch: List = _unpack(packed.encode("latin-1"), self._topic, self._part_idx)
        if batch:
            # Resume reading from the next message, not this one.
            self._offset = batch[-1].offset + 1
        error = self._reader.error()
        if error is not None:
            if self._raise_on_errors:
                msg = f"error consuming from Kafka topic `{self._topic!r}`: {error}"
                raise RuntimeError(msg)
            empty = KafkaSourceMessage(None, None, self._topic, [], None, self._offset, self._part_idx, None)
            batch.append(KafkaError(ConfluentKafkaError(ConfluentKafkaError._FAIL, error), empty))
        return batch

    def snapshot(self) -> Optional[int]:
        return self._offset

    def close(self) -> None:
        _kafka(self._reader.close)


class KafkaSource(FixedPartitionedSource[Union[KafkaSourceMessage, KafkaError], Optional[int]]):
    """Reads Kafka topics; each Kafka partition is a source partition.

    Emits `KafkaSourceMessage`s with `bytes` (or `None`) keys and values. A partition's state is
    the offset of its next message, so a resumed dataflow reads on from the last snapshot.
    """

    def __init__(
        self,
        brokers: Iterable[str],
        topics: Iterable[str],
        tail: bool = True,
        starting_offset: int = OFFSET_BEGINNING,
        add_config: Optional[Dict[str, str]] = None,
        batch_size: int = 1000,
        raise_on_errors: bool = True,
    ):
        """Init.

        :arg brokers: `host:port` of Kafka brokers.

        :arg topics: Topics to read.

        :arg tail: Whether to wait for new messages after the end of a partition; without it,
            each partition ends at the end it had when reading started.

        :arg starting_offset: `confluent_kafka.OFFSET_BEGINNING` (the default),
            `OFFSET_END`, `OFFSET_STORED` or an offset, for partitions without resume state.

        :arg add_config: More client settings, by librdkafka's names (see the README).

        :arg batch_size: At most this many messages per batch.

        :arg raise_on_errors: Whether a consumer error stops the dataflow; otherwise it is
            emitted as a `KafkaError`.
        """
        if isinstance(brokers, str):
            msg = "brokers must be an iterable and not a string"
            raise TypeError(msg)
        if isinstance(topics, str):
            msg = "topics must be an iterable and not a string"
            raise TypeError(msg)
        self._brokers = list(brokers)
        self._topics = list(topics)
        self._tail = tail
        self._starting_offset = starting_offset
        self._add_config = {} if add_config is None else add_config
        self._batch_size = batch_size
        self._raise_on_errors = raise_on_errors
        # Checked now, so a setting Wax cannot honour fails before the dataflow runs.
        java_settings(self._brokers, self._add_config, "consumer")

    def list_parts(self) -> List[str]:
        """Each Kafka partition, as `"{partition}-{topic}"`."""
        settings = java_settings(self._brokers, self._add_config, "admin")
        return list(_kafka(host().kafka().listParts, settings, self._topics))

    def build_part(self, step_id: str, for_part: str, resume_state: Optional[int]) -> _KafkaSourcePartition:
        """See ABC docstring."""
        idx, topic = for_part.split("-", 1)
        if topic not in self._topics:
            msg = (
                f"step {step_id!r} resumes Kafka partition {for_part!r} of topic {topic!r}, "
                f"which is not among its topics {self._topics!r}; can't resume from a different set of topics"
            )
            raise ValueError(msg)
        settings = java_settings(self._brokers, self._add_config, "consumer")
        # Wax keeps offsets in its recovery store, not in a consumer group.
        settings += ["group.id", "BYTEWAX_IGNORED"] if "group.id" not in settings[::2] else []
        settings += ["enable.auto.commit", "false"] if "enable.auto.commit" not in settings[::2] else []
        tail = self._tail
        eof = self._add_config.get("enable.partition.eof")
        if eof is not None:
            tail = str(eof).lower() not in ("true", "1")
        return _KafkaSourcePartition(
            settings,
            topic,
            int(idx),
            self._starting_offset,
            resume_state,
            tail,
            self._batch_size,
            self._raise_on_errors,
        )


class _KafkaSinkPartition(StatelessSinkPartition[KafkaSinkMessage]):
    def __init__(self, writer, topic, transactional: bool):
        self._writer = writer
        self._topic = topic
        if transactional:
            # The engine commits each epoch's transaction once its snapshot is durable.
            self._wax_committer = writer

    def write_batch(self, items: List[KafkaSinkMessage]) -> None:
        _kafka(self._writer.write, _pack(items, self._topic))

    def close(self) -> None:
        _kafka(self._writer.close)


class KafkaSink(DynamicSink[KafkaSinkMessage]):
    """Writes `KafkaSinkMessage`s (keys and values `bytes`, `str` or `None`) to Kafka.

    Each worker writes with its own producer. At least once: after a resume, messages of the
    epochs since the last snapshot are written again.

    Exactly once (Wax): with `add_config={"transactional.id": ID}`, worker `w` writes each epoch's
    messages in one Kafka transaction of the transactional id `ID-w`, committed only once the
    epoch's snapshot is durable; a consumer with `isolation.level=read_committed` sees every
    message once across crashes and resumes. Messages become visible one epoch later, and the
    consumer group `ID-w` records which transactions committed.
    """

    def __init__(
        self,
        brokers: Iterable[str],
        topic: Optional[str],
        add_config: Optional[Dict[str, str]] = None,
    ):
        """Init.

        :arg brokers: `host:port` of Kafka brokers.

        :arg topic: Topic to write to; with `None`, each message's `topic` says.

        :arg add_config: More client settings, by librdkafka's names (see the README);
            `transactional.id` makes the sink exactly once.
        """
        self._brokers = list(brokers)
        self._topic = topic
        self._add_config = {} if add_config is None else dict(add_config)
        self._transactional_id = self._add_config.pop("transactional.id", None)
        java_settings(self._brokers, self._add_config, "producer")

    def build(self, _step_id: str, worker_index: int, worker_count: int) -> _KafkaSinkPartition:
        """See ABC docstring."""
        settings = java_settings(self._brokers, self._add_config, "producer")
        kafka = host().kafka()
        if self._transactional_id is None:
            writer = _kafka(kafka.writer, settings)
        else:
            writer = _kafka(kafka.transactionalWriter, settings, str(self._transactional_id), worker_index)
        return _KafkaSinkPartition(writer, self._topic, self._transactional_id is not None)
