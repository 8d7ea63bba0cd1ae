"""Calls `bytewax.testing.test_cluster`, which runs this module's flow in two new processes.

With recovery: a second cluster resumes after the end of the input and has nothing to do.
"""

import tempfile

import bytewax.operators as op
from bytewax.connectors.stdio import StdOutSink
from bytewax.dataflow import Dataflow
from bytewax.recovery import RecoveryConfig, init_db_dir
from bytewax.testing import TestingSource, test_cluster

flow = Dataflow("spawned")
words = op.input("inp", flow, TestingSource(["b", "a", "b", "c", "b"]))
counts = op.count_final("count", words, lambda w: w)
op.output("out", counts, StdOutSink())

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as db:
        init_db_dir(db, 2)
        test_cluster(flow, processes=2, workers_per_process=1, recovery_config=RecoveryConfig(db))
        print("all processes done", flush=True)
        test_cluster(flow, processes=2, workers_per_process=1, recovery_config=RecoveryConfig(db))
        print("resumed after the end: nothing new", flush=True)
