"""Kafka client settings as Bytewax users write them (librdkafka's names) -> the Java client's.

A setting is translated for the clients it concerns (`admin`, `consumer`, `producer`) and left
out of the others; one that Apache Kafka's Java client cannot honour is an error naming it.
"""

from pathlib import Path
from typing import Dict, List, Optional

_ALL = frozenset({"admin", "consumer", "producer"})
_CONSUMER = frozenset({"consumer"})
_PRODUCER = frozenset({"producer"})

# librdkafka name -> (Java client name, the clients it concerns)
_RENAMED = {
    "bootstrap.servers": ("bootstrap.servers", _ALL),
    "metadata.broker.list": ("bootstrap.servers", _ALL),
    "client.id": ("client.id", _ALL),
    "security.protocol": ("security.protocol", _ALL),
    "sasl.mechanism": ("sasl.mechanism", _ALL),
    "sasl.mechanisms": ("sasl.mechanism", _ALL),
    "sasl.jaas.config": ("sasl.jaas.config", _ALL),
    "sasl.kerberos.service.name": ("sasl.kerberos.service.name", _ALL),
    "ssl.endpoint.identification.algorithm": ("ssl.endpoint.identification.algorithm", _ALL),
    "ssl.key.password": ("ssl.key.password", _ALL),
    "ssl.cipher.suites": ("ssl.cipher.suites", _ALL),
    "ssl.truststore.location": ("ssl.truststore.location", _ALL),
    "ssl.truststore.password": ("ssl.truststore.password", _ALL),
    "ssl.truststore.type": ("ssl.truststore.type", _ALL),
    "ssl.keystore.location": ("ssl.keystore.location", _ALL),
    "ssl.keystore.password": ("ssl.keystore.password", _ALL),
    "ssl.keystore.type": ("ssl.keystore.type", _ALL),
    "request.timeout.ms": ("request.timeout.ms", _ALL),
    "socket.timeout.ms": ("request.timeout.ms", _ALL),
    "metadata.max.age.ms": ("metadata.max.age.ms", _ALL),
    "topic.metadata.refresh.interval.ms": ("metadata.max.age.ms", _ALL),
    "retry.backoff.ms": ("retry.backoff.ms", _ALL),
    "retry.backoff.max.ms": ("retry.backoff.max.ms", _ALL),
    "reconnect.backoff.ms": ("reconnect.backoff.ms", _ALL),
    "reconnect.backoff.max.ms": ("reconnect.backoff.max.ms", _ALL),
    "connections.max.idle.ms": ("connections.max.idle.ms", _ALL),
    "client.dns.lookup": ("client.dns.lookup", _ALL),
    "socket.receive.buffer.bytes": ("receive.buffer.bytes", _ALL),
    "socket.send.buffer.bytes": ("send.buffer.bytes", _ALL),
    "group.id": ("group.id", _CONSUMER),
    "enable.auto.commit": ("enable.auto.commit", _CONSUMER),
    "auto.commit.interval.ms": ("auto.commit.interval.ms", _CONSUMER),
    "auto.offset.reset": ("auto.offset.reset", _CONSUMER),
    "session.timeout.ms": ("session.timeout.ms", _CONSUMER),
    "heartbeat.interval.ms": ("heartbeat.interval.ms", _CONSUMER),
    "max.poll.interval.ms": ("max.poll.interval.ms", _CONSUMER),
    "isolation.level": ("isolation.level", _CONSUMER),
    "fetch.min.bytes": ("fetch.min.bytes", _CONSUMER),
    "fetch.max.bytes": ("fetch.max.bytes", _CONSUMER),
    "fetch.wait.max.ms": ("fetch.max.wait.ms", _CONSUMER),
    "max.partition.fetch.bytes": ("max.partition.fetch.bytes", _CONSUMER),
    "check.crcs": ("check.crcs", _CONSUMER),
    "acks": ("acks", _PRODUCER),
    "request.required.acks": ("acks", _PRODUCER),
    "linger.ms": ("linger.ms", _PRODUCER),
    "queue.buffering.max.ms": ("linger.ms", _PRODUCER),
    "batch.size": ("batch.size", _PRODUCER),
    "compression.type": ("compression.type", _PRODUCER),
    "compression.codec": ("compression.type", _PRODUCER),
    "enable.idempotence": ("enable.idempotence", _PRODUCER),
    "transactional.id": ("transactional.id", _PRODUCER),
    "transaction.timeout.ms": ("transaction.timeout.ms", _PRODUCER),
    "message.timeout.ms": ("delivery.timeout.ms", _PRODUCER),
    "delivery.timeout.ms": ("delivery.timeout.ms", _PRODUCER),
    "max.in.flight": ("max.in.flight.requests.per.connection", _PRODUCER),
    "max.in.flight.requests.per.connection": ("max.in.flight.requests.per.connection", _PRODUCER),
    "retries": ("retries", _PRODUCER),
    "message.send.max.retries": ("retries", _PRODUCER),
    "message.max.bytes": ("max.request.size", _PRODUCER),
}

_OFFSET_RESETS = {
    "smallest": "earliest",
    "earliest": "earliest",
    "beginning": "earliest",
    "largest": "latest",
    "latest": "latest",
    "end": "latest",
    "error": "none",
}

# Settings the connector handles itself rather than passing to a client.
SOURCE_ONLY = {"enable.partition.eof"}

_SASL_LOGIN = {
    "PLAIN": "org.apache.kafka.common.security.plain.PlainLoginModule",
    "SCRAM-SHA-256": "org.apache.kafka.common.security.scram.ScramLoginModule",
    "SCRAM-SHA-512": "org.apache.kafka.common.security.scram.ScramLoginModule",
}


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def java_settings(brokers: List[str], add_config: Optional[Dict], client: str) -> List[str]:
    """`[name, value, ...]` for the Java `client` ("admin", "consumer" or "producer")."""
    settings = {"bootstrap.servers": ",".join(brokers)}
    config = dict(add_config or {})
    username = config.pop("sasl.username", None)
    password = config.pop("sasl.password", None)
    ca = config.pop("ssl.ca.location", None)
    certificate = config.pop("ssl.certificate.location", None)
    key = config.pop("ssl.key.location", None)
    for name, value in config.items():
        if name in SOURCE_ONLY:
            continue
        try:
            java_name, clients = _RENAMED[name]
        except KeyError:
            msg = (
                f"Kafka setting {name!r} in `add_config` is not supported by Wax, whose Kafka "
                "connector runs on Apache Kafka's Java client; supported settings: "
                + ", ".join(sorted([*_RENAMED, "enable.partition.eof", "sasl.username", "sasl.password",
                                    "ssl.ca.location", "ssl.certificate.location", "ssl.key.location"]))
            )
            raise ValueError(msg) from None
        if client not in clients:
            continue
        text = _text(value)
        if name == "auto.offset.reset":
            try:
                text = _OFFSET_RESETS[text.lower()]
            except KeyError:
                msg = f"Kafka setting 'auto.offset.reset' must be one of {', '.join(_OFFSET_RESETS)}; got {text!r}"
                raise ValueError(msg) from None
        elif java_name in ("security.protocol", "sasl.mechanism"):
            text = text.upper()
        settings[java_name] = text
    if username is not None or password is not None:
        mechanism = settings.get("sasl.mechanism", "PLAIN")
        if mechanism not in _SASL_LOGIN:
            msg = (
                "Kafka settings 'sasl.username' and 'sasl.password' work with sasl.mechanism "
                f"{', '.join(_SASL_LOGIN)}; got {mechanism!r} (set 'sasl.jaas.config' instead)"
            )
            raise ValueError(msg)
        settings["sasl.mechanism"] = mechanism
        settings["sasl.jaas.config"] = (
            f"{_SASL_LOGIN[mechanism]} required username={_quoted(_text(username or ''))} "
            f"password={_quoted(_text(password or ''))};"
        )
    if ca is not None:
        settings["ssl.truststore.type"] = "PEM"
        settings["ssl.truststore.location"] = _text(ca)
    if certificate is not None or key is not None:
        if certificate is None or key is None:
            msg = "Kafka settings 'ssl.certificate.location' and 'ssl.key.location' go together"
            raise ValueError(msg)
        settings["ssl.keystore.type"] = "PEM"
        settings["ssl.keystore.certificate.chain"] = _read_pem(certificate, "ssl.certificate.location")
        settings["ssl.keystore.key"] = _read_pem(key, "ssl.key.location")
    return [text for pair in settings.items() for text in pair]


def _read_pem(path, setting: str) -> str:
    try:
        return Path(path).read_text()
    except OSError as e:
        msg = f"cannot read the file of Kafka setting {setting!r}: {e}"
        raise ValueError(msg) from e
