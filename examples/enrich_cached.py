import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSource

calls = []


def lookup(code):
    # Stands in for a slow service; only called on a cache miss.
    calls.append(code)
    print(f"fetch {code} (call {len(calls)})")
    return code.upper()


def describe(cache, animal):
    return f"{animal} -> {cache.get(animal)}"


flow = Dataflow("enrich_cached")
animals = op.input("inp", flow, TestingSource(["dog", "cat", "dog", "dog", "cat", "cow"]))
described = op.enrich_cached("describe", animals, lookup, describe)
op.inspect("out", described)
