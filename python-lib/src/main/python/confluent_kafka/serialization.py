"""`confluent_kafka.serialization`: the serializer interfaces `bytewax.connectors.kafka.operators` takes."""

import struct

from confluent_kafka._error import KafkaError, KafkaException

__all__ = [
    "Deserializer",
    "DoubleDeserializer",
    "DoubleSerializer",
    "IntegerDeserializer",
    "IntegerSerializer",
    "MessageField",
    "SerializationContext",
    "SerializationError",
    "Serializer",
    "StringDeserializer",
    "StringSerializer",
]


class MessageField:
    """Which part of a message is being (de)serialized."""

    NONE = "none"
    KEY = "key"
    VALUE = "value"


class SerializationContext:
    """What a serializer is told about the value it (de)serializes."""

    def __init__(self, topic, field, headers=None):
        self.topic = topic
        self.field = field
        self.headers = headers


class SerializationError(KafkaException):
    """A value could not be serialized or deserialized."""


class Serializer:
    """Turns an object into bytes: subclasses implement `__call__(obj, ctx=None)`."""

    __slots__ = []

    def __call__(self, obj, ctx=None):
        raise NotImplementedError


class Deserializer:
    """Turns bytes into an object: subclasses implement `__call__(value, ctx=None)`."""

    __slots__ = []

    def __call__(self, value, ctx=None):
        raise NotImplementedError


class _Struct(Serializer):
    """A number as fixed-width big-endian bytes."""

    __slots__ = ["_format"]

    def __init__(self, fmt):
        self._format = fmt

    def __call__(self, obj, ctx=None):
        if obj is None:
            return None
        try:
            return struct.pack(self._format, obj)
        except struct.error as e:
            raise SerializationError(KafkaError(KafkaError._VALUE_SERIALIZATION, str(e))) from e


class _Unstruct(Deserializer):
    __slots__ = ["_format"]

    def __init__(self, fmt):
        self._format = fmt

    def __call__(self, value, ctx=None):
        if value is None:
            return None
        try:
            return struct.unpack(self._format, value)[0]
        except struct.error as e:
            raise SerializationError(KafkaError(KafkaError._VALUE_DESERIALIZATION, str(e))) from e


class IntegerSerializer(_Struct):
    """A 32-bit signed integer, big-endian."""

    __slots__ = []

    def __init__(self):
        super().__init__(">i")


class IntegerDeserializer(_Unstruct):
    __slots__ = []

    def __init__(self):
        super().__init__(">i")


class DoubleSerializer(_Struct):
    """An IEEE 754 double, big-endian."""

    __slots__ = []

    def __init__(self):
        super().__init__(">d")


class DoubleDeserializer(_Unstruct):
    __slots__ = []

    def __init__(self):
        super().__init__(">d")


class StringSerializer(Serializer):
    """A `str` as bytes in `codec` (UTF-8 by default)."""

    __slots__ = ["codec"]

    def __init__(self, codec="utf_8"):
        self.codec = codec

    def __call__(self, obj, ctx=None):
        if obj is None:
            return None
        try:
            return obj.encode(self.codec)
        except (AttributeError, UnicodeError) as e:
            raise SerializationError(KafkaError(KafkaError._VALUE_SERIALIZATION, str(e))) from e


class StringDeserializer(Deserializer):
    __slots__ = ["codec"]

    def __init__(self, codec="utf_8"):
        self.codec = codec

    def __call__(self, value, ctx=None):
        if value is None:
            return None
        try:
            return value.decode(self.codec)
        except UnicodeError as e:
            raise SerializationError(KafkaError(KafkaError._VALUE_DESERIALIZATION, str(e))) from e
