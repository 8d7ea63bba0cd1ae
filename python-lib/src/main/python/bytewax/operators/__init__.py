"""Built-in operators.

Eight operators are core steps run by the Java engine: `input`, `output`, `flat_map_batch`,
`branch`, `merge`, `inspect_debug`, `redistribute` and `stateful_batch`. Every other operator is
a composition of them, which is also what gives substeps their nested ids.
"""

import copy
import itertools
import operator as _pyop
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import (
    Any,
    Callable,
    Dict,
    Generic,
    Iterable,
    List,
    Literal,
    Optional,
    Tuple,
    TypeVar,
)

from bytewax._wax import adapters as _ad
from bytewax.dataflow import Dataflow, KeyedStream, Stream, f_repr, operator
from bytewax.inputs import DynamicSource, FixedPartitionedSource, Source
from bytewax.outputs import DynamicSink, FixedPartitionedSink, Sink, StatelessSinkPartition

__all__ = [
    "BranchOut",
    "StatefulBatchLogic",
    "StatefulLogic",
    "TTLCache",
    "JoinEmitMode",
    "JoinInsertMode",
    "branch",
    "collect",
    "count_final",
    "enrich_cached",
    "filter",
    "filter_map",
    "filter_map_value",
    "filter_value",
    "flat_map",
    "flat_map_batch",
    "flat_map_value",
    "flatten",
    "fold_final",
    "input",
    "inspect",
    "inspect_debug",
    "join",
    "key_on",
    "key_rm",
    "map",
    "map_value",
    "max_final",
    "merge",
    "min_final",
    "output",
    "raises",
    "redistribute",
    "reduce_final",
    "stateful",
    "stateful_batch",
    "stateful_flat_map",
    "stateful_map",
]

X = TypeVar("X")
Y = TypeVar("Y")
K = TypeVar("K")
U = TypeVar("U")
V = TypeVar("V")
W = TypeVar("W")
W_co = TypeVar("W_co", covariant=True)
S = TypeVar("S")
DK = TypeVar("DK")
DV = TypeVar("DV")


def _identity(x):
    return x


def _stream_from(up_scope_holder, stream_id: str) -> Stream:
    return Stream(stream_id, up_scope_holder._scope)


# Core operators


@operator(_core=True)
def input(step_id: str, flow: Dataflow, source: Source[X]) -> Stream[X]:  # noqa: A001
    """Introduce items from `source` into the dataflow."""
    if isinstance(source, FixedPartitionedSource):
        stream_id = flow._graph.input(step_id, _ad.FixedSourceAdapter(source), True)
    elif isinstance(source, DynamicSource):
        stream_id = flow._graph.input(step_id, _ad.DynamicSourceAdapter(source), False)
    elif isinstance(source, Source):
        msg = "unknown source type"
        raise TypeError(msg)
    else:
        msg = "source must subclass `bytewax.inputs.Source`"
        raise TypeError(msg)
    return _stream_from(flow, stream_id)


@operator(_core=True)
def output(step_id: str, up: Stream[X], sink: Sink[X]) -> None:
    """Write each item of `up` to `sink`."""
    graph = up._scope.state.graph
    if isinstance(sink, FixedPartitionedSink):
        graph.output(
            step_id, up._engine_id, _ad.FixedSinkAdapter(sink), True, _ad.key_grouper(step_id)
        )
    elif isinstance(sink, DynamicSink):
        graph.output(step_id, up._engine_id, _ad.DynamicSinkAdapter(sink), False, None)
    elif isinstance(sink, Sink):
        msg = "unknown sink type"
        raise TypeError(msg)
    else:
        msg = "sink must subclass `bytewax.outputs.Sink`"
        raise TypeError(msg)


@operator(_core=True)
def flat_map_batch(
    step_id: str, up: Stream[X], mapper: Callable[[List[X]], Iterable[Y]]
) -> Stream[Y]:
    """Transform a whole batch of items at a time into zero or more items."""
    graph = up._scope.state.graph
    return _stream_from(up, graph.flatMapBatch(step_id, up._engine_id, _ad.batch_mapper(mapper)))


@dataclass(frozen=True)
class BranchOut(Generic[X, Y]):
    """The two streams out of `branch`."""

    trues: Stream[X]
    falses: Stream[Y]


@operator(_core=True)
def branch(step_id: str, up: Stream[X], predicate: Callable[[X], bool]) -> BranchOut:
    """Split a stream in two by a predicate that returns a `bool` for each item."""
    graph = up._scope.state.graph
    ids = graph.branch(step_id, up._engine_id, _ad.batch_splitter(predicate, step_id))
    return BranchOut(_stream_from(up, ids[0]), _stream_from(up, ids[1]))


@operator(_core=True)
def merge(step_id: str, *ups: Stream[Any]) -> Stream[Any]:
    """Combine several streams into one (`operator` checks there is at least one)."""
    graph = ups[0]._scope.state.graph
    return _stream_from(ups[0], graph.merge(step_id, [u._engine_id for u in ups]))


def _default_debug_inspector(step_id: str, item: Any, epoch: int, worker: int) -> None:
    print(f"{step_id} W{worker} @{epoch}: {item!r}", flush=True)


@operator(_core=True)
def inspect_debug(
    step_id: str,
    up: Stream[X],
    inspector: Callable[[str, X, int, int], None] = _default_debug_inspector,
) -> Stream[X]:
    """Observe items, their epoch and worker, for debugging; items pass on unchanged."""
    graph = up._scope.state.graph
    stream_id = graph.inspectDebug(
        step_id, up._engine_id, _ad.batch_inspector(inspector, step_id)
    )
    return _stream_from(up, stream_id)


@operator(_core=True)
def redistribute(step_id: str, up: Stream[X]) -> Stream[X]:
    """Spread items over all workers."""
    graph = up._scope.state.graph
    return _stream_from(up, graph.redistribute(step_id, up._engine_id))


class StatefulBatchLogic(ABC, Generic[V, W, S]):
    """The logic of one key in `stateful_batch`.

    Each method returns `(emit, is_complete)`: the values to emit downstream and whether to
    discard this logic (`DISCARD`) or keep it (`RETAIN`).
    """

    RETAIN: bool = False
    DISCARD: bool = True

    @abstractmethod
    def on_batch(self, values: List[V]) -> Tuple[Iterable[W], bool]:
        """Called with the values that arrived for this key."""
        ...

    def on_notify(self) -> Tuple[Iterable[W], bool]:
        """Called once the time from `notify_at` has passed."""
        return ((), StatefulBatchLogic.RETAIN)

    def on_eof(self) -> Tuple[Iterable[W], bool]:
        """Called when the input has ended."""
        return ((), StatefulBatchLogic.RETAIN)

    def notify_at(self) -> Optional[datetime]:
        """When to call `on_notify` next; asked after each activation of this key."""
        return None

    @abstractmethod
    def snapshot(self) -> S:
        """State to resume this key from; called at the end of every epoch it was touched in."""
        ...


@operator(_core=True)
def stateful_batch(
    step_id: str,
    up: KeyedStream[V],
    builder: Callable[[Optional[S]], StatefulBatchLogic[V, W, S]],
) -> KeyedStream[W]:
    """Run a `StatefulBatchLogic` per key, built by `builder(resume_state)`."""
    graph = up._scope.state.graph
    stream_id = graph.statefulBatch(
        step_id,
        up._engine_id,
        _ad.key_grouper(step_id),
        _ad.logic_builder(builder),
        _may_wake(builder),
    )
    return _stream_from(up, stream_id)


def _never_wakes(builder):
    """Marks a built-in builder whose logics never ask to be woken (`notify_at` is always
    `None`): a resumed run builds such a key's logic when the key is next needed, not at start."""
    builder._wax_never_wakes = True
    return builder


def _may_wake(builder) -> bool:
    """Whether logics of `builder` may ask to be woken: unless `_never_wakes` marked it."""
    return not getattr(builder, "_wax_never_wakes", False)


# Stateless operators


class _BatchMapper:
    """A `map` or `flat_map` mapper that Wax writes per batch, for a tighter loop: those
    operators hand it straight to their `flat_map_batch` substep, so steps stay Bytewax's."""

    def __init__(self, fn: Callable[[List[Any]], List[Any]]):
        self.fn = fn


@operator
def map(step_id: str, up: Stream[X], mapper: Callable[[X], Y]) -> Stream[Y]:  # noqa: A001
    """Transform each item one to one."""
    if isinstance(mapper, _BatchMapper):
        return flat_map_batch("flat_map_batch", up, mapper.fn)

    def shim(xs: List[X]) -> List[Y]:
        try:
            return [mapper(x) for x in xs]
        except Exception as ex:
            raise _ad.iteration_error() from ex

    return flat_map_batch("flat_map_batch", up, shim)


@operator
def flat_map(step_id: str, up: Stream[X], mapper: Callable[[X], Iterable[Y]]) -> Stream[Y]:
    """Transform each item into zero or more items."""
    if isinstance(mapper, _BatchMapper):
        return flat_map_batch("flat_map_batch", up, mapper.fn)

    def shim(xs: List[X]) -> List[Y]:
        out: List[Y] = []
        try:
            for x in xs:
                out.extend(mapper(x))
        except Exception as ex:
            raise _ad.iteration_error() from ex
        return out

    return flat_map_batch("flat_map_batch", up, shim)


def _checked_predicate(step_id: str, predicate: Callable[[Any], bool]) -> Callable[[Any], bool]:
    def check(x):
        keep = predicate(x)
        if not isinstance(keep, bool):
            msg = (
                f"return value of `predicate` {f_repr(predicate)} in step {step_id!r} "
                f"must be a `bool`; got a {type(keep)!r} instead"
            )
            raise TypeError(msg)
        return keep

    return check


@operator
def filter(step_id: str, up: Stream[X], predicate: Callable[[X], bool]) -> Stream[X]:  # noqa: A001
    """Keep only the items for which `predicate` returns `True`."""

    def shim(xs: List[X]) -> List[X]:
        out: List[X] = []
        append = out.append
        try:
            for x in xs:
                keep = predicate(x)
                if keep is True:
                    append(x)
                elif keep is not False:
                    _checked_predicate(step_id, predicate)(x)
        except Exception as ex:
            raise _ad.iteration_error() from ex
        return out

    return flat_map("flat_map", up, _BatchMapper(shim))


@operator
def filter_map(step_id: str, up: Stream[X], mapper: Callable[[X], Optional[Y]]) -> Stream[Y]:
    """Transform each item and drop those mapped to `None`."""

    def shim(x):
        y = mapper(x)
        return () if y is None else (y,)

    return flat_map("flat_map", up, shim)


@operator
def flatten(step_id: str, up: Stream[Iterable[X]]) -> Stream[X]:
    """Emit each element of each (iterable) item."""

    def shim(x):
        if not isinstance(x, Iterable):
            msg = f"step {step_id!r} requires upstream to be iterables; got a {type(x)!r} instead"
            raise TypeError(msg)
        return x

    return flat_map("flat_map", up, shim)


@operator
def key_on(step_id: str, up: Stream[X], key: Callable[[X], str]) -> KeyedStream[X]:
    """Make `(key(item), item)` 2-tuples for stateful operators."""

    def shim(x):
        k = key(x)
        if not isinstance(k, str):
            msg = (
                f"return value of `key` {f_repr(key)} in step {step_id!r} "
                f"must be a `str`; got a {type(k)!r} instead"
            )
            raise TypeError(msg)
        return (k, x)

    return map("map", up, shim)


@operator
def key_rm(step_id: str, up: KeyedStream[X]) -> Stream[X]:
    """Drop the key of `(key, value)` items, keeping the value."""
    return map("map", up, lambda k_v: k_v[1])


@operator
def map_value(step_id: str, up: KeyedStream[V], mapper: Callable[[V], W]) -> KeyedStream[W]:
    """Transform the value of each `(key, value)` item."""

    def shim(k_v):
        k, v = k_v
        return (k, mapper(v))

    return map("map", up, shim)


@operator
def flat_map_value(
    step_id: str, up: KeyedStream[V], mapper: Callable[[V], Iterable[W]]
) -> KeyedStream[W]:
    """Transform the value of each `(key, value)` item into zero or more values."""

    def shim(k_v):
        try:
            k, v = k_v
        except TypeError as ex:
            msg = (
                f"step {step_id!r} requires `(key, value)` 2-tuple as upstream for routing; "
                f"got a {type(k_v)!r} instead"
            )
            raise TypeError(msg) from ex
        return ((k, w) for w in mapper(v))

    return flat_map("flat_map", up, shim)


@operator
def filter_value(
    step_id: str, up: KeyedStream[V], predicate: Callable[[V], bool]
) -> KeyedStream[V]:
    """Keep only the `(key, value)` items whose value passes `predicate`."""
    check = _checked_predicate(step_id, predicate)
    return flat_map_value("filter", up, lambda v: (v,) if check(v) else ())


@operator
def filter_map_value(
    step_id: str, up: KeyedStream[V], mapper: Callable[[V], Optional[W]]
) -> KeyedStream[W]:
    """Transform each value and drop the items whose value maps to `None`."""

    def shim(v):
        w = mapper(v)
        return () if w is None else (w,)

    return flat_map_value("flat_map_value", up, shim)


def _default_inspector(step_id: str, item: Any) -> None:
    print(f"{step_id}: {item!r}", flush=True)


@operator
def inspect(
    step_id: str, up: Stream[X], inspector: Callable[[str, X], None] = _default_inspector
) -> Stream[X]:
    """Observe each item; by default print `step_id: item`. Items pass on unchanged."""

    def shim(_inner_id, item, _epoch, _worker):
        inspector(step_id, item)

    return inspect_debug("inspect_debug", up, shim)


class _RaisingPartition(StatelessSinkPartition[Any]):
    def __init__(self, step_id: str):
        self._step_id = step_id

    def write_batch(self, items: List[Any]) -> None:
        if items:
            msg = f"`raises` step {self._step_id!r} got an item: {items[0]!r}"
            raise RuntimeError(msg)


class _RaisingSink(DynamicSink[Any]):
    def __init__(self, step_id: str):
        self._step_id = step_id

    def build(self, step_id, worker_index, worker_count):
        return _RaisingPartition(self._step_id)


@operator
def raises(step_id: str, up: Stream[Any]) -> None:
    """Fail the dataflow if any item arrives: for asserting a stream stays empty."""
    output("output", up, _RaisingSink(step_id))


# Stateful operators


class StatefulLogic(ABC, Generic[V, W, S]):
    """The logic of one key in `stateful`, called once per value."""

    RETAIN: bool = False
    DISCARD: bool = True

    @abstractmethod
    def on_item(self, value: V) -> Tuple[Iterable[W], bool]:
        """Called with each value for this key; returns `(emit, is_complete)`."""
        ...

    def on_notify(self) -> Tuple[Iterable[W], bool]:
        """Called once the time from `notify_at` has passed."""
        return ((), StatefulLogic.RETAIN)

    def on_eof(self) -> Tuple[Iterable[W], bool]:
        """Called when the input has ended."""
        return ((), StatefulLogic.RETAIN)

    def notify_at(self) -> Optional[datetime]:
        """When to call `on_notify` next."""
        return None

    @abstractmethod
    def snapshot(self) -> S:
        """State to resume this key from."""
        ...


class _ItemByItem(StatefulBatchLogic[V, W, S]):
    """Runs a `StatefulLogic` as a batch logic, rebuilding it after a mid-batch discard."""

    def __init__(self, builder: Callable[[Optional[S]], StatefulLogic], logic: StatefulLogic):
        self._builder = builder
        self._logic: Optional[StatefulLogic] = logic

    def on_batch(self, values: List[V]):
        emits: List[W] = []
        for value in values:
            if self._logic is None:
                self._logic = self._builder(None)
            out, discard = self._logic.on_item(value)
            emits.extend(out)
            if discard:
                self._logic = None
        return emits, self._logic is None

    def on_notify(self):
        return self._logic.on_notify()

    def on_eof(self):
        return self._logic.on_eof()

    def notify_at(self):
        return self._logic.notify_at()

    def snapshot(self):
        return self._logic.snapshot()


@operator
def stateful(
    step_id: str,
    up: KeyedStream[V],
    builder: Callable[[Optional[S]], StatefulLogic[V, W, S]],
) -> KeyedStream[W]:
    """Run a `StatefulLogic` per key, built by `builder(resume_state)`."""

    def shim_builder(resume_state):
        return _ItemByItem(builder, builder(resume_state))

    if not _may_wake(builder):
        _never_wakes(shim_builder)
    return stateful_batch("stateful_batch", up, shim_builder)


class _StatefulFlatMapLogic(StatefulLogic[V, W, S]):
    def __init__(self, step_id: str, mapper, state):
        self._step_id = step_id
        self._mapper = mapper
        self._state = state

    def on_item(self, value):
        res = self._mapper(self._state, value)
        if not isinstance(res, tuple) or len(res) != 2:
            msg = (
                f"return value of `mapper` {f_repr(self._mapper)} in step {self._step_id!r} "
                "must be a 2-tuple of `(updated_state, emit_values)`; "
                f"got a {type(res)!r} instead"
            )
            raise TypeError(msg)
        state, emits = res
        self._state = state
        return emits, state is None

    def snapshot(self):
        return copy.deepcopy(self._state)


@operator
def stateful_flat_map(
    step_id: str, up: KeyedStream[V], mapper: Callable[[Optional[S], V], Tuple[Optional[S], Iterable[W]]]
) -> KeyedStream[W]:
    """Keep a state per key: `mapper(state, value)` returns `(new_state, values_to_emit)`.

    State starts as `None`; returning `None` as the new state discards it.
    """
    return stateful(
        "stateful",
        up,
        _never_wakes(lambda resume_state: _StatefulFlatMapLogic(step_id, mapper, resume_state)),
    )


@operator
def stateful_map(
    step_id: str, up: KeyedStream[V], mapper: Callable[[Optional[S], V], Tuple[Optional[S], W]]
) -> KeyedStream[W]:
    """Keep a state per key: `mapper(state, value)` returns `(new_state, value_to_emit)`.

    State starts as `None`; returning `None` as the new state discards it.
    """

    def shim(state, value):
        res = mapper(state, value)
        if not isinstance(res, tuple) or len(res) != 2:
            msg = (
                f"return value of `mapper` {f_repr(mapper)} in step {step_id!r} "
                "must be a 2-tuple of `(updated_state, emit_value)`; "
                f"got a {type(res)!r} instead"
            )
            raise TypeError(msg)
        return res[0], (res[1],)

    return stateful_flat_map("stateful_flat_map", up, shim)


class _FoldFinalLogic(StatefulLogic[V, S, S]):
    def __init__(self, step_id: str, folder, state):
        # Bytewax's signature; the step id is not needed here.
        self._folder = folder
        self._state = state

    def on_item(self, value):
        self._state = self._folder(self._state, value)
        return (), StatefulLogic.RETAIN

    def on_eof(self):
        return (self._state,), StatefulLogic.DISCARD

    def snapshot(self):
        return copy.deepcopy(self._state)


@operator
def fold_final(
    step_id: str,
    up: KeyedStream[V],
    builder: Callable[[], S],
    folder: Callable[[S, V], S],
) -> KeyedStream[S]:
    """Fold the values of each key, emitting `(key, accumulator)` when the input ends."""

    @_never_wakes
    def shim_builder(resume_state):
        return _FoldFinalLogic(step_id, folder, builder() if resume_state is None else resume_state)

    return stateful("stateful", up, shim_builder)


@operator
def reduce_final(step_id: str, up: KeyedStream[V], reducer: Callable[[V, V], V]) -> KeyedStream[V]:
    """Combine the values of each key, emitting the result when the input ends."""

    def pre_reduce(items):
        # Combine within the batch first, so the stateful step sees one value per key.
        acc: Dict[str, Any] = {}
        get = acc.get
        missing = acc  # a sentinel no value can be
        for k, v in items:
            prev = get(k, missing)
            acc[k] = v if prev is missing else reducer(prev, v)
        return list(acc.items())

    def fold(state, value):
        return value if state is None else reducer(state, value)

    pre = flat_map_batch("pre_reduce", up, pre_reduce)
    return fold_final("fold_final", pre, lambda: None, fold)


@operator
def count_final(step_id: str, up: Stream[X], key: Callable[[X], str]) -> KeyedStream[int]:
    """Count items by `key(item)`, emitting `(key, count)` when the input ends."""

    def init_count(xs: List[X]) -> List[Tuple[str, int]]:
        # Bytewax maps each item to `(key, 1)`; counting per batch here gives the same sums
        # with one tuple per key instead of one per item.
        counts: Dict[str, int] = {}
        get = counts.get
        try:
            for x in xs:
                k = key(x)
                counts[k] = get(k, 0) + 1
        except Exception as ex:
            raise _ad.iteration_error() from ex
        return list(counts.items())

    init = map("init_count", up, _BatchMapper(init_count))
    return reduce_final("sum", init, _pyop.add)


@operator
def max_final(step_id: str, up: KeyedStream[V], by: Callable[[V], Any] = _identity) -> KeyedStream[V]:
    """The largest value of each key (compared by `by`), when the input ends."""
    return reduce_final("reduce_final", up, lambda a, b: max(a, b, key=by))


@operator
def min_final(step_id: str, up: KeyedStream[V], by: Callable[[V], Any] = _identity) -> KeyedStream[V]:
    """The smallest value of each key (compared by `by`), when the input ends."""
    return reduce_final("reduce_final", up, lambda a, b: min(a, b, key=by))


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class _CollectState(Generic[V]):
    """A key's list so far and when it times out (Bytewax's names: tests build it)."""

    acc: List[V] = field(default_factory=list)
    timeout_at: Optional[datetime] = None


class _CollectLogic(StatefulLogic[V, List[V], _CollectState[V]]):
    def __init__(self, step_id: str, now_getter, timeout, max_size, state: _CollectState[V]):
        # Bytewax's signature; the step id is not needed here.
        self._now_getter = now_getter
        self._timeout = timeout
        self._max_size = max_size
        self._state = state

    def on_item(self, value):
        # The timeout counts from the latest item.
        self._state.timeout_at = self._now_getter() + self._timeout
        self._state.acc.append(value)
        if len(self._state.acc) >= self._max_size:
            return (self._state.acc,), StatefulLogic.DISCARD
        return (), StatefulLogic.RETAIN

    def on_notify(self):
        return (self._state.acc,), StatefulLogic.DISCARD

    def on_eof(self):
        return (self._state.acc,), StatefulLogic.DISCARD

    def notify_at(self):
        return self._state.timeout_at

    def snapshot(self):
        return copy.deepcopy(self._state)


@operator
def collect(
    step_id: str, up: KeyedStream[V], timeout: timedelta, max_size: int
) -> KeyedStream[List[V]]:
    """Collect the values of each key into lists of up to `max_size`.

    A list is emitted when it is full, when `timeout` passes without a new value, or at the end
    of input.
    """
    return stateful(
        "stateful",
        up,
        lambda resume_state: _CollectLogic(
            step_id, _utc_now, timeout, max_size, resume_state or _CollectState()
        ),
    )


JoinInsertMode = Literal["first", "last", "product"]
JoinEmitMode = Literal["complete", "final", "running"]


class _JoinState:
    """The values seen so far for each side of a join."""

    def __init__(self, sides: List[List[Any]]):
        self.sides = sides

    @classmethod
    def for_side_count(cls, count: int) -> "_JoinState":
        return cls([[] for _ in range(count)])

    def set_val(self, side: int, value: Any) -> None:
        self.sides[side] = [value]

    def add_val(self, side: int, value: Any) -> None:
        self.sides[side].append(value)

    def is_set(self, side: int) -> bool:
        return bool(self.sides[side])

    def all_set(self) -> bool:
        return all(self.sides)

    def astuples(self) -> List[Tuple]:
        return list(itertools.product(*(side if side else [None] for side in self.sides)))

    def clear(self) -> None:
        for side in self.sides:
            side.clear()


class _JoinLogic(StatefulLogic[Tuple[int, Any], Tuple, _JoinState]):
    def __init__(self, insert_mode, emit_mode, state: _JoinState):
        self._insert_mode = insert_mode
        self._emit_mode = emit_mode
        self._state = state

    def on_item(self, value):
        side, v = value
        if self._insert_mode == "first":
            if not self._state.is_set(side):
                self._state.set_val(side, v)
        elif self._insert_mode == "last":
            self._state.set_val(side, v)
        else:
            self._state.add_val(side, v)

        if self._emit_mode == "complete":
            if self._state.all_set():
                return self._state.astuples(), StatefulLogic.DISCARD
            return (), StatefulLogic.RETAIN
        if self._emit_mode == "running":
            return self._state.astuples(), StatefulLogic.RETAIN
        return (), StatefulLogic.RETAIN

    def on_eof(self):
        if self._emit_mode == "final":
            return self._state.astuples(), StatefulLogic.DISCARD
        return (), StatefulLogic.RETAIN

    def snapshot(self):
        return copy.deepcopy(self._state)


@operator
def _join_label_merge(step_id: str, *ups: KeyedStream[Any]) -> KeyedStream[Tuple[int, Any]]:
    labeled = [map_value(f"label_{i}", up, lambda v, i=i: (i, v)) for i, up in enumerate(ups)]
    return merge("merge", *labeled)


@operator
def join(
    step_id: str,
    *sides: KeyedStream[Any],
    insert_mode: JoinInsertMode = "last",
    emit_mode: JoinEmitMode = "complete",
) -> KeyedStream[Tuple]:
    """Join the values of each key across several keyed streams into tuples, in side order.

    `insert_mode` keeps the `"first"`, the `"last"` or (`"product"`) all values of each side;
    `emit_mode` emits when every side has a value (`"complete"`, then forgets them), at the end
    of input (`"final"`) or after every value (`"running"`). Missing sides show as `None`.
    """
    if insert_mode not in ("first", "last", "product"):
        msg = f"unknown join insert mode {insert_mode!r}"
        raise ValueError(msg)
    if emit_mode not in ("complete", "final", "running"):
        msg = f"unknown join emit mode {emit_mode!r}"
        raise ValueError(msg)
    side_count = len(sides)

    @_never_wakes
    def builder(resume_state):
        state = resume_state if resume_state is not None else _JoinState.for_side_count(side_count)
        return _JoinLogic(insert_mode, emit_mode, state)

    merged = _join_label_merge("add_names", *sides)
    return stateful("join", merged, builder)


@dataclass
class TTLCache(Generic[DK, DV]):
    """A cache that fetches a value with `v_getter` when missing or older than `ttl`."""

    v_getter: Callable[[DK], DV]
    now_getter: Callable[[], datetime]
    ttl: timedelta
    _cache: Dict[DK, Tuple[datetime, DV]] = field(default_factory=dict)

    def get(self, k: DK) -> DV:
        """The value for `k`, fetched anew if missing or expired."""
        now = self.now_getter()
        cached = self._cache.get(k)
        if cached is not None:
            ts, v = cached
            if now - ts <= self.ttl:
                return v
        v = self.v_getter(k)
        self._cache[k] = (now, v)
        return v

    def remove(self, k: DK) -> None:
        """Forget `k`."""
        del self._cache[k]


@operator
def enrich_cached(
    step_id: str,
    up: Stream[X],
    getter: Callable[[DK], DV],
    mapper: Callable[[TTLCache[DK, DV], X], Y],
    ttl: timedelta = timedelta.max,
    _now_getter: Callable[[], datetime] = _utc_now,
) -> Stream[Y]:
    """Map each item with `mapper(cache, item)`, where `cache.get(k)` caches `getter(k)`."""
    now = _now_getter()

    def batch_now():
        return now

    cache = TTLCache(getter, batch_now, ttl)

    def shim(items):
        nonlocal now
        now = _now_getter()
        try:
            return [mapper(cache, x) for x in items]
        except Exception as ex:
            raise _ad.iteration_error() from ex

    return flat_map_batch("flat_map_batch", up, shim)
