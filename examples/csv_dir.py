from pathlib import Path

import bytewax.operators as op
from bytewax.connectors.files import CSVSource, DirSource
from bytewax.dataflow import Dataflow

data = Path(__file__).parent / "data"

flow = Dataflow("csv_dir")
# Each CSV row arrives as a dict keyed by the header names.
rows = op.input("csv", flow, CSVSource(data / "prices.csv"))
# Every file in the directory is its own partition, read line by line.
lines = op.input("dir", flow, DirSource(data / "dir", glob_pat="*.txt"))
op.inspect("csv_rows", rows)
op.inspect("dir_lines", lines)
