import bytewax.operators as op
from bytewax.connectors.stdio import StdOutSink
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource


def parse(line):
    # Lines without a colon are skipped by returning None.
    if ":" not in line:
        return None
    name, count = line.split(":")
    return (name, int(count))


flow = Dataflow("filters")
lines = op.input("inp", flow, TestingSource(["apple:3", "bad", "kiwi:0", "fig:12", "plum:5"]))
pairs = op.filter_map("parse", lines, parse)
nonzero = op.filter_value("nonzero", pairs, lambda n: n > 0)
doubled = op.map_value("double", nonzero, lambda n: n * 2)
small = op.filter_map_value("small_only", doubled, lambda n: n if n < 20 else None)
repeated = op.flat_map_value("repeat", small, lambda n: [n, n + 1])
op.inspect("keyed", repeated)
values = op.key_rm("drop_key", repeated)
wrapped = op.map("wrap", values, lambda n: [n, n * 100])
flat = op.flatten("flatten", wrapped)
evens = op.filter("even", flat, lambda n: n % 2 == 0)
op.output("print", evens, StdOutSink())
