from pathlib import Path

import bytewax.operators as op
from bytewax.connectors.files import FileSource
from bytewax.connectors.stdio import StdOutSink
from bytewax.dataflow import Dataflow

# The text file sits next to this script, under data/.
path = Path(__file__).parent / "data" / "wordcount.txt"

flow = Dataflow("wordcount")
lines = op.input("read_lines", flow, FileSource(path))
words = op.flat_map("split_words", lines, lambda line: line.lower().split())
counts = op.count_final("count_words", words, lambda word: word)
op.output("print", counts, StdOutSink())
