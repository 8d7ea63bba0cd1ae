"""bytewax.connectors.kafka without a broker: settings, messages, confluent_kafka's names.

The connector against a real broker is tested by the tests module's KafkaTest.
"""

import pytest
from bytewax.connectors.kafka import KafkaSink, KafkaSinkMessage, KafkaSource, KafkaSourceMessage, _pack
from bytewax.connectors.kafka._config import java_settings
from confluent_kafka import OFFSET_BEGINNING, OFFSET_END, OFFSET_STORED, KafkaError
from confluent_kafka.serialization import (
    IntegerDeserializer,
    IntegerSerializer,
    MessageField,
    SerializationContext,
    SerializationError,
    StringDeserializer,
    StringSerializer,
)


def as_dict(settings):
    return dict(zip(settings[::2], settings[1::2]))


def test_librdkafka_settings_become_the_java_clients_for_the_clients_they_concern():
    config = {
        "group.id": "g",
        "auto.offset.reset": "smallest",
        "enable.auto.commit": False,
        "security.protocol": "sasl_plaintext",
        "sasl.mechanisms": "SCRAM-SHA-256",
        "sasl.username": "ann",
        "sasl.password": 'p"w',
        "queue.buffering.max.ms": 5,
        "fetch.wait.max.ms": 100,
    }
    consumer = as_dict(java_settings(["a:1", "b:2"], config, "consumer"))
    assert consumer == {
        "bootstrap.servers": "a:1,b:2",
        "group.id": "g",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": "false",
        "security.protocol": "SASL_PLAINTEXT",
        "sasl.mechanism": "SCRAM-SHA-256",
        "fetch.max.wait.ms": "100",
        "sasl.jaas.config": 'org.apache.kafka.common.security.scram.ScramLoginModule required '
        'username="ann" password="p\\"w";',
    }
    producer = as_dict(java_settings(["a:1"], config, "producer"))
    assert producer["linger.ms"] == "5"
    assert "group.id" not in producer and "fetch.max.wait.ms" not in producer


def test_a_setting_the_java_client_cannot_honour_is_an_error_naming_it():
    with pytest.raises(ValueError, match="Kafka setting 'queue.buffering.max.messages' in `add_config` is not supported by Wax"):
        KafkaSink(["localhost:19092"], "t", add_config={"queue.buffering.max.messages": 10})
    with pytest.raises(ValueError, match="'auto.offset.reset' must be one of"):
        KafkaSource(["localhost:19092"], ["t"], add_config={"auto.offset.reset": "sometime"})


def test_pem_files_become_a_pem_trust_store_and_key_store(tmp_path):
    (tmp_path / "cert.pem").write_text("CERT")
    (tmp_path / "key.pem").write_text("KEY")
    config = {
        "ssl.ca.location": "/etc/ca.pem",
        "ssl.certificate.location": str(tmp_path / "cert.pem"),
        "ssl.key.location": str(tmp_path / "key.pem"),
    }
    settings = as_dict(java_settings(["a:1"], config, "admin"))
    assert settings["ssl.truststore.type"] == "PEM"
    assert settings["ssl.truststore.location"] == "/etc/ca.pem"
    assert settings["ssl.keystore.certificate.chain"] == "CERT"
    assert settings["ssl.keystore.key"] == "KEY"


def test_brokers_and_topics_must_not_be_strings():
    with pytest.raises(TypeError, match="brokers must be an iterable and not a string"):
        KafkaSource("localhost:19092", ["t"])
    with pytest.raises(TypeError, match="topics must be an iterable and not a string"):
        KafkaSource(["localhost:19092"], "t")


def test_messages_convert_and_keep_their_metadata():
    source = KafkaSourceMessage(b"k", b"v", "t", [("h", b"1")], None, 7, 2, (1, 1000))
    assert source.to_sink() == KafkaSinkMessage(b"k", b"v", headers=[("h", b"1")])
    assert source._with_value("x") == KafkaSourceMessage(b"k", "x", "t", [("h", b"1")], None, 7, 2, (1, 1000))


def test_sink_items_must_be_sink_messages_of_bytes_or_str():
    assert _pack([KafkaSinkMessage(None, "é")], "t") == (
        b"\x00\x00\x00\x01" + b"\x00\x00\x00\x01t" + b"\xff\xff\xff\xff" + b"\x00" * 8
        + b"\xff\xff\xff\xff" + b"\x00\x00\x00\x02\xc3\xa9" + b"\x00\x00\x00\x00"
    )
    with pytest.raises(TypeError, match="a Kafka sink takes `KafkaSinkMessage` items; got a <class 'int'>"):
        _pack([1], "t")
    with pytest.raises(TypeError, match="Kafka message value must be `bytes`, `str` or `None`; got a <class 'dict'>"):
        _pack([KafkaSinkMessage(None, {"a": 1})], "t")
    with pytest.raises(RuntimeError, match="No topic to produce to for"):
        _pack([KafkaSinkMessage(None, b"v")], None)


def test_confluent_kafka_offers_its_offsets_errors_and_serializers():
    assert (OFFSET_BEGINNING, OFFSET_END, OFFSET_STORED) == (-2, -1, -1000)
    err = KafkaError(KafkaError._VALUE_DESERIALIZATION, "bad json")
    assert (err.code(), err.name(), err.str()) == (-159, "_VALUE_DESERIALIZATION", "bad json")
    assert str(err) == 'KafkaError{code=_VALUE_DESERIALIZATION,val=-159,str="bad json"}'
    assert err == KafkaError._VALUE_DESERIALIZATION
    ctx = SerializationContext("t", MessageField.VALUE)
    assert StringDeserializer()(StringSerializer()("é", ctx), ctx) == "é"
    assert IntegerSerializer()(258) == b"\x00\x00\x01\x02"
    assert IntegerDeserializer()(b"\x00\x00\x01\x02") == 258
    with pytest.raises(SerializationError):
        IntegerDeserializer()(b"\x01")


def test_other_confluent_kafka_names_say_what_wax_provides():
    with pytest.raises(ImportError, match=r"confluent_kafka.Consumer is not available on Wax: Wax provides only OFFSET_BEGINNING"):
        from confluent_kafka import Consumer  # noqa: F401


AVRO_USER = """{"type": "record", "name": "User", "fields": [
    {"name": "id", "type": "long"},
    {"name": "name", "type": "string"},
    {"name": "email", "type": ["null", "string"], "default": null},
    {"name": "tags", "type": {"type": "array", "items": "string"}},
    {"name": "scores", "type": {"type": "map", "values": "double"}},
    {"name": "raw", "type": "bytes"},
    {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B"]}},
    {"name": "ok", "type": "boolean"}]}"""


def test_plain_avro_writes_avro_binary_and_reads_it_back():
    from bytewax.connectors.kafka.serde import PlainAvroDeserializer, PlainAvroSerializer

    user = {
        "id": 7,
        "name": "ada",
        "email": "a@x.org",
        "tags": ["x"],
        "scores": {"m": 1.5},
        "raw": b"\x00\xff",
        "kind": "B",
        "ok": True,
    }
    data = PlainAvroSerializer(AVRO_USER)(user)
    assert data == (
        b"\x0e" + b"\x06ada" + b"\x02\x0ea@x.org" + b"\x02\x02x\x00"
        + b"\x02\x02m" + b"\x00\x00\x00\x00\x00\x00\xf8?" + b"\x00"
        + b"\x04\x00\xff" + b"\x02" + b"\x01"
    )
    assert PlainAvroDeserializer(AVRO_USER)(data) == user
    # A missing field with a default gets it.
    short = PlainAvroSerializer(AVRO_USER)({**{k: v for k, v in user.items() if k != "email"}})
    assert PlainAvroDeserializer(AVRO_USER)(short)["email"] is None


def test_plain_avro_errors_say_where_and_what():
    from bytewax.connectors.kafka.serde import PlainAvroDeserializer, PlainAvroSerializer

    with pytest.raises(ValueError, match=r"the value\['id'\] is a str where the Avro schema wants long"):
        PlainAvroSerializer(AVRO_USER)({"id": "7"})
    with pytest.raises(ValueError, match="the value has no field 'name' that record User needs"):
        PlainAvroSerializer(AVRO_USER)({"id": 7})
    with pytest.raises(ValueError, match="cannot read Avro record User from these 1 bytes: they end too soon"):
        PlainAvroDeserializer(AVRO_USER)(b"\x0e")
    with pytest.raises(ValueError, match="Can't deserialize None data"):
        PlainAvroDeserializer(AVRO_USER)(None)
    with pytest.raises(ValueError, match="invalid Avro schema"):
        PlainAvroSerializer('{"type": "record"}')


def test_packed_records_unpack_into_source_messages():
    import struct

    from bytewax.connectors.kafka import _unpack

    def record(offset, key, value, headers):
        head = struct.pack(
            ">qbqiii", offset, 2, 1700, -1 if key is None else len(key), -1 if value is None else len(value), len(headers)
        )
        body = (key or b"") + (value or b"")
        for name, data in headers:
            body += struct.pack(">i", len(name)) + name.encode()
            body += struct.pack(">i", -1) if data is None else struct.pack(">i", len(data)) + data
        return head + body

    data = record(5, None, b"v", [("h", b"1"), ("n", None)]) + record(6, b"k", None, [])
    assert _unpack(data, "t", 3) == [
        KafkaSourceMessage(None, b"v", "t", [("h", b"1"), ("n", None)], None, 5, 3, (2, 1700)),
        KafkaSourceMessage(b"k", None, "t", [], None, 6, 3, (2, 1700)),
    ]
    assert _unpack(data, "t", 3)[1]._with_value(b"x") == KafkaSourceMessage(b"k", b"x", "t", [], None, 6, 3, (2, 1700))
