"""How items cross between workers that each have their own Python context.

The engine calls `dumps` on the sending worker and `loads` on the receiving one. The values of
one message that are all `int` (64-bit), all `float` or all `str` are written as a column, which
GraalPy reads and writes some 20 times faster than pickle; any other mix is pickled, which covers
every type Bytewax users send between workers (it is what Bytewax itself requires of them).

A message is: its kind (one byte), the number of pieces and each piece's length (little-endian
64-bit integers), then the values: a column of integers or floats; the strings' lengths and
their UTF-8 text; or the pickled pieces.
"""

import pickle
import sys
from array import array

from bytewax._wax.adapters import as_list

_PROTOCOL = pickle.HIGHEST_PROTOCOL
_SWAP = sys.byteorder != "little"
_INTS, _FLOATS, _STRS, _PICKLED = b"i", b"f", b"s", b"p"
_WORD = 8


def _words(typecode: str, values) -> bytes:
    column = array(typecode, values)
    if _SWAP:
        column.byteswap()
    return column.tobytes()


def _column(typecode: str, data, start: int, count: int) -> list:
    column = array(typecode)
    column.frombytes(data[start : start + count * _WORD])
    if _SWAP:
        column.byteswap()
    return column.tolist()


def _body(flat: list):
    """The kind and encoded values of `flat`, or `None` when only pickle fits."""
    if not flat:
        return _INTS, b""
    kind = type(flat[0])
    if not all(type(v) is kind for v in flat):
        return None
    if kind is int:
        try:
            return _INTS, _words("q", flat)
        except OverflowError:
            return None
    if kind is float:
        return _FLOATS, _words("d", flat)
    if kind is str:
        text = "".join(flat).encode("utf-8", "surrogatepass")
        return _STRS, _words("q", [len(s) for s in flat]) + text
    return None


def dumps(pieces) -> bytes:
    """Pieces of a batch (lists of values) as bytes, in one go."""
    lists = [as_list(piece) for piece in as_list(pieces)]
    lengths = _words("q", [len(piece) for piece in lists])
    count = _words("q", [len(lists)])
    body = _body([v for piece in lists for v in piece])
    if body is None:
        return b"".join((_PICKLED, count, lengths, pickle.dumps(lists, protocol=_PROTOCOL)))
    kind, values = body
    return b"".join((kind, count, lengths, values))


def loads(text: str) -> list:
    """The pieces `dumps` encoded, handed over as a Latin-1 string (one char per byte)."""
    data = memoryview(text.encode("latin-1"))
    kind = data[0:1].tobytes()
    count = _column("q", data, 1, 1)[0]
    lengths = _column("q", data, 1 + _WORD, count)
    start = 1 + _WORD + count * _WORD
    if kind == _PICKLED:
        return pickle.loads(data[start:])
    total = sum(lengths)
    if kind == _INTS:
        flat = _column("q", data, start, total)
    elif kind == _FLOATS:
        flat = _column("d", data, start, total)
    else:
        sizes = _column("q", data, start, total)
        joined = data[start + total * _WORD :].tobytes().decode("utf-8", "surrogatepass")
        flat = []
        at = 0
        for size in sizes:
            flat.append(joined[at : at + size])
            at += size
    pieces = []
    at = 0
    for length in lengths:
        pieces.append(flat[at : at + length])
        at += length
    return pieces


def dumps_state(serde, state) -> bytes:
    """A snapshot of state for the recovery store: pickled, or by the configured serde.

    A serde's `ser` may return `str` or `bytes`; a leading tag remembers which, so `de` gets back
    the same type.
    """
    if serde is None:
        return pickle.dumps(state, protocol=_PROTOCOL)
    encoded = serde.ser(state)
    if isinstance(encoded, str):
        return b"s" + encoded.encode("utf-8", "surrogatepass")
    return b"b" + bytes(encoded)


def dumps_states(serde, *states) -> bytes:
    """Several states of one key as one snapshot, decoded by `loads_state` as a list."""
    return dumps_state(serde, list(states))


def loads_state(serde, text: str):
    """The state `dumps_state` encoded, handed over as a Latin-1 string."""
    data = text.encode("latin-1")
    if serde is None:
        return pickle.loads(data)
    if data[:1] == b"s":
        return serde.de(data[1:].decode("utf-8", "surrogatepass"))
    return serde.de(data[1:])


def loads_each(serde, texts) -> list:
    """The states of many keys (Latin-1 strings from `dumps_state`), decoded in one call."""
    return [loads_state(serde, text) for text in texts]
