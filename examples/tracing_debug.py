# Turning the engine's log level up shows epoch closes on stderr; stdout is unchanged.
import bytewax.operators as op
from bytewax.connectors.stdio import StdOutSink
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource
from bytewax.tracing import setup_tracing

tracer = setup_tracing(log_level="DEBUG")

flow = Dataflow("tracing_debug")
op.output("out", op.input("inp", flow, TestingSource(["hello"])), StdOutSink())
