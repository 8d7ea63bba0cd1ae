"""Entry points the Wax host calls: a `python`-like launcher and `wax run`.

Both return an exit status and print an uncaught exception the way CPython does, without the
frames of this module or `runpy`.
"""

import os
import sys
from datetime import timedelta

_USAGE = "usage: wax python [script.py | -m module | -c code] [args...]"
_THIS_FILE = os.path.abspath(__file__)


def _report(ex: BaseException) -> int:
    """Print `ex` as an uncaught exception; return the exit status CPython would."""
    from bytewax._wax.engine import PeerStopped

    if isinstance(ex, PeerStopped):
        # Another worker failed and printed why; this one only stops.
        return 1
    status = 130 if isinstance(ex, KeyboardInterrupt) else 1
    if isinstance(ex, SystemExit):
        code = ex.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        print(code, file=sys.stderr)
        return 1
    import runpy
    import traceback

    hidden = (_THIS_FILE, runpy.__file__)
    tb = ex.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename in hidden:
        tb = tb.tb_next
    sys.stdout.flush()
    traceback.print_exception(type(ex), ex, tb)
    sys.stderr.flush()
    return status


def _interrupt_like_cpython() -> None:
    """Ctrl-C raises `KeyboardInterrupt`, as CPython arranges at start-up (unless it is ignored)."""
    import signal

    if signal.getsignal(signal.SIGINT) == signal.SIG_DFL:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def main(args, owns_ctrl_c: bool = True) -> int:
    """Run `python ARGS`: a script, `-m module` or `-c code`, then its arguments.

    `owns_ctrl_c` is false for the Contexts of `-w N` workers: one process has one SIGINT
    handler, and during runs Wax's own stops every worker.
    """
    import runpy

    if owns_ctrl_c:
        _interrupt_like_cpython()
    args = list(args)
    try:
        if not args:
            print(_USAGE, file=sys.stderr)
            return 2
        if args[0] == "-m" and len(args) > 1:
            sys.argv = [args[1], *args[2:]]
            if "" not in sys.path:
                sys.path.insert(0, os.getcwd())
            runpy.run_module(args[1], run_name="__main__", alter_sys=True)
        elif args[0] == "-c" and len(args) > 1:
            sys.argv = ["-c", *args[2:]]
            sys.path.insert(0, "")
            exec(compile(args[1], "<string>", "exec"), {"__name__": "__main__"})  # noqa: S102
        elif args[0].startswith("-"):
            print(f"unknown option {args[0]}\n{_USAGE}", file=sys.stderr)
            return 2
        else:
            script = args[0]
            if not os.path.exists(script):
                print(
                    f"can't open file {os.path.abspath(script)!r}: "
                    "[Errno 2] No such file or directory",
                    file=sys.stderr,
                )
                return 2
            sys.argv = list(args)
            sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
            runpy.run_path(script, run_name="__main__")
    except BaseException as ex:  # noqa: BLE001 - this is the top level
        return _report(ex)
    finally:
        sys.stdout.flush()
    return 0


def run_flow(
    import_str: str,
    epoch_interval_seconds: float,
    recovery_dir=None,
    backup_interval_seconds=0.0,
    owns_ctrl_c: bool = True,
) -> int:
    """`wax run IMPORT_STR`: import the dataflow and run it as this Context's worker.

    With `recovery_dir` it resumes from and snapshots into the partitions there; `owns_ctrl_c`
    as for `main`.
    """
    from bytewax._wax import engine
    from bytewax.recovery import RecoveryConfig
    from bytewax.run import _import_dataflow

    if owns_ctrl_c:
        _interrupt_like_cpython()
    try:
        recovery = None
        if recovery_dir is not None:
            recovery = RecoveryConfig(recovery_dir, timedelta(seconds=backup_interval_seconds))
        flow = _import_dataflow(import_str)
        engine.run(
            flow,
            epoch_interval=timedelta(seconds=epoch_interval_seconds),
            recovery_config=recovery,
            dataflow_api=True,
        )
    except BaseException as ex:  # noqa: BLE001 - this is the top level
        return _report(ex)
    finally:
        sys.stdout.flush()
    return 0
