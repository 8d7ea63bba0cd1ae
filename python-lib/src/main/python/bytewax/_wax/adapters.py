"""Adapters between user objects and the Java engine.

Each adapter checks what user code returns, raising the errors Bytewax raises, and hands the
engine plain values: lists for batches, `(emits, discard)` tuples, integer microseconds for
times. The engine adds the step name to any error raised here.
"""

from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, List

from bytewax.errors import BytewaxRuntimeError

_UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=_UTC)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_MICROSECOND = timedelta(microseconds=1)


def type_name(obj: Any) -> str:
    return type(obj).__name__


def as_list(batch) -> list:
    """Batches from the engine are Python lists, or Java lists that need copying once."""
    return batch if type(batch) is list else list(batch)


def to_micros(dt: Any, what: str):
    """`None` or an aware datetime as microseconds since the Unix epoch."""
    if type(dt) is datetime and dt.tzinfo is _UTC:
        # Event-time steps convert every item: plain field arithmetic is the fast path.
        days = dt.toordinal() - _EPOCH_ORDINAL
        seconds = days * 86400 + dt.hour * 3600 + dt.minute * 60 + dt.second
        return seconds * 1_000_000 + dt.microsecond
    if dt is None:
        return None
    prefix = f"{what} " if what else ""
    if not isinstance(dt, datetime):
        msg = f"{prefix}did not return a `datetime`; got a `{type_name(dt)}` instead"
        raise TypeError(msg)
    if dt.tzinfo is None or dt.tzinfo.utcoffset(dt) is None:
        msg = f"{prefix}returned a naive `datetime`; it must be timezone-aware, e.g. UTC"
        raise ValueError(msg)
    return (dt - _EPOCH) // _MICROSECOND


def materialize(items: Any, what: str) -> list:
    """The items of an iterable returned by user code, as a list."""
    if type(items) is list:
        return items
    try:
        iterator = iter(items)
    except TypeError:
        msg = f"{what} must return an iterable; got a `{type_name(items)}` instead"
        raise TypeError(msg) from None
    try:
        return list(iterator)
    except Exception as ex:
        raise iteration_error() from ex


# Sources


class SourcePartitionAdapter:
    """Polls one partition: `next_batch()` gives a list, None at EOF, False to abort."""

    def __init__(self, part):
        self._part = part

    def next_batch(self):
        from bytewax.inputs import AbortExecution

        try:
            batch = self._part.next_batch()
        except StopIteration:
            return None
        except AbortExecution:
            return False
        return materialize(batch, "`next_batch`")

    def next_awake(self):
        return to_micros(self._part.next_awake(), "`next_awake`")

    def snapshot(self):
        snapshot = getattr(self._part, "snapshot", None)
        return snapshot() if snapshot is not None else None

    def close(self):
        self._part.close()


class FixedSourceAdapter:
    def __init__(self, source):
        self._source = source

    def list_parts(self) -> List[str]:
        return checked_parts(self._source.list_parts())

    def build_part(self, step_id, for_part, resume_state=None):
        from bytewax.inputs import StatefulSourcePartition

        part = self._source.build_part(step_id, for_part, resume_state)
        if not isinstance(part, StatefulSourcePartition):
            msg = "stateful source partition must subclass `bytewax.inputs.StatefulSourcePartition`"
            raise TypeError(msg)
        return SourcePartitionAdapter(part)


class DynamicSourceAdapter:
    def __init__(self, source):
        self._source = source

    def build(self, step_id, worker_index, worker_count):
        from bytewax.inputs import StatelessSourcePartition

        part = self._source.build(step_id, worker_index, worker_count)
        if not isinstance(part, StatelessSourcePartition):
            msg = "stateless source partition must subclass `bytewax.inputs.StatelessSourcePartition`"
            raise TypeError(msg)
        return SourcePartitionAdapter(part)


def checked_parts(parts: Any) -> List[str]:
    parts = list(parts)
    for part in parts:
        if not isinstance(part, str):
            msg = f"partition keys must be `str`; got a `{type_name(part)}` instead"
            raise TypeError(msg)
    return parts


# Sinks


class SinkPartitionAdapter:
    def __init__(self, part):
        self._part = part
        self.write_batch = lambda items: part.write_batch(as_list(items))

    def snapshot(self):
        snapshot = getattr(self._part, "snapshot", None)
        return snapshot() if snapshot is not None else None

    def committer(self):
        """The Java `OutputCommitter` of a partition whose output commits with the snapshots."""
        return getattr(self._part, "_wax_committer", None)

    def close(self):
        self._part.close()


class FixedSinkAdapter:
    def __init__(self, sink):
        self._sink = sink
        self._part_count = 0

    def list_parts(self) -> List[str]:
        parts = checked_parts(self._sink.list_parts())
        self._part_count = len(parts)
        return parts

    def part_index(self, key: str) -> int:
        index = self._sink.part_fn(key)
        if not isinstance(index, int):
            msg = f"`part_fn` must return an `int`; got a `{type_name(index)}` instead"
            raise TypeError(msg)
        return index % self._part_count

    def build_part(self, step_id, for_part, resume_state=None):
        from bytewax.outputs import StatefulSinkPartition

        part = self._sink.build_part(step_id, for_part, resume_state)
        if not isinstance(part, StatefulSinkPartition):
            msg = "stateful sink partition must subclass `bytewax.outputs.StatefulSinkPartition`"
            raise TypeError(msg)
        return SinkPartitionAdapter(part)


class DynamicSinkAdapter:
    def __init__(self, sink):
        self._sink = sink

    def build(self, step_id, worker_index, worker_count):
        from bytewax.outputs import StatelessSinkPartition

        part = self._sink.build(step_id, worker_index, worker_count)
        if not isinstance(part, StatelessSinkPartition):
            msg = "stateless sink partition must subclass `bytewax.outputs.StatelessSinkPartition`"
            raise TypeError(msg)
        return SinkPartitionAdapter(part)


# Functions


def batch_mapper(mapper):
    """`flat_map_batch`: the mapper's result for a batch, as a list."""

    def call(batch):
        try:
            out = mapper(as_list(batch))
        except Exception as ex:
            if getattr(ex, "_wax_iteration", False):
                raise
            raise BytewaxRuntimeError("error calling mapper") from ex
        return materialize(out, "mapper")

    return call


def key_grouper(step_id: str, stamp=None):
    """Splits `(key, value)` items by key, raising Bytewax's routing errors.

    With `stamp` (an event clock's value -> microseconds) it also returns each key's timestamps,
    saving the engine a call into Python per key. A key whose stamping raised gets `None`: the
    engine then stamps that key on its own, so the error names the key.
    """

    def group(batch):
        groups = {}
        stamps = {}
        failed = None
        for item in as_list(batch):
            if not isinstance(item, tuple) or len(item) != 2:
                msg = (
                    f"step {_quoted(step_id)} requires `(key, value)` 2-tuple from upstream "
                    f"for routing; got a `{type_name(item)}` instead"
                )
                raise TypeError(msg)
            key, value = item
            if not isinstance(key, str):
                msg = (
                    f"step {_quoted(step_id)} requires `str` keys in `(key, value)` from "
                    f"upstream; got a `{type_name(key)}` instead"
                )
                raise TypeError(msg)
            values = groups.get(key)
            if values is None:
                groups[key] = values = []
                stamps[key] = []
            values.append(value)
            if stamp is not None:
                try:
                    stamps[key].append(stamp(value))
                except Exception:
                    failed = failed or set()
                    failed.add(key)
        if stamp is None:
            return list(groups), list(groups.values())
        if failed:
            for key in failed:
                stamps[key] = None
        return list(groups), list(groups.values()), list(stamps.values())

    return group


def _quoted(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class LogicAdapter:
    """One key's `StatefulBatchLogic`; every call returns `(keyed_emits, discard)`."""

    __slots__ = ("_key", "_logic")

    def __init__(self, key: str, logic):
        self._key = key
        self._logic = logic

    def on_batch(self, values):
        return self._emit(self._logic.on_batch(as_list(values)))

    def on_notify(self):
        return self._emit(self._logic.on_notify())

    def on_eof(self):
        return self._emit(self._logic.on_eof())

    def notify_at(self):
        return to_micros(self._logic.notify_at(), "")

    def snapshot(self):
        return self._logic.snapshot()

    def _emit(self, result):
        try:
            emits, discard = _check_emit(result)
        except TypeError as ex:
            raise BytewaxRuntimeError("error extracting `(emit, is_complete)`") from ex
        key = self._key
        return [(key, value) for value in emits], discard


def _check_emit(result):
    if not isinstance(result, tuple) or len(result) != 2:
        msg = (
            "did not return a 2-tuple of `(emit, is_complete)`; "
            f"got a `{type_name(result)}` instead"
        )
        raise TypeError(msg)
    emits, discard = result
    if not isinstance(discard, bool):
        msg = f"`is_complete` was not a `bool`; got a `{type_name(discard)}` instead"
        raise TypeError(msg)
    if isinstance(emits, (str, bytes)):
        msg = f"`emit` was not a `list`; got a `{type_name(emits)}` instead"
        raise TypeError(msg)
    try:
        emits = emits if type(emits) is list else list(emits)
    except TypeError:
        msg = f"`emit` was not a `list`; got a `{type_name(emits)}` instead"
        raise TypeError(msg) from None
    return emits, discard


def logic_builder(builder):
    """`builder(resume_state)` per key, checked to give a `StatefulBatchLogic`."""
    from bytewax.operators import StatefulBatchLogic

    def build(key, resume_state=None):
        logic = builder(resume_state)
        if not isinstance(logic, StatefulBatchLogic):
            msg = "logic must subclass `bytewax.operators.StatefulBatchLogic`"
            raise TypeError(msg)
        return LogicAdapter(key, logic)

    return build


def batch_splitter(predicate, step_id: str):
    """`branch`: a batch split into `(trues, falses)`."""

    def split(batch):
        trues, falses = [], []
        for item in as_list(batch):
            try:
                keep = predicate(item)
            except Exception as ex:
                raise BytewaxRuntimeError("error calling predicate") from ex
            if keep is True:
                trues.append(item)
            elif keep is False:
                falses.append(item)
            else:
                msg = (
                    f"return value of `predicate` in step {_quoted(step_id)} must be a `bool`; "
                    f"got a `{type_name(keep)}` instead"
                )
                raise TypeError(msg)
        return trues, falses

    return split


def batch_inspector(inspector, step_id: str):
    """`inspect_debug`: calls `inspector(step_id, item, epoch, worker_index)` per item."""

    def inspect(batch, epoch, worker_index):
        for item in as_list(batch):
            inspector(step_id, item, epoch, worker_index)

    return inspect


def iteration_error() -> BytewaxRuntimeError:
    """What operator shims raise (from the user's exception) when an item of a batch fails."""
    error = BytewaxRuntimeError("error while iterating through batch")
    error._wax_iteration = True
    return error


# Windows


class WindowLogicAdapter:
    """One window's `WindowLogic`: values in, emitted values out, as lists."""

    __slots__ = ("logic",)

    def __init__(self, logic):
        self.logic = logic

    def on_values(self, values):
        on_value = self.logic.on_value
        out = []
        for value in as_list(values):
            out.extend(on_value(value))
        return out

    def on_merge(self, other: "WindowLogicAdapter"):
        return list(self.logic.on_merge(other.logic))

    def on_close(self):
        return list(self.logic.on_close())

    def snapshot(self):
        return self.logic.snapshot()


def window_logic_builder(builder):
    """`builder(resume_state)` per window, checked to give a `WindowLogic`."""
    from bytewax.operators.windowing import WindowLogic

    def build(resume_state=None):
        logic = builder(resume_state)
        if not isinstance(logic, WindowLogic):
            msg = "window logic must subclass `bytewax.operators.windowing.WindowLogic`"
            raise TypeError(msg)
        return WindowLogicAdapter(logic)

    return build


def micros_to_datetime(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


class WindowShaper:
    """Builds a window step's output items from the engine's columns, a round at a time."""

    @staticmethod
    def values(keys, ids, values):
        return [(k, (i, v)) for k, i, v in zip(keys, ids, values)]

    @staticmethod
    def metadata(keys, ids, opens, closes, merged):
        from bytewax.operators.windowing import WindowMetadata

        to_dt = micros_to_datetime
        return [
            (k, (i, WindowMetadata(to_dt(o), to_dt(c), set(m))))
            for k, i, o, c, m in zip(keys, ids, opens, closes, merged)
        ]


def _micros_or_none(dt, what):
    return None if dt is None else to_micros(dt, what)


class ClockLogicAdapter:
    """A Python `ClockLogic` of one key, in microseconds."""

    def __init__(self, logic):
        self._logic = logic

    def on_items(self, values):
        logic = self._logic
        logic.before_batch()
        stamps, marks = [], []
        for value in as_list(values):
            ts, wm = logic.on_item(value)
            stamps.append(to_micros(ts, "`ClockLogic.on_item`"))
            marks.append(to_micros(wm, "`ClockLogic.on_item`"))
        return stamps, marks

    def on_notify(self):
        return to_micros(self._logic.on_notify(), "`ClockLogic.on_notify`")

    def on_eof(self):
        return to_micros(self._logic.on_eof(), "`ClockLogic.on_eof`")

    def to_system_utc(self, micros):
        return _micros_or_none(
            self._logic.to_system_utc(micros_to_datetime(micros)), "`ClockLogic.to_system_utc`"
        )

    def snapshot(self):
        return self._logic.snapshot()


class WindowerLogicAdapter:
    """A Python `WindowerLogic` of one key, in microseconds and columns."""

    def __init__(self, logic):
        self._logic = logic

    def open_for(self, micros):
        return list(self._logic.open_for(micros_to_datetime(micros)))

    def late_for(self, micros):
        return list(self._logic.late_for(micros_to_datetime(micros)))

    def merged(self):
        return [[orig, target] for orig, target in self._logic.merged()]

    def close_for(self, micros):
        ids, opens, closes, merged = [], [], [], []
        for window_id, meta in self._logic.close_for(micros_to_datetime(micros)):
            ids.append(window_id)
            opens.append(to_micros(meta.open_time, "`WindowerLogic.close_for`"))
            closes.append(to_micros(meta.close_time, "`WindowerLogic.close_for`"))
            merged.append(sorted(meta.merged_ids))
        return ids, opens, closes, merged

    def notify_at(self):
        return _micros_or_none(self._logic.notify_at(), "`WindowerLogic.notify_at`")

    def is_empty(self):
        return bool(self._logic.is_empty())

    def snapshot(self):
        return self._logic.snapshot()
