"""Dataflows, streams and the `operator` decorator.

A `Dataflow` holds the graph being built in the Java engine. Operators are functions decorated
with `operator`: calling one records a step whose fully qualified id is the enclosing scope's id
plus the step id (`flow.step`, or `flow.outer.inner` for steps inside a composite operator).
"""

import functools
import inspect
import typing
from dataclasses import dataclass
from typing import Any, Callable, Dict, Generic, List, Optional, Tuple, TypeVar

from bytewax._wax import engine as _engine

__all__ = ["Dataflow", "Stream", "KeyedStream", "operator", "f_repr"]

X = TypeVar("X")
V = TypeVar("V")
F = TypeVar("F", bound=Callable[..., Any])


def f_repr(func: Callable) -> str:
    """A readable name for a function, for error messages."""
    if inspect.isfunction(func):
        path = f"{func.__module__}.{func.__qualname__}"
        return f"<function {path!r} line {func.__code__.co_firstlineno}>"
    return repr(func)


class _FlowState:
    """What all handles of one dataflow share: the Java graph and every step id used so far."""

    def __init__(self, flow_id: str):
        self.graph = _engine.host().graph(flow_id)
        self.step_ids = set()


@dataclass(frozen=True)
class _Scope:
    """Where new steps go: under the step (or flow) with fully qualified id `parent_id`."""

    parent_id: str
    state: _FlowState
    flow_id: str


class Dataflow:
    """A dataflow: add steps to it with the functions of `bytewax.operators`."""

    def __init__(self, flow_id: str):
        if not isinstance(flow_id, str):
            msg = f"flow ID must be a `str`; got a {type(flow_id)!r} instead"
            raise TypeError(msg)
        if "." in flow_id:
            msg = "flow ID can't contain a period `.`"
            raise ValueError(msg)
        self.flow_id = flow_id
        self._scope = _Scope(flow_id, _FlowState(flow_id), flow_id)

    @property
    def _graph(self):
        return self._scope.state.graph

    def _with_scope(self, scope: _Scope) -> "Dataflow":
        clone = object.__new__(Dataflow)
        clone.flow_id = self.flow_id
        clone._scope = scope
        return clone

    def __eq__(self, other):
        return isinstance(other, Dataflow) and other._scope.state is self._scope.state

    def __hash__(self):
        return id(self._scope.state)

    def __repr__(self):
        return f"Dataflow(flow_id={self.flow_id!r})"


class Stream(Generic[X]):
    """A handle to the items flowing out of one step's output port."""

    def __init__(self, stream_id: str, scope: _Scope, engine_id: Optional[str] = None):
        self.stream_id = stream_id
        self._scope = scope
        # The id of the core step output in the engine; a composite operator's output is named
        # after the operator (`flow.op.down`) but is the stream of its last inner step.
        self._engine_id = engine_id if engine_id is not None else stream_id

    def flow(self) -> Dataflow:
        """The dataflow this stream belongs to."""
        flow = object.__new__(Dataflow)
        flow.flow_id = self._scope.flow_id
        flow._scope = _Scope(self._scope.flow_id, self._scope.state, self._scope.flow_id)
        return flow

    def then(self, op_fn: Callable, step_id: str, *args, **kwargs):
        """Chain an operator: `s.then(op.map, "m", f)` is `op.map("m", s, f)`."""
        return op_fn(step_id, self, *args, **kwargs)

    def _with_scope(self, scope: _Scope) -> "Stream":
        return Stream(self.stream_id, scope, self._engine_id)

    def __eq__(self, other):
        return isinstance(other, Stream) and other.stream_id == self.stream_id

    def __hash__(self):
        return hash(self.stream_id)

    def __repr__(self):
        return f"Stream(stream_id={self.stream_id!r})"


KeyedStream = Stream[Tuple[str, V]]
"""A stream of `(key, value)` 2-tuples: what stateful operators take."""


def _is_stream_annotation(annotation) -> bool:
    if isinstance(annotation, str):
        name = annotation.split("[", 1)[0].strip().rsplit(".", 1)[-1]
        return name in ("Stream", "KeyedStream")
    return annotation is Stream or typing.get_origin(annotation) is Stream


def _stream_params(sig: inspect.Signature) -> List[inspect.Parameter]:
    return [p for p in sig.parameters.values() if _is_stream_annotation(p.annotation)]


def _check_streams(params, arguments: Dict[str, Any]) -> None:
    for param in params:
        if param.name not in arguments:
            continue
        value = arguments[param.name]
        if param.kind == inspect.Parameter.VAR_POSITIONAL:
            values, desc = value, f"{param.name!r} *args all"
        elif param.kind == inspect.Parameter.VAR_KEYWORD:
            values, desc = value.values(), f"{param.name!r} **kwargs all"
        else:
            values, desc = [value], f"{param.name!r} argument"
        for v in values:
            if not isinstance(v, Stream):
                msg = (
                    f"{desc} must be a `Stream`; got a {type(v)!r} instead; "
                    "did you forget to unpack the result of an operator that returns "
                    "multiple streams?"
                )
                raise TypeError(msg)


def _scoped_values(arguments: Dict[str, Any]):
    for value in arguments.values():
        if isinstance(value, (Stream, Dataflow)):
            yield value
        elif isinstance(value, (tuple, list)):
            yield from (v for v in value if isinstance(v, (Stream, Dataflow)))
        elif isinstance(value, dict):
            yield from (v for v in value.values() if isinstance(v, (Stream, Dataflow)))


def _rescope(value, scope: _Scope):
    if isinstance(value, (Stream, Dataflow)):
        return value._with_scope(scope)
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_rescope(v, scope) for v in value)
    if isinstance(value, list):
        return [_rescope(v, scope) for v in value]
    if isinstance(value, dict):
        return {k: _rescope(v, scope) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__") and any(
        isinstance(getattr(value, f, None), Stream) for f in value.__dataclass_fields__
    ):
        import dataclasses

        changes = {
            f: _rescope(getattr(value, f), scope)
            for f in value.__dataclass_fields__
            if isinstance(getattr(value, f, None), Stream)
        }
        return dataclasses.replace(value, **changes)
    return value


def _expose(out, fq_id: str, scope: _Scope):
    """Name an operator's output streams after the operator: `{fq_id}.{port}`."""
    if isinstance(out, Stream):
        return Stream(f"{fq_id}.down", scope, out._engine_id)
    if hasattr(out, "__dataclass_fields__"):
        import dataclasses

        changes = {
            f: Stream(f"{fq_id}.{f}", scope, getattr(out, f)._engine_id)
            for f in out.__dataclass_fields__
            if isinstance(getattr(out, f, None), Stream)
        }
        return dataclasses.replace(out, **changes) if changes else out
    return _rescope(out, scope)


def operator(builder: Optional[F] = None, *, _core: bool = False):
    """Turn a function into an operator.

    The function must take `step_id` first. Calling the operator checks the arguments annotated
    as `Stream`, then calls the function with the step's fully qualified id; operators it calls
    record their steps nested under this one. Use it bare (`@operator`) or as `@operator()`.
    """

    def decorate(fn: F) -> F:
        sig = inspect.signature(fn)
        if "step_id" not in sig.parameters:
            msg = "builder function requires a 'step_id' parameter"
            raise TypeError(msg)
        stream_params = _stream_params(sig)

        @functools.wraps(fn)
        def call(*args, **kwargs):
            try:
                bound = sig.bind(*args, **kwargs)
            except TypeError as ex:
                msg = f"operator {fn.__name__!r} called incorrectly; see cause above"
                raise TypeError(msg) from ex
            bound.apply_defaults()
            arguments = bound.arguments
            _check_streams(stream_params, arguments)
            step_id = arguments["step_id"]
            if not isinstance(step_id, str):
                msg = "'step_id' must be a `str`"
                raise TypeError(msg)
            if "." in step_id:
                msg = "'step_id' can't contain any periods '.'"
                raise ValueError(msg)
            scopes = {
                (v._scope.parent_id, id(v._scope.state)): v._scope
                for v in _scoped_values(arguments)
            }
            if not scopes:
                # Let the operator explain what it is missing (e.g. `merge` with no upstream).
                fn(*bound.args, **bound.kwargs)
                msg = f"operator {fn.__name__!r} needs a `Stream` or `Dataflow` argument"
                raise TypeError(msg)
            if len(scopes) > 1:
                found = sorted(parent for parent, _ in scopes)
                msg = f"inconsistent stream scoping; found multiple scopes {found}"
                raise AssertionError(msg)
            outer = next(iter(scopes.values()))
            fq_id = f"{outer.parent_id}.{step_id}"
            if fq_id in outer.state.step_ids:
                msg = f"step {fq_id!r} already exists; do you have two steps with the same ID?"
                raise ValueError(msg)
            outer.state.step_ids.add(fq_id)
            inner = _Scope(fq_id, outer.state, outer.flow_id)
            for name in list(arguments):
                arguments[name] = _rescope(arguments[name], inner)
            arguments["step_id"] = fq_id
            out = fn(*bound.args, **bound.kwargs)
            return _expose(out, fq_id, outer)

        call._wax_core = _core
        return typing.cast(F, call)

    if builder is not None:
        return decorate(builder)
    return decorate
