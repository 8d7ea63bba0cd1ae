"""Logging and tracing of the runtime.

`setup_tracing(log_level=...)` sets the Java engine's log level; with a tracing config, the spans
of the runs that follow (`worker_main`, `production_dataflow`, `step`, `operator`, as Bytewax
names them) go over OTLP to an OpenTelemetry collector.
"""

from dataclasses import dataclass
from typing import Optional

__all__ = ["JaegerConfig", "OtlpTracingConfig", "TracingConfig", "setup_tracing"]

_LEVELS = ("ERROR", "WARN", "INFO", "DEBUG", "TRACE")


class TracingConfig:
    """Base class for tracing configurations."""


@dataclass(frozen=True)
class JaegerConfig(TracingConfig):
    """Send traces to Jaeger.

    OpenTelemetry no longer speaks the agent protocol Bytewax used (`endpoint`, default
    `"127.0.0.1:6831"`); Wax sends OTLP to port 4317 of the same host, which Jaeger receives.
    """

    service_name: str
    endpoint: Optional[str] = None
    sampling_ratio: float = 1.0


@dataclass(frozen=True)
class OtlpTracingConfig(TracingConfig):
    """Send traces to an OpenTelemetry collector.

    `url` defaults to `"http://localhost:4317"` (gRPC; `grpc://` means the same). A URL of port
    4318 or ending in `/v1/traces` is sent OTLP over HTTP instead. The environment variable
    `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` takes precedence, as in Bytewax.
    """

    service_name: str
    url: Optional[str] = None
    sampling_ratio: float = 1.0


class BytewaxTracer:
    """Keeps tracing set up while referenced; returned by `setup_tracing`."""

    def __init__(self, log_level: str):
        self.log_level = log_level


def _check(config: TracingConfig) -> None:
    """Refuse what the exporter could not use, saying what was expected."""
    ratio = config.sampling_ratio
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or not 0.0 <= ratio <= 1.0:
        msg = f"`sampling_ratio` must be a number from 0.0 to 1.0; got {ratio!r}"
        raise ValueError(msg)
    if isinstance(config, OtlpTracingConfig) and config.url is not None:
        from urllib.parse import urlsplit

        parts = urlsplit(config.url)
        if parts.scheme not in ("grpc", "http", "https") or not parts.hostname:
            msg = f"`url` must look like \"grpc://host:4317\" or \"http://host:4318\"; got {config.url!r}"
            raise ValueError(msg)


def setup_tracing(
    tracing_config: Optional[TracingConfig] = None, log_level: Optional[str] = None
) -> BytewaxTracer:
    """Set the runtime's log level (`ERROR` by default) and where spans go; keep the result.

    Spans go to the collector whatever the log level, as in Bytewax. A collector that cannot be
    reached costs a warning; its spans are dropped and the flow runs on.
    """
    if tracing_config is not None and not isinstance(tracing_config, (OtlpTracingConfig, JaegerConfig)):
        msg = f"Unknown tracing_config type: {type(tracing_config).__name__}"
        raise TypeError(msg)
    level = (log_level or "ERROR").upper()
    if level not in _LEVELS:
        msg = f"log level must be one of {', '.join(_LEVELS)}; got {log_level!r}"
        raise ValueError(msg)
    from bytewax._wax import engine

    if tracing_config is not None:
        _check(tracing_config)
    engine.host().logLevel(level)
    if isinstance(tracing_config, OtlpTracingConfig):
        engine.host().setupTracing(
            tracing_config.service_name, tracing_config.url, float(tracing_config.sampling_ratio), False
        )
    elif isinstance(tracing_config, JaegerConfig):
        engine.host().setupTracing(
            tracing_config.service_name, tracing_config.endpoint, float(tracing_config.sampling_ratio), True
        )
    return BytewaxTracer(level)
