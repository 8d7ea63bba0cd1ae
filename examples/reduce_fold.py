import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

flow = Dataflow("reduce_fold")
# (team, (player, score)); blue has a tie at 4 points.
plays = op.input(
    "inp",
    flow,
    TestingSource(
        [
            ("red", ("ann", 7)),
            ("blue", ("bob", 4)),
            ("red", ("cid", 9)),
            ("blue", ("dee", 4)),
            ("red", ("eve", 2)),
        ]
    ),
)

scores = op.map_value("score", plays, lambda p: p[1])
total = op.reduce_final("total", scores, lambda a, b: a + b)
op.inspect("show_total", total)

names = op.fold_final("names", plays, list, lambda acc, p: acc + [p[0]])
op.inspect("show_names", names)

# On a tie, the value seen first wins.
best = op.max_final("best", plays, by=lambda p: p[1])
op.inspect("show_best", best)

worst = op.min_final("worst", plays, by=lambda p: p[1])
op.inspect("show_worst", worst)
