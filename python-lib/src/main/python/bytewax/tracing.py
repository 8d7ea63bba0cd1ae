"""Logging and tracing of the runtime.

`setup_tracing(log_level=...)` sets the Java engine's log level; exporting traces to Jaeger or an
OpenTelemetry collector is not available on Wax yet, and asking for it says so.
"""

from dataclasses import dataclass
from typing import Optional

__all__ = ["JaegerConfig", "OtlpTracingConfig", "TracingConfig", "setup_tracing"]

_LEVELS = ("ERROR", "WARN", "INFO", "DEBUG", "TRACE")


class TracingConfig:
    """Base class for tracing configurations."""


@dataclass(frozen=True)
class JaegerConfig(TracingConfig):
    """Send traces to a Jaeger agent."""

    service_name: str
    endpoint: Optional[str] = None
    sampling_ratio: float = 1.0


@dataclass(frozen=True)
class OtlpTracingConfig(TracingConfig):
    """Send traces to an OpenTelemetry collector."""

    service_name: str
    url: Optional[str] = None
    sampling_ratio: float = 1.0


class BytewaxTracer:
    """Keeps tracing set up while referenced; returned by `setup_tracing`."""

    def __init__(self, log_level: str):
        self.log_level = log_level


def setup_tracing(
    tracing_config: Optional[TracingConfig] = None, log_level: Optional[str] = None
) -> BytewaxTracer:
    """Set the runtime's log level (`ERROR` by default); keep the returned object alive."""
    if tracing_config is not None:
        msg = f"exporting traces ({type(tracing_config).__name__}) is not supported by Wax yet"
        raise NotImplementedError(msg)
    level = (log_level or "ERROR").upper()
    if level not in _LEVELS:
        msg = f"log level must be one of {', '.join(_LEVELS)}; got {log_level!r}"
        raise ValueError(msg)
    from bytewax._wax import engine

    engine.host().logLevel(level)
    return BytewaxTracer(level)
