"""How items cross between workers that each have their own Python context.

The engine calls `dumps` on the sending worker and `loads` on the receiving one. Pickle covers
every type Bytewax users send between workers (it is what Bytewax itself requires of them) and
writes common types compactly.
"""

import pickle

from bytewax._wax.adapters import as_list

_PROTOCOL = pickle.HIGHEST_PROTOCOL


def dumps(pieces) -> bytes:
    """Pieces of a batch (lists of values) as bytes, in one go."""
    return pickle.dumps([as_list(piece) for piece in as_list(pieces)], protocol=_PROTOCOL)


def loads(text: str) -> list:
    """The pieces `dumps` encoded, handed over as a Latin-1 string (one char per byte)."""
    return pickle.loads(text.encode("latin-1"))
