"""The flow's own Prometheus metrics, which the dataflow API serves after the engine's."""


def generate_python_metrics() -> str:
    """This interpreter's `prometheus_client` registry in Prometheus' text format.

    Empty when `prometheus_client` is not installed.
    """
    try:
        from prometheus_client import REGISTRY
        from prometheus_client.exposition import generate_latest
    except ImportError:
        return ""
    return generate_latest(REGISTRY).decode("utf-8")
