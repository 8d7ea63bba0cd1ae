"""Items crossing between workers' contexts come back equal, of the same types, piece by piece."""

from datetime import datetime, timezone

import pytest
from bytewax._wax import codec


def _round_trip(pieces):
    data = codec.dumps(pieces)
    return data[0:1], codec.loads(data.decode("latin-1"))


@pytest.mark.parametrize(
    "pieces, kind",
    [
        ([[1, 2, 3], [], [-(2**63), 2**63 - 1]], b"i"),
        ([[0.5, float("inf")], [-0.0]], b"f"),
        ([["a", ""], ["\x00zz", "é€😀", "\ud800"]], b"s"),
        ([[], []], b"i"),
        ([], b"i"),
        # Anything else is pickled: mixed types, bools, big ints, tuples, objects.
        ([[1, "a"], [None]], b"p"),
        ([[True, False]], b"p"),
        ([[2**64]], b"p"),
        ([[("k", 1)], [("k", 2.5)]], b"p"),
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
