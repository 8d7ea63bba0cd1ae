"""How items cross between workers that each have their own Python context.

The engine calls `dumps` on the sending worker and `loads` on the receiving one. The values of a
message are written as one column: all `int` (64-bit), all `float` or all `str` as packed
numbers or text, which GraalPy reads and writes some 20 times faster than pickle; tuples of one
length (the `(key, value)` pairs every stateful step exchanges) as one column per position; any
other mix is pickled, which covers every type Bytewax users send between workers (it is what
Bytewax itself requires of them).

A message is the number of pieces and each piece's length (little-endian 64-bit integers), then
the column of all their values. A column is its kind (one byte) and then: the numbers; the
strings' lengths, the text's byte count and the UTF-8 text; the tuples' length (one byte) and a
column per position; or the pickle's byte count and the pickled list.
"""

import pickle
import sys
from array import array

from bytewax._wax.adapters import as_list

_PROTOCOL = pickle.HIGHEST_PROTOCOL
_SWAP = sys.byteorder != "little"
_INTS, _FLOATS, _STRS, _TUPLES, _PICKLED = b"i", b"f", b"s", b"t", b"p"
_WORD = 8
_MAX_ARITY = 255


def _words(typecode: str, values) -> bytes:
    column = array(typecode, values)
    if _SWAP:
        column.byteswap()
    return column.tobytes()


def _read_words(typecode: str, data, start: int, count: int) -> list:
    column = array(typecode)
    column.frombytes(data[start : start + count * _WORD])
    if _SWAP:
        column.byteswap()
    return column.tolist()


def _pickled(values: list) -> list:
    data = pickle.dumps(values, protocol=_PROTOCOL)
    return [_PICKLED, _words("q", [len(data)]), data]


def _column(values: list) -> list:
    """The byte strings that encode `values` as one column."""
    if not values:
        return [_INTS]
    kind = type(values[0])
    if not all(type(v) is kind for v in values):
        return _pickled(values)
    if kind is int:
        try:
            return [_INTS, _words("q", values)]
        except OverflowError:
            return _pickled(values)
    if kind is float:
        return [_FLOATS, _words("d", values)]
    if kind is str:
        text = "".join(values).encode("utf-8", "surrogatepass")
        return [_STRS, _words("q", [len(s) for s in values]), _words("q", [len(text)]), text]
    if kind is tuple:
        arity = len(values[0])
        if arity <= _MAX_ARITY and all(len(v) == arity for v in values):
            parts = [_TUPLES, bytes((arity,))]
            for position in range(arity):
                parts.extend(_column([v[position] for v in values]))
            return parts
    return _pickled(values)


def _read_column(data, start: int, count: int):
    """The `count` values of the column at `start`, and where the column ends."""
    kind = data[start : start + 1].tobytes()
    at = start + 1
    if kind == _INTS:
        return _read_words("q", data, at, count), at + count * _WORD
    if kind == _FLOATS:
        return _read_words("d", data, at, count), at + count * _WORD
    if kind == _STRS:
        sizes = _read_words("q", data, at, count)
        at += count * _WORD
        text_size = _read_words("q", data, at, 1)[0]
        at += _WORD
        joined = data[at : at + text_size].tobytes().decode("utf-8", "surrogatepass")
        values = []
        offset = 0
        for size in sizes:
            values.append(joined[offset : offset + size])
            offset += size
        return values, at + text_size
    if kind == _TUPLES:
        arity = data[at]
        at += 1
        positions = []
        for _ in range(arity):
            position, at = _read_column(data, at, count)
            positions.append(position)
        values = list(zip(*positions)) if arity else [()] * count
        return values, at
    size = _read_words("q", data, at, 1)[0]
    at += _WORD
    return pickle.loads(data[at : at + size]), at + size


def dumps(pieces) -> bytes:
    """Pieces of a batch (lists of values) as bytes, in one go."""
    lists = [as_list(piece) for piece in as_list(pieces)]
    header = [_words("q", [len(lists)]), _words("q", [len(piece) for piece in lists])]
    return b"".join(header + _column([v for piece in lists for v in piece]))


def loads(text: str) -> list:
    """The pieces `dumps` encoded, handed over as a Latin-1 string (one char per byte)."""
    data = memoryview(text.encode("latin-1"))
    count = _read_words("q", data, 0, 1)[0]
    lengths = _read_words("q", data, _WORD, count)
    flat, _ = _read_column(data, _WORD + count * _WORD, sum(lengths))
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
