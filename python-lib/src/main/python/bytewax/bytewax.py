"""The older home of the runtime's names (seed documentation of `bytewax.bytewax`).

Everything here is re-exported from the modules where Bytewax 0.21 keeps it.
"""

from bytewax.operators.windowing import (
    ClockConfig,
    EventClockConfig,
    SessionWindow,
    SlidingWindow,
    SystemClockConfig,
    TumblingWindow,
    WindowConfig,
    WindowMetadata,
)
from bytewax.recovery import RecoveryConfig, init_db_dir
from bytewax.run import cli_main
from bytewax.testing import cluster_main, run_main
from bytewax.tracing import (
    BytewaxTracer,
    JaegerConfig,
    OtlpTracingConfig,
    TracingConfig,
    setup_tracing,
)

__all__ = [
    "BytewaxTracer",
    "ClockConfig",
    "EventClockConfig",
    "SessionWindow",
    "SlidingWindow",
    "SystemClockConfig",
    "TumblingWindow",
    "WindowConfig",
    "WindowMetadata",
    "JaegerConfig",
    "OtlpTracingConfig",
    "RecoveryConfig",
    "TracingConfig",
    "cli_main",
    "cluster_main",
    "init_db_dir",
    "run_main",
    "setup_tracing",
]
