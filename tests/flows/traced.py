"""Five items through a map, traced to the collector at `$OTLP_URL`."""

import os

import bytewax.operators as op
from bytewax.connectors.stdio import StdOutSink
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource
from bytewax.tracing import OtlpTracingConfig, setup_tracing

tracer = setup_tracing(
    tracing_config=OtlpTracingConfig(service_name="traced", url=os.environ["OTLP_URL"]),
    log_level="ERROR",
)

flow = Dataflow("traced")
numbers = op.input("inp", flow, TestingSource(range(5)))
op.output("out", op.map("double", numbers, lambda x: x * 2), StdOutSink())
