"""Helper functions for building operator arguments."""

from typing import Any, Callable, Dict

__all__ = ["map_dict_value"]


def map_dict_value(key: Any, mapper: Callable[[Any], Any]) -> Callable[[Dict], Dict]:
    """A function that replaces `d[key]` with `mapper(d[key])` in place and returns `d`.

    Use with `map`: `op.map("parse", s, map_dict_value("time", parse_time))`.
    """

    def shim(obj: Dict) -> Dict:
        obj[key] = mapper(obj[key])
        return obj

    return shim
