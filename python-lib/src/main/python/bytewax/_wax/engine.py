"""The connection to the Java engine that the Wax host binds into every Python context."""

import os
from datetime import timedelta
from pathlib import Path

from bytewax.errors import BytewaxRuntimeError

try:
    import polyglot as _polyglot
except ImportError:  # pragma: no cover - only outside GraalPy
    _polyglot = None

_BINDING = "wax.host"
_DEFAULT_EPOCH_INTERVAL = timedelta(seconds=10)


class PeerStopped(BytewaxRuntimeError):
    """This worker stopped because another worker failed; that worker reports the error."""


def host():
    """The Java engine; only available when running on Wax."""
    engine = _polyglot.import_value(_BINDING) if _polyglot is not None else None
    if engine is None:
        msg = (
            "this `bytewax` package is Wax's; it runs on the Wax engine. "
            "Start Python programs with `wax python` and flows with `wax run`"
        )
        raise RuntimeError(msg)
    return engine


def micros(delta):
    """A `timedelta` as a whole number of microseconds."""
    return delta // timedelta(microseconds=1)


def run(
    flow,
    *,
    epoch_interval=None,
    recovery_config=None,
    worker_count=1,
    addresses=None,
    process_id=0,
    dataflow_api=False,
):
    """Run `flow` to completion in this thread; raise on failure.

    With `addresses` ("host:port" of every process), run as process `process_id` of a cluster.
    With `dataflow_api` (what `bytewax.run` does), serve the dataflow API when the environment
    enables it.
    """
    from bytewax.dataflow import Dataflow

    if not isinstance(flow, Dataflow):
        msg = f"expected a `bytewax.dataflow.Dataflow`; got a {type(flow)!r} instead"
        raise TypeError(msg)
    if epoch_interval is None:
        epoch_interval = _DEFAULT_EPOCH_INTERVAL
    if not isinstance(epoch_interval, timedelta):
        msg = "epoch interval must be a `datetime.timedelta`"
        raise TypeError(msg)
    # Bytewax closes an epoch whenever its interval has passed, which a negative one always
    # has: it is a zero one.
    epoch_interval = max(epoch_interval, timedelta(0))
    recovery_dir, backup_micros, serde = _recovery_args(recovery_config)
    if isinstance(worker_count, bool) or not isinstance(worker_count, int):
        msg = f"worker count must be an `int`; got a {type(worker_count)!r} instead"
        raise TypeError(msg)
    if worker_count < 1:
        msg = f"worker count must be at least 1; got {worker_count}"
        raise ValueError(msg)
    addresses = list(addresses or [])
    if not all(isinstance(a, str) for a in addresses):
        msg = "cluster addresses must be a list of `str` like \"host:port\""
        raise TypeError(msg)
    if addresses and not (isinstance(process_id, int) and 0 <= process_id < len(addresses)):
        msg = f"process id must be an `int` from 0 to {len(addresses) - 1}; got {process_id!r}"
        raise ValueError(msg)
    from bytewax._wax import codec

    api_json, api_mermaid, api_metrics = _dataflow_api(flow) if dataflow_api else (None, None, None)
    failure = host().run(
        flow._graph,
        micros(epoch_interval),
        worker_count,
        codec,
        addresses,
        process_id if addresses else 0,
        recovery_dir,
        backup_micros,
        serde,
        api_json,
        api_mermaid,
        api_metrics,
    )
    if failure is None:
        return
    kind, message, cause = failure[0], failure[1], failure[2]
    if kind.startswith("recovery:"):
        raise recovery_error(kind, message)
    if kind == "user" and message is None:
        raise cause
    if kind == "peer":
        raise PeerStopped(message)
    if kind == "interrupted":
        raise KeyboardInterrupt
    if kind == "error":
        raise BytewaxRuntimeError(message)
    if kind == "usage":
        raise BytewaxRuntimeError("error building production dataflow") from ValueError(message)
    raise BytewaxRuntimeError(message) from cause


def _dataflow_api(flow):
    """`(its JSON, its Mermaid chart, its Python metrics' renderer)` when the API is enabled.

    As Bytewax, the JSON is also written to `dataflow.json` in `BYTEWAX_DATAFLOW_API_CACHE_PATH`
    (the working directory by default): the flow may crash.
    """
    if "BYTEWAX_DATAFLOW_API_ENABLED" not in os.environ:
        return None, None, None
    from bytewax._metrics import generate_python_metrics
    from bytewax.visualize import to_json, to_mermaid

    text = to_json(flow)
    cache = Path(os.environ.get("BYTEWAX_DATAFLOW_API_CACHE_PATH", ".")) / "dataflow.json"
    cache.write_text(text)
    return text, to_mermaid(flow), generate_python_metrics


def _recovery_args(config):
    """`(db_dir, backup interval in microseconds, serde)` for the engine; `None`s without recovery."""
    from bytewax.recovery import RecoveryConfig

    if config is None:
        return None, 0, None
    if not isinstance(config, RecoveryConfig):
        msg = f"recovery config must be a `bytewax.recovery.RecoveryConfig`; got a {type(config)!r} instead"
        raise TypeError(msg)
    backup = config.backup_interval if config.backup_interval is not None else timedelta(0)
    return str(config.db_dir), micros(backup), config.snapshot_serde


def recovery_error(kind: str, message: str) -> Exception:
    """The exception Bytewax raises for a recovery directory that can't be used."""
    from bytewax import recovery

    classes = {
        "recovery:NO_DIRECTORY": FileNotFoundError,
        "recovery:NO_PARTITIONS": recovery.NoPartitionsError,
        "recovery:MISSING_PARTITIONS": recovery.MissingPartitionsError,
        "recovery:INCONSISTENT_PARTITIONS": recovery.InconsistentPartitionsError,
    }
    return classes.get(kind, recovery.CorruptedPartitionError)(message)
