"""Prints the length of the cluster secret its process was given (0: none)."""

import os

import bytewax.operators as op
from bytewax.connectors.stdio import StdOutSink
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

flow = Dataflow("cluster_secret")
secret = op.map("secret", op.input("inp", flow, TestingSource([0])), lambda _: len(os.environ.get("WAX_CLUSTER_SECRET", "")))
op.output("out", secret, StdOutSink())
