"""How recovery encodes state objects: give `RecoveryConfig(snapshot_serde=...)` a `Serde`.

Wax pickles state by default. `JsonPickleSerde` writes JSON instead, readable by people and
other tools: JSON's own types as they are, and tagged objects (`{"py/tuple": [...]}`,
`{"py/object": "module.Class", "py/state": {...}}`, ...) for the rest of Python's common types
and for instances of importable classes.
"""

import base64
import importlib
import json
import math
from abc import ABC, abstractmethod
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

__all__ = ["JsonPickleSerde", "Serde"]


class Serde(ABC):
    """Turns state objects into `str` or `bytes` and back."""

    @staticmethod
    @abstractmethod
    def ser(obj: Any) -> Any:
        """Encode `obj`."""

    @staticmethod
    @abstractmethod
    def de(s: Any) -> Any:
        """Decode what `ser` returned."""


class JsonPickleSerde(Serde):
    """State as JSON text; objects JSON has no type for are tagged with `py/...` keys."""

    @staticmethod
    def ser(obj: Any) -> str:
        return json.dumps(_to_json(obj), separators=(",", ":"), allow_nan=False)

    @staticmethod
    def de(s: Any) -> Any:
        return _from_json(json.loads(s))


def _to_json(obj):
    kind = type(obj)
    if obj is None or kind in (bool, int, str):
        return obj
    if kind is float:
        return obj if math.isfinite(obj) else {"py/float": repr(obj)}
    if kind is list:
        return [_to_json(v) for v in obj]
    if kind is dict:
        if all(type(k) is str and not k.startswith("py/") for k in obj):
            return {k: _to_json(v) for k, v in obj.items()}
        return {"py/dict": [[_to_json(k), _to_json(v)] for k, v in obj.items()]}
    if kind is tuple:
        return {"py/tuple": [_to_json(v) for v in obj]}
    if kind in (set, frozenset):
        return {"py/" + kind.__name__: [_to_json(v) for v in obj]}
    if kind is bytes:
        return {"py/bytes": base64.b64encode(obj).decode("ascii")}
    if kind in (datetime, date, time):
        return {"py/" + kind.__name__: obj.isoformat()}
    if kind is timedelta:
        return {"py/timedelta": [obj.days, obj.seconds, obj.microseconds]}
    if kind is timezone:
        return {"py/timezone": _to_json(obj.utcoffset(None))}
    return _object_to_json(obj)


def _object_to_json(obj):
    cls = type(obj)
    name = f"{cls.__module__}.{cls.__qualname__}"
    if "<locals>" in cls.__qualname__:
        msg = f"`JsonPickleSerde` can't encode a `{name}`: its class is not importable"
        raise TypeError(msg)
    getstate = getattr(obj, "__getstate__", None)
    state = getstate() if getstate is not None else obj.__dict__
    return {"py/object": name, "py/state": _to_json(state)}


_DECODERS = {
    "py/float": float,
    "py/dict": lambda pairs: {_from_json(k): _from_json(v) for k, v in pairs},
    "py/tuple": lambda items: tuple(_from_json(v) for v in items),
    "py/set": lambda items: {_from_json(v) for v in items},
    "py/frozenset": lambda items: frozenset(_from_json(v) for v in items),
    "py/bytes": base64.b64decode,
    "py/datetime": datetime.fromisoformat,
    "py/date": date.fromisoformat,
    "py/time": time.fromisoformat,
    "py/timedelta": lambda parts: timedelta(days=parts[0], seconds=parts[1], microseconds=parts[2]),
    "py/timezone": lambda offset: timezone(_from_json(offset)),
}


def _from_json(data):
    if type(data) is list:
        return [_from_json(v) for v in data]
    if type(data) is not dict:
        return data
    if "py/object" in data:
        return _object_from_json(data["py/object"], _from_json(data["py/state"]))
    if len(data) == 1:
        (tag, value), = data.items()
        decoder = _DECODERS.get(tag)
        if decoder is not None:
            return decoder(value)
    return {k: _from_json(v) for k, v in data.items()}


def _object_from_json(name: str, state):
    module_name, _, qualname = name.rpartition(".")
    # Nested classes: import the longest module prefix, then walk the attributes.
    parts = name.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attr in parts[split:]:
            target = getattr(target, attr)
        break
    else:
        msg = f"`JsonPickleSerde` can't find class `{qualname}` of module `{module_name}`"
        raise TypeError(msg)
    obj = target.__new__(target)
    setstate = getattr(obj, "__setstate__", None)
    if setstate is not None:
        setstate(state)
    elif state is not None:
        obj.__dict__.update(state)
    return obj
