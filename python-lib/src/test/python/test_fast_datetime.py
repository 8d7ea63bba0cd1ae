"""The integer fast paths for GraalPy's `datetime` agree with the general code they bypass."""

import random
from datetime import date, datetime, time, timedelta, timezone

import bytewax  # noqa: F401  (installs the fast paths)
import pytest

general_new = getattr(timedelta, "_wax_general_new", None)
general_add = getattr(datetime, "_wax_general_add", None)
general_toordinal = getattr(date, "_wax_general_toordinal", None)

pytestmark = pytest.mark.skipif(general_new is None, reason="fast paths are for GraalPy only")

FIELDS = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks")


def fields(td):
    return (td.days, td.seconds, td.microseconds)


def general_timedelta(**kwargs):
    return general_new(timedelta, **kwargs)


def outcome(fn):
    try:
        return ("ok", fn())
    except Exception as ex:
        return (type(ex), str(ex))


def test_fast_paths_are_installed():
    assert timedelta._wax_fast is True
    assert datetime.__add__ is not general_add


def test_timedelta_matches_general_code_for_random_ints():
    rng = random.Random(7)
    for _ in range(10_000):
        kwargs = {
            name: rng.choice([0, 1, -1, rng.randint(-10**6, 10**6), rng.randint(-10**12, 10**12)])
            for name in rng.sample(FIELDS, rng.randint(0, len(FIELDS)))
        }
        fast = outcome(lambda: fields(timedelta(**kwargs)))
        general = outcome(lambda: fields(general_timedelta(**kwargs)))
        assert fast == general, kwargs


@pytest.mark.parametrize(
    "kwargs",
    [
        {"days": 999_999_999},
        {"days": -999_999_999},
        {"days": 999_999_999, "microseconds": 86_400_000_000 - 1},
        {"days": 1_000_000_000},
        {"days": -1_000_000_000},
        {"microseconds": -1},
        {"weeks": 142_857_142, "days": 6},
        {"days": 1.5, "seconds": 3},
        {"milliseconds": 0.5},
        {"hours": True},
    ],
)
def test_timedelta_edges_match_general_code(kwargs):
    assert outcome(lambda: fields(timedelta(**kwargs))) == outcome(
        lambda: fields(general_timedelta(**kwargs))
    )


def test_timedelta_positional_and_subclass():
    class Span(timedelta):
        pass

    assert fields(timedelta(1, 2, 3, 4, 5, 6, 7)) == fields(general_timedelta(
        days=1, seconds=2, microseconds=3, milliseconds=4, minutes=5, hours=6, weeks=7))
    span = Span(hours=25)
    assert type(span) is Span and fields(span) == (1, 3600, 0)
    assert hash(timedelta(seconds=90)) == hash(general_timedelta(seconds=90))


ZONES = [None, timezone.utc, timezone(timedelta(hours=-5), "EST")]


def test_datetime_add_matches_general_code_for_random_values():
    rng = random.Random(11)
    for _ in range(10_000):
        dt = datetime(
            rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28),
            rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
            rng.randint(0, 999_999), tzinfo=rng.choice(ZONES), fold=rng.randint(0, 1),
        )
        delta = timedelta(
            days=rng.randint(-800_000, 800_000),
            seconds=rng.randint(0, 86_399),
            microseconds=rng.randint(0, 999_999),
        )
        fast = outcome(lambda: dt + delta)
        general = outcome(lambda: general_add(dt, delta))
        assert fast == general, (dt, delta)
        if fast[0] == "ok":
            result = fast[1]
            assert result.tzinfo is dt.tzinfo and result.fold == 0
            assert delta + dt == result and result - delta == dt.replace(fold=0)


def test_datetime_add_edges_and_fallbacks():
    top = datetime.max
    assert outcome(lambda: top + timedelta(microseconds=1)) == (OverflowError, "result out of range")
    assert outcome(lambda: datetime.min + timedelta(days=-1)) == (OverflowError, "result out of range")
    assert datetime(2024, 2, 28, 23, 59, 59, 999_999) + timedelta(microseconds=1) == datetime(2024, 2, 29)
    assert datetime(2023, 12, 31, 23, 0) + timedelta(hours=1) == datetime(2024, 1, 1)

    class Stamp(datetime):
        pass

    later = Stamp(2024, 1, 1) + timedelta(days=1)
    assert type(later) is Stamp and later == datetime(2024, 1, 2)
    assert (datetime(2024, 1, 1).__add__(5)) is NotImplemented


def test_toordinal_matches_general_code_for_repeated_and_alternating_dates():
    rng = random.Random(13)
    days = [date(rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28)) for _ in range(200)]
    for day in [d for d in days for _ in range(3)] + [d for pair in zip(days, days[::-1]) for d in pair]:
        assert day.toordinal() == general_toordinal(day)
        assert datetime.combine(day, time(12, 30)).toordinal() == general_toordinal(day)
        assert date.fromordinal(day.toordinal()) == day


def test_datetime_add_over_nearby_times_matches_general_code():
    # Event times a little apart, as a stream's are, across a leap day and a year's end,
    # interleaved with another date so each remembered conversion is both hit and missed.
    starts = [datetime(2024, 2, 27, tzinfo=timezone.utc), datetime(1999, 12, 31, 23)]
    for ms in range(0, 4 * 86_400_000, 3_600_007):
        delta = timedelta(milliseconds=ms)
        for start in starts:
            assert start + delta == general_add(start, delta), (start, delta)
