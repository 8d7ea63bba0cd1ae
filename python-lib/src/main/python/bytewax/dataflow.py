"""Dataflows, streams, operators and the `operator` decorator.

Calling an operator does two things: it records an `Operator` in the enclosing scope's
`substeps` (Bytewax's data model of the dataflow, which `bytewax.visualize` draws) and, for Wax's
core operators, adds the step to the graph the Java engine runs. A step's fully qualified id is
the enclosing scope's id plus its step id (`flow.step`, or `flow.outer.inner` for steps inside a
composite operator).
"""

import dataclasses
import functools
import inspect
import typing
from dataclasses import dataclass, field
from inspect import Parameter
from typing import (
    Any,
    Callable,
    ClassVar,
    Dict,
    Generic,
    Iterable,
    List,
    Optional,
    Protocol,
    Tuple,
    TypeVar,
    runtime_checkable,
)

from bytewax._wax import engine as _engine

__all__ = [
    "Dataflow",
    "DataflowId",
    "KeyedStream",
    "MultiPort",
    "Operator",
    "Port",
    "SinglePort",
    "Stream",
    "f_repr",
    "operator",
]

X = TypeVar("X")
X_co = TypeVar("X_co", covariant=True)
V = TypeVar("V")
N = TypeVar("N")
R = TypeVar("R")
P = typing.ParamSpec("P")
F = TypeVar("F", bound=Callable[..., Any])


def f_repr(func: Callable) -> str:
    """A readable name for a function, for error messages."""
    if inspect.isfunction(func):
        path = f"{func.__module__}.{func.__qualname__}"
        return f"<function {path!r} line {func.__code__.co_firstlineno}>"
    return repr(func)


@runtime_checkable
class Port(Protocol):
    """Where streams enter or leave an `Operator`: a `SinglePort` or a `MultiPort`."""

    port_id: str
    stream_ids: Dict[str, str]


@dataclass(frozen=True)
class SinglePort:
    """A port of one stream; `operator` makes one for each `Stream` argument or result."""

    port_id: str
    stream_id: str

    @property
    def stream_ids(self) -> Dict[str, str]:
        """The stream under the name `"stream"`, as the `Port` protocol wants it."""
        return {"stream": self.stream_id}


@dataclass(frozen=True)
class MultiPort(Generic[N]):
    """A port of several streams: a `*args` (named by position) or `**kwargs` of `Stream`s."""

    port_id: str
    stream_ids: Dict[N, str]


@dataclass(frozen=True)
class Operator:
    """A recorded step. `operator` generates a subclass per operator function whose fields are
    the function's arguments and results, with streams recorded as ports."""

    step_name: str
    step_id: str
    substeps: List["Operator"]
    ups_names: ClassVar[List[str]]
    dwn_names: ClassVar[List[str]]


@dataclass(frozen=True)
class _CoreOperator(Operator):
    """A recorded step of one of the core operators, which have no substeps."""

    core: ClassVar[bool] = True


@dataclass(frozen=True)
class DataflowId:
    """What an `Operator` records of a `Dataflow` argument."""

    flow_id: str


class _FlowState:
    """What all handles of one dataflow share: the Java graph and every step id used so far."""

    def __init__(self, flow_id: str):
        self.graph = _engine.host().graph(flow_id)
        self.step_ids = set()


@dataclass(frozen=True)
class _Scope:
    """Where new steps go: into `substeps` of the step (or flow) with fully qualified id
    `parent_id`. Scopes are equal when their ids are."""

    parent_id: str
    substeps: List[Operator] = field(compare=False, repr=False)
    flow: "Dataflow" = field(compare=False, repr=False)

    @property
    def state(self) -> _FlowState:
        return self.flow._state


@dataclass(frozen=True)
class Dataflow:
    """A dataflow: add steps to it with the functions of `bytewax.operators`.

    `substeps` holds the top-level steps, each step its own substeps.
    """

    flow_id: str
    substeps: List[Operator] = field(default_factory=list)
    _scope: _Scope = field(default=None, compare=False)  # type: ignore[assignment]
    _state: _FlowState = field(default=None, compare=False, repr=False)  # type: ignore[assignment]

    def __post_init__(self):
        if not isinstance(self.flow_id, str):
            msg = f"flow ID must be a `str`; got a {type(self.flow_id)!r} instead"
            raise TypeError(msg)
        if "." in self.flow_id:
            msg = "flow ID can't contain a period `.`"
            raise ValueError(msg)
        # Frozen, as in Bytewax: what the constructor was not given is set once, here.
        if self._state is None:
            object.__setattr__(self, "_state", _FlowState(self.flow_id))
        if self._scope is None:
            object.__setattr__(self, "_scope", _Scope(self.flow_id, self.substeps, self))

    def __hash__(self):
        return hash(self.flow_id)

    @property
    def _graph(self):
        return self._state.graph

    def _scopes(self) -> Iterable[_Scope]:
        return (self._scope,)

    def _with_scope(self, scope: _Scope) -> "Dataflow":
        return Dataflow(self.flow_id, self.substeps, scope, self._state)

    def _to_ref(self, _port_id: str) -> DataflowId:
        return DataflowId(self.flow_id)


@dataclass(frozen=True)
class Stream(Generic[X]):
    """A handle to the items flowing out of one step's output port."""

    stream_id: str
    _scope: _Scope = field(compare=False)
    # The engine's id of the output carrying the items: a composite operator's output is named
    # after the operator (`flow.op.down`) but is carried by an inner step's output.
    _engine_id: Optional[str] = field(default=None, compare=False, repr=False)
    # The stream id ports record: Bytewax's, that of the core step output making the stream.
    _ref_id: Optional[str] = field(default=None, compare=False, repr=False)
    # Set on streams of steps that are only recorded: another engine step does their work.
    _unbuilt: bool = field(default=False, compare=False, repr=False)

    def __post_init__(self):
        if self._engine_id is None:
            object.__setattr__(self, "_engine_id", self.stream_id)
        if self._ref_id is None:
            object.__setattr__(self, "_ref_id", self._engine_id)

    def flow(self) -> Dataflow:
        """The dataflow this stream belongs to; inside an operator, steps added to it nest."""
        return self._scope.flow

    def then(self, op_fn: Callable, step_id: str, *args, **kwargs):
        """Chain an operator: `s.then(op.map, "m", f)` is `op.map("m", s, f)`."""
        return op_fn(step_id, self, *args, **kwargs)

    def _scopes(self) -> Iterable[_Scope]:
        return (self._scope,)

    def _with_scope(self, scope: _Scope) -> "Stream":
        return self._moved(self.stream_id, scope)

    def _moved(self, stream_id: str, scope: _Scope) -> "Stream":
        """This stream, named `stream_id`, in `scope`."""
        return Stream(stream_id, scope, self._engine_id, self._ref_id, self._unbuilt)

    def _to_ref(self, port_id: str) -> SinglePort:
        return SinglePort(port_id, self._ref_id)

    def _unbuilt_copy(self) -> "Stream":
        """This stream, for steps to be only recorded: core operators fed by it add no step
        to the engine, and their outputs are unbuilt too."""
        return dataclasses.replace(self, _unbuilt=True)

    def _built_as(self, engine_id: str) -> "Stream":
        """This unbuilt stream, carried by the engine's output `engine_id`."""
        return dataclasses.replace(self, _engine_id=engine_id, _unbuilt=False)


KeyedStream = Stream[Tuple[str, V]]
"""A stream of `(key, value)` 2-tuples: what stateful operators take."""


@dataclass(frozen=True)
class _MultiStream(Generic[N]):
    """The streams of a `*args` or `**kwargs` parameter, packed to be scoped and recorded as
    one port."""

    streams: Dict[N, Stream]

    def _scopes(self) -> Iterable[_Scope]:
        return [stream._scope for stream in self.streams.values()]

    def _with_scope(self, scope: _Scope) -> "_MultiStream":
        return _MultiStream({name: s._with_scope(scope) for name, s in self.streams.items()})

    def _to_ref(self, port_id: str) -> MultiPort:
        return MultiPort(port_id, {name: s._ref_id for name, s in self.streams.items()})


_SCOPED = (Stream, Dataflow, _MultiStream)

# What each scoped type is recorded as.
_REF_TYPES = {Stream: SinglePort, _MultiStream: MultiPort, Dataflow: DataflowId}

# The names of `Operator` a builder can't use (`step_id` is its own parameter).
_OPERATOR_NAMES = frozenset({"step_name", "substeps", "ups_names", "dwn_names", "core"})

_PACKED_KINDS = (Parameter.VAR_POSITIONAL, Parameter.VAR_KEYWORD)


def _anno_type(anno: Any) -> Optional[type]:
    """The class an annotation stands for, if any; `Any` stands for `object`."""
    if anno is Any:
        return object
    if inspect.isclass(anno):
        return anno
    origin = typing.get_origin(anno)
    return origin if inspect.isclass(origin) else None


def _is_a(anno: Any, cls: type) -> bool:
    typ = _anno_type(anno)
    return typ is not None and issubclass(typ, cls)


def _recorded_as(anno: Any) -> Any:
    """The annotation of the `Operator` field recording a value annotated `anno`."""
    typ = _anno_type(anno)
    if typ is not None:
        for cls, ref in _REF_TYPES.items():
            if issubclass(typ, cls):
                return ref
    return anno


def _is_port(anno: Any) -> bool:
    return _is_a(anno, SinglePort) or _is_a(anno, MultiPort)


def _hints(fn: Callable) -> Dict[str, Any]:
    """`typing.get_type_hints(fn)`, which is slow, so called only if an annotation is a string."""
    annotations = getattr(fn, "__annotations__", {})
    if any(isinstance(anno, str) for anno in annotations.values()):
        return typing.get_type_hints(fn)
    return {name: type(None) if anno is None else anno for name, anno in annotations.items()}


def _input_fields(sig: inspect.Signature, hints: Dict[str, Any]) -> Dict[str, Any]:
    fields = {}
    for name, param in sig.parameters.items():
        anno = hints.get(name, Any)
        if param.kind in _PACKED_KINDS and _is_a(anno, Stream):
            anno = _MultiStream
        fields[name] = _recorded_as(anno)
    return fields


def _output_fields(anno: Any) -> Dict[str, Any]:
    """One field `down` for a single result, none for `None`, one per field of a dataclass."""
    typ = _anno_type(anno)
    if typ is None or issubclass(typ, (Stream, _MultiStream)):
        return {"down": _recorded_as(anno)}
    if issubclass(typ, type(None)):
        return {}
    if dataclasses.is_dataclass(typ):
        hints = typing.get_type_hints(typ)
        return {f.name: _recorded_as(hints.get(f.name, Any)) for f in dataclasses.fields(typ)}
    return {"down": anno}


def _check_field_names(inputs: Dict[str, Any], outputs: Dict[str, Any]) -> None:
    both = [name for name in inputs if name in outputs]
    if both:
        msg = (
            f"{', '.join(map(repr, both))} are both a build function parameter and a return "
            "dataclass field name; rename so there are no overlapping field names"
        )
        raise TypeError(msg)
    shadowing = [name for name in [*inputs, *outputs] if name in _OPERATOR_NAMES]
    if shadowing:
        msg = (
            "builder function can't have parameters or return dataclass fields that shadow any "
            "of the field names in `bytewax.dataflow.Operator`; "
            f"rename the {', '.join(map(repr, shadowing))} parameter or fields"
        )
        raise TypeError(msg)


def _fields_of(value: Any) -> Optional[Dict[str, Any]]:
    """The fields of a dataclass instance such as `BranchOut` (not a stream or dataflow)."""
    if isinstance(value, (type, *_SCOPED)) or not dataclasses.is_dataclass(value):
        return None
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}


def _results(out: Any) -> Dict[str, Any]:
    """The `Operator` fields of a builder's result."""
    if out is None:
        return {}
    fields = _fields_of(out)
    return {"down": out} if fields is None else fields


def _expose(out: Any, scope: _Scope) -> Any:
    """Move an operator's output streams to the caller's scope. As in Bytewax, a stream keeps
    the id of the core step output making it (`flow.op.flat_map_batch.down`)."""

    def exposed(value):
        if isinstance(value, Stream):
            return value._moved(value._ref_id, scope)
        return value._with_scope(scope) if isinstance(value, _SCOPED) else value

    if isinstance(out, _SCOPED):
        return exposed(out)
    fields = _fields_of(out) or {}
    changes = {n: exposed(v) for n, v in fields.items() if isinstance(v, _SCOPED)}
    return dataclasses.replace(out, **changes) if changes else out


def _inner_scope(outer: _Scope, step_id: str) -> _Scope:
    """The scope of the steps inside a new step `step_id`, whose id this reserves."""
    fq_id = f"{outer.parent_id}.{step_id}"
    if fq_id in outer.state.step_ids:
        msg = f"step {fq_id!r} already exists; do you have two steps with the same ID?"
        raise ValueError(msg)
    outer.state.step_ids.add(fq_id)
    inner = _Scope(fq_id, [], outer.flow)
    # Steps added to the dataflow of a stream inside the operator go in here too.
    return _Scope(fq_id, inner.substeps, outer.flow._with_scope(inner))


def _is_unbuilt(value: Any) -> bool:
    if isinstance(value, _MultiStream):
        return any(s._unbuilt for s in value.streams.values())
    return isinstance(value, Stream) and value._unbuilt


class _Builder:
    """An operator function with what `operator` derives from its signature."""

    def __init__(self, fn: Callable, core: bool):
        self.fn = fn
        self.core = core
        self.sig = inspect.signature(fn)
        hints = _hints(fn)
        if "step_id" not in self.sig.parameters:
            msg = "builder function requires a 'step_id' parameter"
            raise TypeError(msg)
        inputs = _input_fields(self.sig, hints)
        self.returns = _anno_type(hints.get("return", Any))
        outputs = _output_fields(hints.get("return", Any))
        _check_field_names(inputs, outputs)
        self.fields = {n: a for n, a in {**inputs, **outputs}.items() if n != "step_id"}
        self.ups_names = [n for n, a in inputs.items() if _is_port(a)]
        self.dwn_names = [n for n, a in outputs.items() if _is_port(a)]
        self.packed = {n: p.kind for n, p in self.sig.parameters.items() if inputs[n] is MultiPort}
        self._cls = None

    def op_cls(self) -> type:
        """The `Operator` subclass of this operator; made on first use, as it is costly."""
        if self._cls is None:
            name = self.fn.__name__
            self._cls = dataclasses.make_dataclass(
                name,
                self.fields.items(),
                bases=(_CoreOperator if self.core else Operator,),
                frozen=True,
                namespace={
                    "__doc__": f"A recorded `{name}` step.",
                    "ups_names": self.ups_names,
                    "dwn_names": self.dwn_names,
                },
            )
            self._cls.__module__ = self.fn.__module__
        return self._cls

    def __call__(self, args: tuple, kwargs: dict) -> Any:
        bound = self._bind(args, kwargs)
        arguments = bound.arguments
        step_id = arguments["step_id"]
        self._pack(arguments)
        outer = self._outer_scope(arguments)
        inner = _inner_scope(outer, step_id)
        for name, value in arguments.items():
            if isinstance(value, _SCOPED):
                arguments[name] = value._with_scope(inner)
        arguments["step_id"] = inner.parent_id
        record = {**arguments, "step_name": step_id}
        self._unpack(arguments)
        if self.core and any(map(_is_unbuilt, record.values())):
            out = self._unbuilt_result(inner)
        else:
            out = self.fn(*bound.args, **bound.kwargs)
        record.update(_results(out))
        outer.substeps.append(self._step(record, inner))
        return _expose(out, outer)

    def _bind(self, args: tuple, kwargs: dict) -> inspect.BoundArguments:
        """The arguments with defaults applied, once checked."""
        try:
            bound = self.sig.bind(*args, **kwargs)
        except TypeError as ex:
            msg = f"operator {self.fn.__name__!r} called incorrectly; see cause above"
            raise TypeError(msg) from ex
        bound.apply_defaults()
        self._check_ups(bound.arguments)
        step_id = bound.arguments["step_id"]
        if not isinstance(step_id, str):
            msg = "'step_id' must be a `str`"
            raise TypeError(msg)
        if "." in step_id:
            msg = "'step_id' can't contain any periods '.'"
            raise ValueError(msg)
        return bound

    def _check_ups(self, arguments: Dict[str, Any]) -> None:
        for name in self.ups_names:
            kind = self.sig.parameters[name].kind
            if kind == Parameter.VAR_POSITIONAL:
                values, desc = arguments[name], f"{name!r} *args all"
                if self.core and not values:
                    # Wax says so for `merge`; Bytewax fails the scope check instead.
                    msg = f"`{self.fn.__name__}` operator requires at least one upstream"
                    raise TypeError(msg)
            elif kind == Parameter.VAR_KEYWORD:
                values, desc = arguments[name].values(), f"{name!r} **kwargs all"
            else:
                values, desc = [arguments[name]], f"{name!r} argument"
            for value in values:
                if not isinstance(value, Stream):
                    msg = (
                        f"{desc} must be a `Stream`; got a {type(value)!r} instead; "
                        "did you forget to unpack the result of an operator that returns "
                        "multiple streams?"
                    )
                    raise TypeError(msg)

    def _pack(self, arguments: Dict[str, Any]) -> None:
        """Pack `*args` and `**kwargs` of streams, to be scoped and recorded as one port."""
        for name, kind in self.packed.items():
            streams = arguments[name]
            positional = kind == Parameter.VAR_POSITIONAL
            arguments[name] = _MultiStream(dict(enumerate(streams)) if positional else streams)

    def _unpack(self, arguments: Dict[str, Any]) -> None:
        """Unpack them again, to call the builder with."""
        for name, kind in self.packed.items():
            streams = arguments[name].streams
            positional = kind == Parameter.VAR_POSITIONAL
            arguments[name] = tuple(streams.values()) if positional else dict(streams)

    def _outer_scope(self, arguments: Dict[str, Any]) -> _Scope:
        """The one scope of the streams and dataflows among the arguments (not inside them)."""
        scopes = frozenset(
            scope
            for value in arguments.values()
            if isinstance(value, _SCOPED)
            for scope in value._scopes()
        )
        if len(scopes) != 1:
            msg = (
                f"inconsistent stream scoping; found multiple scopes {scopes!r}; expected one; "
                "possible invalid operator definition; might be nested `Stream` in arguments "
                "to this operator or return value from previous operator; see "
                "`bytewax.dataflow.operator` docstring for custom operator rules"
            )
            raise AssertionError(msg)
        return next(iter(scopes))

    def _unbuilt_result(self, scope: _Scope) -> Any:
        """What a core operator whose step is only recorded returns: its output streams, with
        the ids Bytewax gives them."""
        fq_id = scope.parent_id
        streams = {n: Stream(f"{fq_id}.{n}", scope, _unbuilt=True) for n in self.dwn_names}
        if dataclasses.is_dataclass(self.returns) and not issubclass(self.returns, _SCOPED):
            return self.returns(**streams)
        return streams.get("down")

    def _step(self, record: Dict[str, Any], inner: _Scope) -> Operator:
        """The recorded step, streams and dataflows in `record` recorded as references."""
        refs = {
            n: v._to_ref(f"{inner.parent_id}.{n}") if isinstance(v, _SCOPED) else v
            for n, v in record.items()
        }
        return self.op_cls()(substeps=inner.substeps, **refs)


def operator(builder: Optional[F] = None, *, _core: bool = False):
    """Turn a function into an operator.

    The function must take `step_id` first. Calling the operator checks the arguments annotated
    as `Stream`, then calls the function with the step's fully qualified id; operators it calls
    record their steps nested under this one. Arguments annotated `Stream` (or `*args` or
    `**kwargs` of them) become input ports, returned streams output ports: a single one `down`,
    those of a returned dataclass its field names. Use it bare (`@operator`) or as
    `@operator()`.
    """

    def decorate(fn: F) -> F:
        op = _Builder(fn, _core)

        @functools.wraps(fn)
        def call(*args, **kwargs):
            return op(args, kwargs)

        return typing.cast(F, call)

    if builder is not None:
        return decorate(builder)
    return decorate
