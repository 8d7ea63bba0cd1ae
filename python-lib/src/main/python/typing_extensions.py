"""Loads `typing_extensions`, the real library, which Bytewax depends on.

PyPI is out of reach, so Wax takes the copy vendored in the pip wheel GraalPy bundles
(`ensurepip/_bundled/pip-*.whl`, `pip/_vendor/typing_extensions.py`), applies GraalPy's own
patch for that library (`<core home>/patches/typing_extensions.patch`), writes the result once
under Wax's cache and imports it in place of this module.
"""

import binascii
import importlib.util
import os
import sys
from pathlib import Path

# (`zipfile` and `hashlib` take seconds to import on GraalPy: only a first use reads the wheel.)


def _bundled_wheel():
    wheels = sorted(Path(os.__file__).parent.joinpath("ensurepip", "_bundled").glob("pip-*.whl"))
    if not wheels:
        msg = "`typing_extensions`: GraalPy's bundled pip wheel, which carries it, is missing"
        raise ImportError(msg)
    return wheels[-1]


def _graalpy_patch():
    core_home = getattr(sys.modules.get("__graalpython__"), "core_home", None)
    patch = Path(core_home or "", "patches", "typing_extensions.patch")
    return patch.read_text() if core_home is not None and patch.exists() else ""


def _patched(source, patch):
    """`source` with each hunk of `patch` (a unified diff of this library) applied."""
    for hunk in patch.split("\n@@")[1:]:
        old, new = [], []
        for line in hunk.split("\n")[1:]:
            if line.startswith(("-", " ")):
                old.append(line[1:])
            if line.startswith(("+", " ")):
                new.append(line[1:])
        before, after = "\n".join(old), "\n".join(new)
        if before in source:
            source = source.replace(before, after, 1)
    return source


def _cached_copy():
    """The patched copy under Wax's cache, written the first time this wheel and patch meet."""
    wheel = _bundled_wheel()
    patch = _graalpy_patch()
    digest = f"{wheel.stem}-{binascii.crc32(patch.encode()):08x}"
    from bytewax._wax.engine import host

    path = Path(host().cacheDir(), "typing_extensions", digest, "typing_extensions.py")
    if not path.exists():
        import zipfile

        with zipfile.ZipFile(wheel) as archive:
            source = archive.read("pip/_vendor/typing_extensions.py").decode()
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_suffix(f".{os.getpid()}.tmp")
        staging.write_text(_patched(source, patch))
        os.replace(staging, path)
    return path


def _load():
    spec = importlib.util.spec_from_file_location(__name__, _cached_copy())
    module = importlib.util.module_from_spec(spec)
    sys.modules[__name__] = module
    spec.loader.exec_module(module)


_load()
