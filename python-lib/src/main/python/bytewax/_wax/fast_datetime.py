"""Integer fast paths for GraalPy's pure-Python `datetime`.

GraalPy runs the standard library's `_pydatetime`, whose general code (floats, asserts,
validation, a `date` and a `time` built per addition) makes `dt + timedelta(milliseconds=i)`
about six times slower than CPython's C module. Event-time flows do this once per item, so
`install()` gives the two hottest operations a path for plain `int` fields and exact types that
computes the same normalized fields directly. Anything else (floats, subclasses, overflow) takes
the original code, so results and errors are unchanged. Conversions between a date and its
ordinal remember the last one made: an event stream's times mostly fall on the day before.
"""

import sys

_US_PER_DAY = 86_400_000_000
_MAX_DAYS = 999_999_999


def install() -> None:
    """Patches `timedelta.__new__`, `datetime.__add__` and `date.toordinal` on `_pydatetime`."""
    import datetime as public

    if public.datetime.__module__ != "_pydatetime" or sys.implementation.name != "graalpy":
        return
    import _pydatetime as pydt

    if getattr(pydt.timedelta, "_wax_fast", False):
        return
    _patch(pydt)


def _patch(pydt) -> None:
    timedelta = pydt.timedelta
    datetime = pydt.datetime
    ymd_to_ordinal = pydt._ymd2ord
    ordinal_to_ymd = pydt._ord2ymd
    max_ordinal = pydt._MAXORDINAL
    general_new = timedelta.__new__
    general_add = datetime.__add__
    # The last conversion each way, as one tuple: threads of a Context may share it.
    last_ordinal = (1, 1, 1, 1)  # year, month, day -> ordinal
    last_date = (1, 1, 1, 1)  # ordinal -> year, month, day

    def to_ordinal(year, month, day):
        nonlocal last_ordinal
        known = last_ordinal
        if known[2] == day and known[1] == month and known[0] == year:
            return known[3]
        ordinal = ymd_to_ordinal(year, month, day)
        last_ordinal = (year, month, day, ordinal)
        return ordinal

    def to_date(ordinal):
        nonlocal last_date
        known = last_date
        if known[0] != ordinal:
            known = (ordinal, *ordinal_to_ymd(ordinal))
            last_date = known
        return known

    def toordinal(self):
        return to_ordinal(self._year, self._month, self._day)

    def new_timedelta(
        cls, days=0, seconds=0, microseconds=0, milliseconds=0, minutes=0, hours=0, weeks=0
    ):
        if (
            cls is timedelta
            and type(days) is int
            and type(seconds) is int
            and type(microseconds) is int
            and type(milliseconds) is int
            and type(minutes) is int
            and type(hours) is int
            and type(weeks) is int
        ):
            whole_seconds = ((weeks * 7 + days) * 24 + hours) * 3600 + minutes * 60 + seconds
            total = whole_seconds * 1_000_000 + milliseconds * 1000 + microseconds
            d, rest = divmod(total, _US_PER_DAY)
            if -_MAX_DAYS <= d <= _MAX_DAYS:
                s, us = divmod(rest, 1_000_000)
                self = object.__new__(timedelta)
                self._days = d
                self._seconds = s
                self._microseconds = us
                self._hashcode = -1
                return self
        return general_new(cls, days, seconds, microseconds, milliseconds, minutes, hours, weeks)

    def add(self, other):
        if type(other) is not timedelta or type(self) is not datetime:
            return general_add(self, other)
        days = to_ordinal(self._year, self._month, self._day) + other._days
        secs = self._hour * 3600 + self._minute * 60 + self._second + other._seconds
        us = self._microsecond + other._microseconds
        if us >= 1_000_000:
            us -= 1_000_000
            secs += 1
        if secs >= 86_400:
            secs -= 86_400
            days += 1
        if not 0 < days <= max_ordinal:
            raise OverflowError("result out of range")
        _, year, month, day = to_date(days)
        hour, rest = divmod(secs, 3600)
        minute, second = divmod(rest, 60)
        result = object.__new__(datetime)
        result._year = year
        result._month = month
        result._day = day
        result._hour = hour
        result._minute = minute
        result._second = second
        result._microsecond = us
        result._tzinfo = self._tzinfo
        result._hashcode = -1
        result._fold = 0
        return result

    timedelta.__new__ = staticmethod(new_timedelta)
    datetime.__add__ = add
    datetime.__radd__ = add
    general_toordinal = pydt.date.toordinal
    toordinal.__doc__ = general_toordinal.__doc__
    pydt.date.toordinal = toordinal
    timedelta._wax_fast = True
    timedelta._wax_general_new = staticmethod(general_new)
    datetime._wax_general_add = general_add
    pydt.date._wax_general_toordinal = general_toordinal
