"""Helper functions for building operator arguments."""

from typing import Callable, Dict, TypeVar

__all__ = ["map_dict_value"]

K = TypeVar("K")
V = TypeVar("V")


def map_dict_value(key: K, mapper: Callable[[V], V]) -> Callable[[Dict[K, V]], Dict[K, V]]:
    """A function that replaces `d[key]` with `mapper(d[key])` in place and returns `d`.

    Use with `map`: `op.map("parse", s, map_dict_value("time", parse_time))`.
    """

    def shim(obj: Dict[K, V]) -> Dict[K, V]:
        obj[key] = mapper(obj[key])
        return obj

    return shim
