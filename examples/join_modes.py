import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

flow = Dataflow("join_modes")
# Both inputs emit one item per round, so they are read side by side.
left = op.input("left", flow, TestingSource([("a", 1), ("b", 2), ("a", 3)]))
right = op.input("right", flow, TestingSource([("a", "x"), ("b", "y"), ("c", "z")]))

# Emits as soon as every side has a value, then forgets the key.
complete = op.join("complete", left, right)
op.inspect("show_complete", complete)

# Emits the last value of each side once the input ends.
final = op.join("final", left, right, emit_mode="final")
op.inspect("show_final", final)

# Emits the current row after every new value.
running = op.join("running", left, right, emit_mode="running")
op.inspect("show_running", running)

# Keeps every value and emits all combinations at the end.
product = op.join("product", left, right, insert_mode="product", emit_mode="final")
op.inspect("show_product", product)

# Keeps only the first value seen on each side.
first = op.join("first", left, right, insert_mode="first", emit_mode="final")
op.inspect("show_first", first)
