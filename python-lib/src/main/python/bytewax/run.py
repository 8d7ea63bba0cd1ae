"""Run a dataflow: `python -m bytewax.run IMPORT_STR` (on Wax: `wax run IMPORT_STR`).

IMPORT_STR is `path/to/file.py`, `module`, `module:attr` or `module:factory(args)`; the default
attribute is `flow`.
"""

import argparse
import ast
import importlib
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import List, Optional, Tuple

from bytewax.dataflow import Dataflow

__all__ = ["cli_main"]


def cli_main(
    flow: Dataflow,
    *,
    workers_per_process: int = 1,
    process_id: Optional[int] = None,
    addresses: Optional[List[str]] = None,
    epoch_interval: Optional[timedelta] = None,
    recovery_config=None,
) -> None:
    """Run `flow` with the given scaling options, as the `bytewax.run` command does.

    With `BYTEWAX_DATAFLOW_API_ENABLED` set, the dataflow API serves the flow and its metrics
    while it runs.
    """
    from bytewax._wax import engine

    engine.run(
        flow,
        epoch_interval=epoch_interval,
        recovery_config=recovery_config,
        worker_count=workers_per_process,
        addresses=addresses,
        process_id=process_id or 0,
        dataflow_api=True,
    )


def _prepare_import(import_str: str) -> Tuple[str, str]:
    """Splits IMPORT_STR into a module name and an attribute (default `flow`), and puts the
    directory the module is imported from first on `sys.path`: for a file, the directory above its
    outermost package; for a module name, the working directory."""
    location, _, attr = import_str.partition(":")
    path = Path(location).resolve()
    if path.suffix == ".py":
        path = path.with_suffix("")
    if path.name == "__init__":
        path = path.parent
    parts = [path.name]
    directory = path.parent
    while (directory / "__init__.py").exists():
        parts.insert(0, directory.name)
        directory = directory.parent
    if sys.path[0] != str(directory):
        sys.path.insert(0, str(directory))
    return ".".join(parts), attr or "flow"


def _import_dataflow(import_str: str) -> Dataflow:
    """The dataflow IMPORT_STR names; a file that is not there is reported as such."""
    location = import_str.partition(":")[0]
    if (location.endswith(".py") or os.path.sep in location) and not Path(location).exists():
        msg = f"dataflow file `{location}` does not exist"
        raise FileNotFoundError(msg)
    return _locate_dataflow(*_prepare_import(import_str))


def _locate_dataflow(module_name: str, dataflow_name: str) -> Dataflow:
    """Imports `module_name` and returns its dataflow `dataflow_name`: an attribute, or a call of
    a factory in it with literal arguments."""
    module = importlib.import_module(module_name)
    name = dataflow_name
    try:
        expr = ast.parse(name.strip(), mode="eval").body
    except SyntaxError:
        msg = f"Failed to parse {name!r} as an attribute name or function call"
        raise SyntaxError(msg) from None
    if isinstance(expr, ast.Name):
        attr, args, kwargs, call = expr.id, [], {}, False
    elif isinstance(expr, ast.Call):
        if not isinstance(expr.func, ast.Name):
            msg = f"Function reference must be a simple name: {name!r}."
            raise TypeError(msg)
        attr, call = expr.func.id, True
        try:
            args = [ast.literal_eval(a) for a in expr.args]
            kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in expr.keywords}
        except ValueError:
            msg = f"Failed to parse arguments as literal values: {name!r}"
            raise ValueError(msg) from None
    else:
        msg = f"Failed to parse {name!r} as an attribute name or function call"
        raise ValueError(msg)
    try:
        found = getattr(module, attr)
    except AttributeError:
        msg = f"Failed to find attribute {attr!r} in {module_name!r}."
        raise AttributeError(msg) from None
    if call:
        try:
            found = found(*args, **kwargs)
        except TypeError as ex:
            msg = (
                f"The factory {name!r} in module {module_name!r} could not be called "
                "with the specified arguments"
            )
            raise TypeError(msg) from ex
    if not isinstance(found, Dataflow):
        msg = f"A valid Bytewax dataflow was not obtained from '{module_name}:{name}'"
        raise RuntimeError(msg)
    return found


class _EnvDefault(argparse.Action):
    """An option whose default comes from an environment variable."""

    def __init__(self, envvar: str, default=None, **kwargs):
        if envvar in os.environ:
            default = os.environ[envvar]
        if kwargs.get("help"):
            kwargs["help"] += f" [env: {envvar}]"
        super().__init__(default=default, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, values)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bytewax.run", description="Run a bytewax dataflow"
    )
    parser.add_argument(
        "import_str",
        type=str,
        help="Dataflow import string in the format "
        "<module_name>[:<dataflow_variable_or_factory>] "
        "Example: src.dataflow or src.dataflow:flow or src.dataflow:get_flow('string_argument')",
    )
    recovery = parser.add_argument_group(
        "Recovery", "See the `bytewax.recovery` module docstring for more info."
    )
    recovery.add_argument(
        "-r", "--recovery-directory", type=Path, action=_EnvDefault,
        envvar="BYTEWAX_RECOVERY_DIRECTORY",
        help="Local file system directory to look for pre-initialized recovery partitions",
    )
    parser.add_argument(
        "-s", "--snapshot-interval", type=_parse_seconds, action=_EnvDefault,
        envvar="BYTEWAX_SNAPSHOT_INTERVAL",
        help="System time duration in seconds to snapshot state for recovery",
    )
    recovery.add_argument(
        "-b", "--backup-interval", type=_parse_seconds, action=_EnvDefault,
        envvar="BYTEWAX_RECOVERY_BACKUP_INTERVAL",
        help="System time duration in seconds to keep extra state snapshots around",
    )
    scaling = parser.add_argument_group(
        "Scaling",
        "You should use either '-w' to spawn multiple workers within a process, "
        "or '-i/-a' to manage multiple processes",
    )
    scaling.add_argument(
        "-w", "--workers-per-process", type=int, action=_EnvDefault, default=1,
        envvar="BYTEWAX_WORKERS_PER_PROCESS", help="Number of workers for each process",
    )
    scaling.add_argument(
        "-i", "--process-id", type=int, action=_EnvDefault,
        envvar="BYTEWAX_PROCESS_ID", help="Process id",
    )
    scaling.add_argument(
        "-a", "--addresses", action=_EnvDefault, envvar="BYTEWAX_ADDRESSES",
        help="Addresses of other processes, separated by semicolon:\n"
        '-a "localhost:2021;localhost:2022;localhost:2023" ',
    )
    return parser


def _parse_seconds(text: str) -> timedelta:
    return timedelta(seconds=float(text))


def _parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """The options of `sys.argv` (or `argv`), with their environment variables. As on Bytewax's
    Kubernetes deployments, a pod named `<BYTEWAX_STATEFULSET_NAME>-<n>` is process `n`, and a
    process with no `-a` reads the addresses from the file `BYTEWAX_HOSTFILE_PATH`."""
    parser = _parser()
    args = parser.parse_args(argv)
    env = os.environ
    if args.process_id is None and "BYTEWAX_POD_NAME" in env and "BYTEWAX_STATEFULSET_NAME" in env:
        prefix = env["BYTEWAX_STATEFULSET_NAME"] + "-"
        args.process_id = int(env["BYTEWAX_POD_NAME"].replace(prefix, ""))
    if args.process_id is not None and args.addresses is None:
        if "BYTEWAX_HOSTFILE_PATH" not in env:
            parser.error("the addresses option is required if a process_id is passed")
        lines = Path(env["BYTEWAX_HOSTFILE_PATH"]).read_text().splitlines()
        args.addresses = ";".join(line.strip() for line in lines if line.strip())
    if args.recovery_directory is not None and (
        args.snapshot_interval is None or args.backup_interval is None
    ):
        parser.error(
            "when running with recovery, the `-s/--snapshot_interval` and "
            "`-b/--backup_interval` values must be set. For more information about setting "
            "these values, please see https://bytewax.io/docs/concepts/recovery."
        )
    return args


def _run(args: argparse.Namespace) -> None:
    from bytewax.recovery import RecoveryConfig

    flow = _import_dataflow(args.import_str)
    recovery_config = None
    if args.recovery_directory is not None:
        recovery_config = RecoveryConfig(args.recovery_directory, args.backup_interval)
    cli_main(
        flow,
        workers_per_process=int(args.workers_per_process),
        process_id=args.process_id,
        addresses=args.addresses.split(";") if args.addresses else None,
        epoch_interval=args.snapshot_interval,
        recovery_config=recovery_config,
    )


if __name__ == "__main__":
    _run(_parse_args())
