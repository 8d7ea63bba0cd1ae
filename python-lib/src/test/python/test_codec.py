"""Items crossing between workers' contexts come back equal, of the same types, piece by piece."""

from collections import namedtuple
from datetime import datetime, timezone

import pytest
from bytewax._wax import codec


def _round_trip(pieces):
    """The kind of the column holding the values (after the piece count and lengths), and what
    the receiver decodes."""
    data = codec.dumps(pieces)
    column = 8 * (1 + len(pieces))
    return data[column : column + 1], codec.loads(data.decode("latin-1"))


@pytest.mark.parametrize(
    "pieces, kind",
    [
        ([[1, 2, 3], [], [-(2**63), 2**63 - 1]], b"i"),
        ([[0.5, float("inf")], [-0.0]], b"f"),
        ([["a", ""], ["\x00zz", "é€😀", "\ud800"]], b"s"),
        ([[], []], b"i"),
        ([], b"i"),
        # Tuples of one length are a column per position, whatever each position holds.
        ([[("k", 1)], [("k", 2.5), ("", -3.0)]], b"t"),
        ([[("a", ("b", 1.0, None)), ("c", ("d", 2.0, [1]))]], b"t"),
        ([[(), ()]], b"t"),
        # Anything else is pickled: mixed types, bools, big ints, tuples of several lengths,
        # tuple subclasses, objects.
        ([[1, "a"], [None]], b"p"),
        ([[True, False]], b"p"),
        ([[2**64]], b"p"),
        ([[("k", 1)], [("k", 1, 2)]], b"p"),
        ([[datetime(2024, 1, 1, tzinfo=timezone.utc)]], b"p"),
        ([[1.5, 2]], b"p"),
    ],
)
def test_pieces_come_back_equal_and_of_the_same_types(pieces, kind):
    sent_kind, received = _round_trip(pieces)
    assert sent_kind == kind
    assert received == pieces
    assert [[type(v) for v in p] for p in received] == [[type(v) for v in p] for p in pieces]


def test_negative_zero_and_nan_keep_their_bits():
    _, [[zero, nan]] = _round_trip([[-0.0, float("nan")]])
    assert str(zero) == "-0.0"
    assert nan != nan


def test_many_pieces_of_many_strings():
    pieces = [[f"key-{i}-{j}" for j in range(i % 7)] for i in range(1000)]
    assert _round_trip(pieces) == (b"s", pieces)


def test_key_value_pairs_are_a_column_of_keys_and_a_column_of_values():
    pieces = [[(f"key-{i}", i * 10) for i in range(100)], [("last", -1)]]
    data = codec.dumps(pieces)
    column = 8 * 3
    # kind, arity, then the keys' column (strings) ... and the values' column (ints).
    assert data[column : column + 3] == b"t\x02s"
    assert b"i" + (0).to_bytes(8, "little") + (10).to_bytes(8, "little") in data
    assert codec.loads(data.decode("latin-1")) == pieces


Point = namedtuple("Point", "x y")


def test_named_tuples_keep_their_type():
    kind, received = _round_trip([[Point(1, 2), Point(3, 4)]])
    assert kind == b"p"
    assert received == [[Point(1, 2), Point(3, 4)]]
    assert type(received[0][0]) is Point
