"""Time-based windows: bucket each key's values by time and compute over each bucket.

Pick a clock (`EventClock` reads time from the items, `SystemClock` uses processing time), a
windower (`TumblingWindower`, `SlidingWindower`, `SessionWindower`) and a windowing operator.
Every operator returns a `WindowOut`: `down` carries `(key, (window_id, value))`, `late` the
items that arrived after their window closed, `meta` one `WindowMetadata` per closed window.

Wax runs the built-in clocks and windowers in its Java engine; their `build` methods return
Python logics that behave the same, for custom clocks and windowers built on them.
"""

import copy
import functools
import operator as _pyop
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, Generic, Iterable, List, Optional, Set, Tuple, TypeVar

import bytewax.operators as op
from bytewax._wax import adapters as _ad
from bytewax._wax.engine import micros as _micros
from bytewax.dataflow import KeyedStream, Stream, operator
from bytewax.operators import JoinEmitMode, JoinInsertMode, StatefulBatchLogic

__all__ = [
    "LATE_SESSION_ID",
    "UTC_MAX",
    "UTC_MIN",
    "Clock",
    "ClockLogic",
    "EventClock",
    "SessionWindower",
    "SlidingWindower",
    "SystemClock",
    "TumblingWindower",
    "WindowLogic",
    "WindowMetadata",
    "WindowOut",
    "Windower",
    "WindowerLogic",
    "collect_window",
    "count_window",
    "fold_window",
    "join_window",
    "max_window",
    "min_window",
    "reduce_window",
    "window",
    "ClockConfig",
    "EventClockConfig",
    "SessionWindow",
    "SlidingWindow",
    "SystemClockConfig",
    "TumblingWindow",
    "WindowConfig",
    "ZERO_TD",
]

X = TypeVar("X")
U = TypeVar("U")
V = TypeVar("V")
W = TypeVar("W")
W_co = TypeVar("W_co", covariant=True)
S = TypeVar("S")
SC = TypeVar("SC")
SW = TypeVar("SW")
C = TypeVar("C", bound=Iterable)
DK = TypeVar("DK")
DV = TypeVar("DV")

UTC_MIN = datetime.min.replace(tzinfo=timezone.utc)
"""The earliest time a window can hold."""

UTC_MAX = datetime.max.replace(tzinfo=timezone.utc)
"""The latest time: the watermark once the input has ended."""

LATE_SESSION_ID = -1
"""The window id session windows report late items under."""

ZERO_TD = timedelta(0)
"""A zero-length duration."""

_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MAX_WAIT_MICROS = (UTC_MAX - UTC_MIN) // timedelta(microseconds=1)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _identity(x):
    return x


@dataclass
class WindowMetadata:
    """A closed window: `[open_time, close_time)` and the session ids merged into it."""

    open_time: datetime
    close_time: datetime
    merged_ids: Set[int] = field(default_factory=set)


class ClockLogic(ABC, Generic[V, S]):
    """Per-key time keeping of a custom clock."""

    @abstractmethod
    def before_batch(self) -> None: ...

    @abstractmethod
    def on_item(self, value: V) -> Tuple[datetime, datetime]: ...

    @abstractmethod
    def on_notify(self) -> datetime: ...

    @abstractmethod
    def on_eof(self) -> datetime: ...

    @abstractmethod
    def to_system_utc(self, timestamp: datetime) -> Optional[datetime]: ...

    @abstractmethod
    def snapshot(self) -> S: ...


class Clock(ABC, Generic[V, S]):
    """Decides the time of each item and the watermark."""

    @abstractmethod
    def build(self, resume_state: Optional[S]) -> ClockLogic[V, S]: ...


@dataclass
class EventClock(Clock[V, Any]):
    """Time comes from the items: `ts_getter(item)` must return an aware UTC `datetime`.

    The watermark is the latest timestamp seen minus `wait_for_system_duration`, advanced by the
    system time that passed since. Items older than the watermark are late.
    """

    ts_getter: Callable[[V], datetime]
    wait_for_system_duration: timedelta = timedelta(0)
    now_getter: Callable[[], datetime] = _utc_now
    to_system_utc: Callable[[datetime], Optional[datetime]] = _identity

    def __post_init__(self):
        if not isinstance(self.wait_for_system_duration, timedelta):
            msg = "`wait_for_system_duration` must be a `datetime.timedelta`"
            raise TypeError(msg)
        if self.wait_for_system_duration < timedelta(0):
            msg = "`wait_for_system_duration` must not be negative"
            raise ValueError(msg)

    def build(self, resume_state):
        parts = (self.now_getter, self.ts_getter, self.to_system_utc, self.wait_for_system_duration)
        if resume_state is None:
            return _EventClockLogic(*parts)
        return _EventClockLogic(*parts, resume_state)

    def _config(self, step_id):
        if self.to_system_utc is not _identity:
            # A custom mapping to system time: run this clock's Python logic.
            return _PythonConfig(self, _ad.ClockLogicAdapter)
        return _EventClockConfig(self)


@dataclass
class _EventClockState:
    """Where an event clock's watermark stands: `watermark_base` was set at system time
    `system_time_of_max_event`, and the watermark moves on with system time from there."""

    system_time_of_max_event: datetime
    watermark_base: datetime


@dataclass
class _EventClockLogic(ClockLogic[V, _EventClockState]):
    """`EventClock`'s logic in Python, returned by `EventClock.build` and run for clocks the engine
    cannot run itself (a custom `to_system_utc`). The engine's own event clock follows the same
    rule."""

    now_getter: Callable[[], datetime]
    timestamp_getter: Callable[[V], datetime]
    to_system: Callable[[datetime], Optional[datetime]]
    wait_for_system_duration: timedelta
    state: _EventClockState = field(default_factory=lambda: _EventClockState(UTC_MIN, UTC_MIN))
    _system_now: datetime = field(init=False)

    def __post_init__(self):
        self._system_now = self.now_getter()
        if self.state.system_time_of_max_event <= UTC_MIN:
            self.state.system_time_of_max_event = self._system_now

    def _watermark(self) -> datetime:
        return self.state.watermark_base + (self._system_now - self.state.system_time_of_max_event)

    def before_batch(self) -> None:
        # System time never goes back here, whatever the system clock does.
        self._system_now = max(self._system_now, self.now_getter())

    def on_item(self, value: V) -> Tuple[datetime, datetime]:
        ts = self.timestamp_getter(value)
        current = self._watermark()
        try:
            candidate = ts - self.wait_for_system_duration
        except OverflowError:
            # Unrepresentable: the watermark keeps moving with system time instead.
            return ts, current
        if candidate > current:
            self.state.watermark_base = candidate
            self.state.system_time_of_max_event = self._system_now
            return ts, candidate
        return ts, current

    def on_notify(self) -> datetime:
        self.before_batch()
        return self._watermark()

    def on_eof(self) -> datetime:
        return UTC_MAX

    def to_system_utc(self, timestamp: datetime) -> Optional[datetime]:
        return self.to_system(timestamp)

    def snapshot(self) -> _EventClockState:
        return copy.deepcopy(self.state)


@dataclass
class _SystemClockLogic(ClockLogic[Any, None]):
    """`SystemClock`'s logic in Python, returned by its `build`: every item of a batch is stamped
    with the system time read before the batch, which is also the watermark."""

    now_getter: Callable[[], datetime]
    _now: datetime = field(init=False)

    def __post_init__(self):
        self._now = self.now_getter()

    def before_batch(self) -> None:
        self._now = self.now_getter()

    def on_item(self, value: Any) -> Tuple[datetime, datetime]:
        return self._now, self._now

    def on_notify(self) -> datetime:
        self.before_batch()
        return self._now

    def on_eof(self) -> datetime:
        return UTC_MAX

    def to_system_utc(self, timestamp: datetime) -> Optional[datetime]:
        return timestamp

    def snapshot(self) -> None:
        return None


@dataclass
class SystemClock(Clock[Any, None]):
    """Processing time: items are stamped with the system time they are processed at."""

    def build(self, resume_state):
        return _SystemClockLogic(_utc_now)

    def _config(self, step_id):
        return _SystemClockConfig()


class WindowerLogic(ABC, Generic[S]):
    """Per-key window assignment of a custom windower."""

    @abstractmethod
    def open_for(self, timestamp: datetime) -> Iterable[int]: ...

    @abstractmethod
    def late_for(self, timestamp: datetime) -> Iterable[int]: ...

    @abstractmethod
    def merged(self) -> Iterable[Tuple[int, int]]: ...

    @abstractmethod
    def close_for(self, watermark: datetime) -> Iterable[Tuple[int, WindowMetadata]]: ...

    @abstractmethod
    def notify_at(self) -> Optional[datetime]: ...

    @abstractmethod
    def is_empty(self) -> bool: ...

    @abstractmethod
    def snapshot(self) -> S: ...


class Windower(ABC, Generic[S]):
    """Decides which windows an item belongs to."""

    @abstractmethod
    def build(self, resume_state: Optional[S]) -> WindowerLogic[S]: ...


def _check_duration(name: str, value: Any) -> None:
    if not isinstance(value, timedelta):
        msg = f"`{name}` must be a `datetime.timedelta`; got a {type(value)!r} instead"
        raise TypeError(msg)


def _check_align(align_to: Any) -> None:
    if not isinstance(align_to, datetime) or align_to.tzinfo is None:
        msg = "`align_to` must be a timezone-aware `datetime.datetime`"
        raise TypeError(msg)


def _positive(step_id: str, name: str, value: timedelta) -> int:
    if value <= timedelta(0):
        msg = f"window `{name}` in step {step_id!r} must be positive; got {value!r}"
        raise ValueError(msg)
    return _micros(value)


@dataclass
class _SlidingWindowerState:
    """The windows of a key opened and not closed yet, by id."""

    opened: Dict[int, WindowMetadata] = field(default_factory=dict)


@dataclass
class _SlidingWindowerLogic(WindowerLogic[_SlidingWindowerState]):
    """`SlidingWindower`'s logic in Python, returned by its `build` (and `TumblingWindower`'s).
    The engine runs its own, with the same ids: window `i` opens at `align_to + i * offset`."""

    length: timedelta
    offset: timedelta
    align_to: datetime
    state: _SlidingWindowerState

    def intersects(self, timestamp: datetime) -> List[int]:
        """The ids of every window that contains `timestamp`, in order."""
        since = timestamp - self.align_to
        first = (since - self.length) // self.offset + 1
        return list(range(first, since // self.offset + 1))

    def open_for(self, timestamp: datetime) -> List[int]:
        ids = self.intersects(timestamp)
        for window_id in ids:
            if window_id not in self.state.opened:
                open_time = self.align_to + self.offset * window_id
                self.state.opened[window_id] = WindowMetadata(open_time, open_time + self.length)
        return ids

    def late_for(self, timestamp: datetime) -> List[int]:
        return self.intersects(timestamp)

    def merged(self) -> Iterable[Tuple[int, int]]:
        return ()

    def close_for(self, watermark: datetime) -> List[Tuple[int, WindowMetadata]]:
        closed = [(i, meta) for i, meta in self.state.opened.items() if meta.close_time <= watermark]
        for window_id, _meta in closed:
            del self.state.opened[window_id]
        return closed

    def notify_at(self) -> Optional[datetime]:
        return min((meta.close_time for meta in self.state.opened.values()), default=None)

    def is_empty(self) -> bool:
        return not self.state.opened

    def snapshot(self) -> _SlidingWindowerState:
        return copy.deepcopy(self.state)


@dataclass
class SlidingWindower(Windower[Any]):
    """Windows of `length` starting every `offset`, aligned so one starts at `align_to`.

    `offset < length` gives overlapping windows; `offset == length` is tumbling. `align_to`
    defaults to the Unix epoch.
    """

    length: timedelta
    offset: timedelta
    align_to: datetime = _UNIX_EPOCH

    def __post_init__(self):
        _check_duration("length", self.length)
        _check_duration("offset", self.offset)
        _check_align(self.align_to)
        if self.offset > self.length:
            msg = (
                "sliding window `offset` can't be longer than `length`; "
                "there would be undefined gaps between windows"
            )
            raise ValueError(msg)

    def build(self, resume_state):
        return _SlidingWindowerLogic(
            self.length, self.offset, self.align_to, resume_state or _SlidingWindowerState()
        )

    def _config(self, step_id):
        return _SlidingConfig(step_id, self.length, self.offset, self.align_to)


@dataclass
class TumblingWindower(Windower[Any]):
    """Back-to-back windows of `length`, aligned so one starts at `align_to` (default: the
    Unix epoch)."""

    length: timedelta
    align_to: datetime = _UNIX_EPOCH

    def __post_init__(self):
        _check_duration("length", self.length)
        _check_align(self.align_to)

    def build(self, resume_state):
        return _SlidingWindowerLogic(
            self.length, self.length, self.align_to, resume_state or _SlidingWindowerState()
        )

    def _config(self, step_id):
        return _SlidingConfig(step_id, self.length, self.length, self.align_to)


@dataclass
class _SessionWindowerState:
    """A key's open sessions by id, the last id handed out, and merges not reported yet as
    `(from_id, into_id)` pairs."""

    max_key: int = LATE_SESSION_ID
    sessions: Dict[int, WindowMetadata] = field(default_factory=dict)
    merge_queue: List[Tuple[int, int]] = field(default_factory=list)


def _session_find_merges(
    sessions: Dict[int, WindowMetadata], gap: timedelta
) -> List[Tuple[int, int]]:
    """Folds, in place, each session that opens within `gap` of the close of the one before it
    (in open-time order) into that one; returns the merges as `(from_id, into_id)` pairs."""
    by_open = sorted(sessions.items(), key=lambda id_meta: id_meta[1].open_time)
    merges = []
    into_id, into = by_open[0]
    for window_id, meta in by_open[1:]:
        if meta.open_time - into.close_time > gap:
            into_id, into = window_id, meta
            continue
        into.close_time = max(into.close_time, meta.close_time)
        into.merged_ids.add(window_id)
        merges.append((window_id, into_id))
        del sessions[window_id]
    return merges


@dataclass
class _SessionWindowerLogic(WindowerLogic[_SessionWindowerState]):
    """`SessionWindower`'s logic in Python, returned by its `build`. The engine runs its own, with
    the same ids and merges. Sessions are never dropped, so a key's ids keep counting up."""

    gap: timedelta
    state: _SessionWindowerState

    def open_for(self, timestamp: datetime) -> Tuple[int]:
        for window_id, meta in self.state.sessions.items():
            if meta.open_time <= timestamp <= meta.close_time:
                return (window_id,)
            if timedelta(0) < meta.open_time - timestamp <= self.gap:
                meta.open_time = timestamp
            elif timedelta(0) < timestamp - meta.close_time <= self.gap:
                meta.close_time = timestamp
            else:
                continue
            # A session grew, so it may now reach its neighbours.
            if len(self.state.sessions) > 1:
                found = _session_find_merges(self.state.sessions, self.gap)
                self.state.merge_queue.extend(found)
            return (window_id,)
        self.state.max_key += 1
        self.state.sessions[self.state.max_key] = WindowMetadata(timestamp, timestamp)
        return (self.state.max_key,)

    def late_for(self, timestamp: datetime) -> Tuple[int]:
        return (LATE_SESSION_ID,)

    def merged(self) -> List[Tuple[int, int]]:
        merges, self.state.merge_queue = self.state.merge_queue, []
        return merges

    def close_for(self, watermark: datetime) -> List[Tuple[int, WindowMetadata]]:
        try:
            limit = watermark - self.gap
        except OverflowError:
            limit = UTC_MIN
        closed = [(i, meta) for i, meta in self.state.sessions.items() if meta.close_time < limit]
        for window_id, _meta in closed:
            del self.state.sessions[window_id]
        return closed

    def notify_at(self) -> Optional[datetime]:
        closes = [meta.close_time for meta in self.state.sessions.values()]
        return min(closes) + self.gap if closes else None

    def is_empty(self) -> bool:
        return False

    def snapshot(self) -> _SessionWindowerState:
        return copy.deepcopy(self.state)


@dataclass
class SessionWindower(Windower[Any]):
    """Sessions: items at most `gap` apart share a window; sessions that meet merge."""

    gap: timedelta

    def __post_init__(self):
        _check_duration("gap", self.gap)
        if self.gap < timedelta(0):
            msg = "session window `gap` must not be negative"
            raise ValueError(msg)

    def build(self, resume_state):
        return _SessionWindowerLogic(self.gap, resume_state or _SessionWindowerState())

    def _config(self, step_id):
        return _SessionConfig(self.gap)


# What the Java engine reads to build its clocks and windowers.


class _SystemClockConfig:
    kind = "system"


class _EventClockConfig:
    kind = "event"

    def __init__(self, clock: EventClock):
        ts_getter = clock.ts_getter
        to_micros = _ad.to_micros
        # Waits beyond any representable time (e.g. `timedelta.max`) mean "until EOF".
        self.wait_micros = min(_micros(clock.wait_for_system_duration), _MAX_WAIT_MICROS)
        self.now_micros = (
            None
            if clock.now_getter is _utc_now
            else (lambda: to_micros(clock.now_getter(), "`now_getter`"))
        )

        def stamp(value):
            return to_micros(ts_getter(value), "`ts_getter`")

        def ts_batch(values):
            return [stamp(v) for v in _ad.as_list(values)]

        # Timestamps as integer microseconds, or the Python error the user should see.
        self.stamp = stamp
        self.ts_batch = ts_batch


class _PythonConfig:
    """A clock or windower whose Python logic the engine calls through `adapter`."""

    kind = "python"

    def __init__(self, obj, adapter):
        self.build = lambda resume_state=None: adapter(obj.build(resume_state))


class _SlidingConfig:
    kind = "sliding"

    def __init__(self, step_id: str, length: timedelta, offset: timedelta, align_to: datetime):
        self.length_micros = _positive(step_id, "length", length)
        self.offset_micros = _positive(step_id, "offset", offset)
        self.align_micros = _micros(align_to - _UNIX_EPOCH)


class _SessionConfig:
    kind = "session"

    def __init__(self, gap: timedelta):
        self.gap_micros = _micros(gap)


class WindowLogic(ABC, Generic[V, W, S]):
    """What happens in one window of one key; each method returns values to emit."""

    @abstractmethod
    def on_value(self, value: V) -> Iterable[W]:
        """A new value arrived in this window."""
        ...

    @abstractmethod
    def on_merge(self, original: "WindowLogic[V, W, S]") -> Iterable[W]:
        """Session windows: `original` was merged into this window and is gone."""
        ...

    @abstractmethod
    def on_close(self) -> Iterable[W]:
        """The window closed."""
        ...

    @abstractmethod
    def snapshot(self) -> S:
        """State to resume this window from."""
        ...


@dataclass(frozen=True)
class WindowOut(Generic[V, W]):
    """The streams out of a windowing operator."""

    down: KeyedStream[Tuple[int, W]]
    late: KeyedStream[Tuple[int, V]]
    meta: KeyedStream[Tuple[int, WindowMetadata]]


def _engine_config(step_id: str, what: str, obj: Any, base: type):
    if not isinstance(obj, base):
        msg = f"{what} in step {step_id!r} must be a `bytewax.operators.windowing.{base.__name__}`; got a {type(obj)!r} instead"
        raise TypeError(msg)
    config = getattr(obj, "_config", None)
    if config is None:
        # A Python subclass: the engine calls its logic through an adapter.
        adapter = _ad.ClockLogicAdapter if base is Clock else _ad.WindowerLogicAdapter
        return _PythonConfig(obj, adapter)
    return config(step_id)


def _add_window_step(
    step_id: str, up: KeyedStream[V], clock: Clock, windower: Windower, logic: Any, ordered: bool
) -> List[str]:
    """Add the engine's window step; returns the ids of its down, late and meta outputs.

    `logic` is a window logic builder or the name of one of the engine's own logics.
    """
    clock_config = _engine_config(step_id, "clock", clock, Clock)
    # Event clocks stamp items while they are grouped: one call into Python per batch.
    stamp = clock_config.stamp if clock_config.kind == "event" else None
    return up._scope.state.graph.window(
        step_id,
        up._engine_id,
        _ad.key_grouper(step_id, stamp),
        clock_config,
        _engine_config(step_id, "windower", windower, Windower),
        logic,
        bool(ordered),
        _ad.WindowShaper,
    )


def _runs_in_engine(logic: str, fn: Callable) -> Callable:
    """Mark `fn` (a fold's folder or a window logic builder) as standing for the engine's own
    `logic`, which `window` then runs instead of calling Python."""
    fn._wax_engine_logic = logic
    return fn


@operator
def window(
    step_id: str,
    up: KeyedStream[V],
    clock: Clock,
    windower: Windower,
    builder: Callable[[Optional[S]], WindowLogic[V, W, S]],
    ordered: bool = True,
) -> WindowOut:
    """Run a `WindowLogic` per window of each key, built by `builder(resume_state)`.

    With `ordered=True` values reach windows in timestamp order once the watermark passes them;
    with `ordered=False` as soon as they arrive.
    """
    logic = getattr(builder, "_wax_engine_logic", None) or _ad.window_logic_builder(builder)
    ids = _add_window_step(f"{step_id}.stateful_batch", up, clock, windower, logic, ordered)
    # That one engine step does the work of Bytewax's steps here, so they are only recorded;
    # the mappers of the `unwrap_*` steps never run.
    events = op.stateful_batch("stateful_batch", up._unbuilt_copy(), builder)
    unwrapped = [
        op.filter_map_value(f"unwrap_{port}", events, None)._built_as(engine_id)
        for port, engine_id in zip(("down", "late", "meta"), ids)
    ]
    return WindowOut(*unwrapped)


class _FoldLogic(WindowLogic[V, S, S]):
    def __init__(self, step_id, folder, merger, state):
        self._step_id = step_id
        self._folder = folder
        self._merger = merger
        self.state = state

    def on_value(self, value):
        self.state = self._folder(self.state, value)
        return ()

    def on_merge(self, original):
        if self._merger is None:
            msg = (
                f"step {self._step_id!r} merged two session windows but `fold_window` was "
                "given no `merger`; pass `merger=` to combine two accumulators"
            )
            raise TypeError(msg)
        self.state = self._merger(self.state, original.state)
        return ()

    def on_close(self):
        return (self.state,)

    def snapshot(self):
        import copy

        return copy.deepcopy(self.state)


@operator
def fold_window(
    step_id: str,
    up: KeyedStream[V],
    clock: Clock,
    windower: Windower,
    builder: Callable[[], S],
    folder: Callable[[S, V], S],
    merger: Optional[Callable[[S, S], S]] = None,
    ordered: bool = True,
) -> WindowOut:
    """Fold each window's values into an accumulator, emitted when the window closes.

    `merger(a, b)` combines accumulators when session windows merge.
    """

    def shim_builder(resume_state=None):
        state = builder() if resume_state is None else resume_state
        return _FoldLogic(step_id, folder, merger, state)

    if hasattr(folder, "_wax_engine_logic"):
        _runs_in_engine(folder._wax_engine_logic, shim_builder)
    return window("window", up, clock, windower, shim_builder, ordered)


def _list_collector(step_id):
    def folder(acc, v):
        acc.append(v)
        return acc

    return list, folder, lambda a, b: a + b


def _set_collector(step_id):
    def folder(acc, v):
        acc.add(v)
        return acc

    return set, folder, lambda a, b: a | b


def _dict_collector(step_id):
    def folder(acc, k_v):
        try:
            k, v = k_v
        except TypeError as ex:
            msg = (
                f"step {step_id!r} collecting into a `dict` requires `(key, value)` 2-tuple "
                f"as the values in the stream; got a {type(k_v)!r} instead"
            )
            raise TypeError(msg) from ex
        acc[k] = v
        return acc

    def merger(a, b):
        a.update(b)
        return a

    return dict, folder, merger


_COLLECTORS = {list: _list_collector, set: _set_collector, dict: _dict_collector}


@operator
def collect_window(
    step_id: str,
    up: KeyedStream[V],
    clock: Clock,
    windower: Windower,
    into: type = list,
    ordered: bool = True,
) -> WindowOut:
    """Collect each window's values into a `list`, a `set` or a `dict` (of `(k, v)` values)."""
    collector = next((c for t, c in _COLLECTORS.items() if isinstance(into, type) and issubclass(into, t)), None)
    if collector is None:
        msg = (
            f"`collect_window` doesn't support `{into!r}`; only `list`, `set`, and `dict`; "
            "use `fold_window` directly"
        )
        raise TypeError(msg)
    builder, folder, merger = collector(step_id)
    return fold_window("fold_window", up, clock, windower, builder, folder, merger, ordered)


@operator
def reduce_window(
    step_id: str,
    up: KeyedStream[V],
    clock: Clock,
    windower: Windower,
    reducer: Callable[[V, V], V],
) -> WindowOut:
    """Combine each window's values with `reducer`, in arrival order, emitted on close."""

    def folder(acc, v):
        return v if acc is None else reducer(acc, v)

    def merger(target, original):
        return reducer(target, original)

    return fold_window("fold_window", up, clock, windower, lambda: None, folder, merger, False)


def _count_folder(count: int, _value: Any) -> int:
    return count + 1


_runs_in_engine("count", _count_folder)


@operator
def count_window(
    step_id: str,
    up: Stream[V],
    clock: Clock,
    windower: Windower,
    key: Callable[[V], str],
) -> WindowOut:
    """Count the items of each `key(item)` per window; the engine counts in Java."""
    keyed = op.key_on("keyed", up, key)
    return fold_window(
        "sum", keyed, clock, windower, int, _count_folder, _pyop.add, ordered=False
    )


@operator
def max_window(
    step_id: str,
    up: KeyedStream[V],
    clock: Clock,
    windower: Windower,
    by: Callable[[V], Any] = lambda x: x,  # noqa: E731
) -> WindowOut:
    """The largest value (compared by `by`) of each window; ties keep the earlier value."""
    return reduce_window("reduce_window", up, clock, windower, lambda a, b: max(a, b, key=by))


@operator
def min_window(
    step_id: str,
    up: KeyedStream[V],
    clock: Clock,
    windower: Windower,
    by: Callable[[V], Any] = lambda x: x,  # noqa: E731
) -> WindowOut:
    """The smallest value (compared by `by`) of each window; ties keep the earlier value."""
    return reduce_window("reduce_window", up, clock, windower, lambda a, b: min(a, b, key=by))


class _JoinWindowLogic(WindowLogic[Tuple[int, Any], Tuple, Any]):
    def __init__(self, side_count, insert_mode, emit_mode):
        from bytewax.operators import _JoinState

        self._state = _JoinState.for_side_count(side_count)
        self._insert_mode = insert_mode
        self._emit_mode = emit_mode

    def on_value(self, value):
        side, v = value
        state = self._state
        if self._insert_mode == "first":
            if not state.is_set(side):
                state.set_val(side, v)
        elif self._insert_mode == "last":
            state.set_val(side, v)
        else:
            state.add_val(side, v)
        return self._emit_rows()

    def _emit_rows(self):
        state = self._state
        if self._emit_mode == "complete" and state.all_set():
            rows = state.astuples()
            state.clear()
            return rows
        if self._emit_mode == "running":
            return state.astuples()
        return ()

    def on_merge(self, original):
        # What Bytewax 0.21 does when sessions merge (self opened earlier): "first" prefers the
        # merged-in window's values, "last" this window's, "product" keeps both.
        mine, theirs = self._state.sides, original._state.sides
        for side in range(len(mine)):
            if self._insert_mode == "first":
                mine[side] = list(theirs[side]) if theirs[side] else mine[side]
            elif self._insert_mode == "last":
                mine[side] = mine[side] if mine[side] else list(theirs[side])
            else:
                mine[side] = mine[side] + theirs[side]
        return self._emit_rows()

    def on_close(self):
        if self._emit_mode == "final":
            return self._state.astuples()
        return ()

    def snapshot(self):
        import copy

        return copy.deepcopy(self._state)


@operator
def join_window(
    step_id: str,
    clock: Clock,
    windower: Windower,
    *sides: KeyedStream[Any],
    insert_mode: JoinInsertMode = "last",
    emit_mode: JoinEmitMode = "final",
    ordered: bool = True,
) -> WindowOut:
    """Join each key's values across streams within each window into tuples in side order.

    `insert_mode` and `emit_mode` work as in `bytewax.operators.join`; the default `"final"`
    emits when the window closes. `clock=` and `windower=` may also come as keywords after the
    sides.
    """
    if insert_mode not in ("first", "last", "product"):
        msg = f"unknown join insert mode {insert_mode!r}"
        raise ValueError(msg)
    if emit_mode not in ("complete", "final", "running"):
        msg = f"unknown join emit mode {emit_mode!r}"
        raise ValueError(msg)
    if isinstance(clock, EventClock):
        # Values arrive labelled `(side, value)`; the user's getter sees only the value.
        getter = clock.ts_getter
        clock = EventClock(
            lambda side_v: getter(side_v[1]),
            clock.wait_for_system_duration,
            clock.now_getter,
            clock.to_system_utc,
        )
    side_count = len(sides)
    merged = op._join_label_merge("add_names", *sides)
    return window(
        "window",
        merged,
        clock,
        windower,
        lambda _resume=None: _JoinWindowLogic(side_count, insert_mode, emit_mode),
        ordered,
    )


def _keyword_clock(join_op: Callable) -> Callable:
    """Also take `clock=` and `windower=` after the sides, as Wax's seed documentation does."""

    @functools.wraps(join_op)
    def call(step_id: str, *args: Any, clock=None, windower=None, **modes: Any) -> WindowOut:
        args = list(args)
        if clock is None and args and isinstance(args[0], Clock):
            clock = args.pop(0)
        if windower is None and args and isinstance(args[0], Windower):
            windower = args.pop(0)
        return join_op(step_id, clock, windower, *args, **modes)

    return call


join_window = _keyword_clock(join_window)


# The older names of seed documentation (`bytewax.bytewax` before 0.18), kept working.

ClockConfig = Clock
"""Older name of `Clock`."""

WindowConfig = Windower
"""Older name of `Windower`."""


class EventClockConfig(EventClock):
    """Older spelling of `EventClock(dt_getter, wait_for_system_duration)`."""

    def __init__(self, dt_getter: Callable[[Any], datetime], wait_for_system_duration: timedelta = ZERO_TD):
        super().__init__(dt_getter, wait_for_system_duration)

    @property
    def dt_getter(self) -> Callable[[Any], datetime]:
        return self.ts_getter


class SystemClockConfig(SystemClock):
    """Older name of `SystemClock`."""


class TumblingWindow(TumblingWindower):
    """Older name of `TumblingWindower(length, align_to)`."""


class SlidingWindow(SlidingWindower):
    """Older name of `SlidingWindower(length, offset, align_to)`."""


class SessionWindow(SessionWindower):
    """Older name of `SessionWindower(gap)`."""
