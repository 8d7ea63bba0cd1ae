"""Refuse C extension modules before GraalPy tries to load them.

Wax runs GraalPy without native access, so a C extension can never load. GraalPy refuses the
first attempt in a process with an `ImportError`, but every later Context of the same process
(a `-w N` worker, the next command of the warm background process) gets a `SystemError`
instead, which code that falls back on `ImportError` (the standard library's `getpass`, for one)
does not expect. Refusing them here keeps every Context alike.
"""

import sys
from importlib.machinery import ExtensionFileLoader, PathFinder


class _NoCExtensions:
    """Finds modules as `PathFinder` does, and refuses the C extensions among them."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        spec = PathFinder.find_spec(name, path, target)
        if spec is not None and isinstance(spec.loader, ExtensionFileLoader):
            msg = (
                f"Cannot run any C extensions because native access is not allowed: {name!r} "
                "is one (Wax runs GraalPy without native access)"
            )
            raise ImportError(msg, name=name, path=spec.origin)
        return spec

    @staticmethod
    def invalidate_caches():
        PathFinder.invalidate_caches()


def install() -> None:
    """Put the guard in the place of `PathFinder` on `sys.meta_path`."""
    if _NoCExtensions not in sys.meta_path:
        sys.meta_path[sys.meta_path.index(PathFinder)] = _NoCExtensions
