"""Calls `bytewax.testing.test_cluster`, which runs this module's flow in two new processes."""

import bytewax.operators as op
from bytewax.connectors.stdio import StdOutSink
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource, test_cluster

flow = Dataflow("spawned")
words = op.input("inp", flow, TestingSource(["b", "a", "b", "c", "b"]))
counts = op.count_final("count", words, lambda w: w)
op.output("out", counts, StdOutSink())

if __name__ == "__main__":
    test_cluster(flow, processes=2, workers_per_process=1)
    print("all processes done")
