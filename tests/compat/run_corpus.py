"""Run a folder of Bytewax flow files one after the other, in one process.

    python run_corpus.py [--epoch-interval SECONDS] DIR [NAME_OR_FILE ...]

Works the same under CPython with Bytewax (or the reference oracle) and
under Wax's ``wax python``:

    /work/shared/tools/oracle/oracle.sh --python run_corpus.py DIR > oracle.txt
    WAX_RUNTIME=interpreted bin/wax python tests/compat/run_corpus.py DIR > wax.txt

For every ``*.py`` file of DIR, in name order (or only the given flow names,
e.g. ``flow_0007``, or paths), it prints a separator line ``=== <name>``,
imports the file as a fresh module, and runs its module-level ``flow`` with
``bytewax.testing.run_main`` on one worker.  A header comment
``# epoch_interval: SECONDS`` (e.g. ``# epoch_interval: 0``) in the file's
first lines sets ``epoch_interval``; otherwise Bytewax's default is used.
``--epoch-interval SECONDS`` overrides it for every flow.

An exception (while building or running the flow) is printed as one line
``!!! ExceptionType: first line of its message`` (followed by
`` <- CauseType: message`` for each ``__cause__`` in its chain) and the next
flow runs.  stdout is flushed after every flow, so output of a flow never
mixes with the next one's separator.
"""

import glob
import importlib.util
import os
import re
import sys
import traceback
from datetime import timedelta

from bytewax.testing import run_main

# Header comment that selects the epoch interval, in seconds.
EPOCH_RE = re.compile(r"^#\s*epoch_interval:\s*([0-9.]+)\s*$")


def flow_files(folder, selection):
    """The flow files to run: all of ``folder``, or the selected ones."""
    if not selection:
        return sorted(glob.glob(os.path.join(folder, "*.py")))
    files = []
    for item in selection:
        if os.path.isfile(item):
            files.append(item)
        else:
            name = item if item.endswith(".py") else item + ".py"
            files.append(os.path.join(folder, name))
    return files


def epoch_interval_of(path):
    """The ``# epoch_interval:`` header of a flow file, or None."""
    with open(path) as f:
        for _, line in zip(range(10), f):  # only the header is looked at
            m = EPOCH_RE.match(line.strip())
            if m:
                return timedelta(seconds=float(m.group(1)))
    return None


def load_flow(path, index):
    """Import ``path`` as a new module and return its ``flow``."""
    mod_name = f"_compat_flow_{index}_{os.path.splitext(os.path.basename(path))[0]}"
    spec = importlib.util.spec_from_file_location(mod_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[mod_name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(mod_name, None)
    return module.flow


def describe(exc):
    """One line for an exception and its ``__cause__`` chain."""
    parts = []
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        msg = str(exc).strip().splitlines()
        parts.append(f"{type(exc).__name__}: {msg[0] if msg else ''}")
        exc = exc.__cause__
    return "!!! " + " <- ".join(parts)


def main(argv):
    forced = None
    if argv[:1] == ["--epoch-interval"] and len(argv) >= 2:
        forced = timedelta(seconds=float(argv[1]))
        argv = argv[2:]
    if len(argv) < 1:
        print(__doc__, file=sys.stderr)
        return 2
    folder, selection = argv[0], argv[1:]
    for index, path in enumerate(flow_files(folder, selection)):
        name = os.path.splitext(os.path.basename(path))[0]
        print(f"=== {name}", flush=True)
        try:
            flow = load_flow(path, index)
            interval = forced if forced is not None else epoch_interval_of(path)
            if interval is None:
                run_main(flow)
            else:
                run_main(flow, epoch_interval=interval)
        except Exception as exc:  # one broken flow must not stop the corpus
            print(describe(exc), flush=True)
            if os.environ.get("COMPAT_TRACEBACK"):
                traceback.print_exc()
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
