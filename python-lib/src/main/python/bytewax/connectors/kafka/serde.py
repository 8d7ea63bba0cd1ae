"""Plain (unframed) Avro serializers for Kafka messages, on Apache Avro for Java.

Plain means the bytes are the Avro encoding alone, without the magic byte and schema id that
the Confluent schema registry's serializers put in front.
"""

import json
from typing import Dict, Optional, Union

from bytewax._wax.engine import host
from bytewax.connectors.kafka import _kafka
from confluent_kafka.serialization import Deserializer, SerializationContext, Serializer

__all__ = ["PlainAvroDeserializer", "PlainAvroSerializer"]


def _schema_text(schema) -> str:
    # A registry `Schema` carries its text in `schema_str`.
    text = getattr(schema, "schema_str", schema)
    if isinstance(text, dict):
        return json.dumps(text)
    if not isinstance(text, str):
        msg = f"an Avro schema must be a JSON `str`; got a {type(schema)!r}"
        raise TypeError(msg)
    return text


def _python(value):
    """A value `PyAvro.decode` returned, as Python's own."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    tag = value[0]
    if tag == "d":
        return {value[i]: _python(value[i + 1]) for i in range(1, len(value), 2)}
    if tag == "l":
        return [_python(value[i]) for i in range(1, len(value))]
    return value[1].encode("latin-1")


class _PlainAvro:
    """The parsed schema both directions use."""

    def __init__(self, schema: Union[str, object], named_schemas: Optional[Dict] = None):
        """Init.

        :arg schema: The schema, as JSON text.

        :arg named_schemas: Other schemas (JSON text, by name) that `schema` refers to.
        """
        named = [_schema_text(other) for other in (named_schemas or {}).values()]
        self.schema = _kafka(host().avro, _schema_text(schema), named)


class PlainAvroSerializer(_PlainAvro, Serializer):
    """Writes an object as plain Avro of `schema`."""

    def __call__(self, obj: Optional[object], ctx: Optional[SerializationContext] = None) -> Optional[bytes]:
        return _kafka(self.schema.encode, obj).encode("latin-1")


class PlainAvroDeserializer(_PlainAvro, Deserializer):
    """Reads plain Avro of `schema`: records come back as `dict`s."""

    def __call__(self, value: Optional[bytes], ctx: Optional[SerializationContext] = None) -> Optional[object]:
        if value is None:
            msg = "Can't deserialize None data"
            raise ValueError(msg)
        if isinstance(value, str):
            value = value.encode()
        return _python(_kafka(self.schema.decode, value))
