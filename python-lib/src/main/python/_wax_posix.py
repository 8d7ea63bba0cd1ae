"""Any signal to a child process, where GraalPy's Java POSIX layer sends only two.

Run without native access, GraalPy starts a child process as a Java `Process`: `Popen.pid` is a
number of its own, and it can only kill or terminate the child, so `Popen.send_signal(SIGINT)`
raises `io.UnsupportedOperation`. Here each child's real process id is learnt as it starts, and
`os.kill` sends the other signals to it through the Wax host.
"""

import functools
import io
import os

import _posixsubprocess

# GraalPy's number for a child process -> its process id. GraalPy never reuses a number.
_process_ids = {}


def install(host) -> None:
    """Wrap `_posixsubprocess.fork_exec` (before `subprocess` imports it) and `os.kill`."""
    if getattr(os.kill, "__wax__", False):
        return
    start_child = _posixsubprocess.fork_exec
    kill = os.kill

    @functools.wraps(start_child)
    def fork_exec(*args, **kwargs):
        outcome = []

        def start():
            try:
                outcome.append(start_child(*args, **kwargs))
            except BaseException as ex:
                outcome.append(ex)

        process_id = host.spawnChild(start)
        number = outcome[0]
        if isinstance(number, BaseException):
            raise number
        if process_id:
            _process_ids[number] = process_id
        return number

    @functools.wraps(kill)
    def kill_any(pid, sig):
        try:
            kill(pid, sig)
        except io.UnsupportedOperation:
            process_id = _process_ids.get(pid)
            if process_id is None:
                raise
            error = host.signalProcess(process_id, int(sig))
            if error is not None:
                raise ProcessLookupError(3, error) from None

    kill_any.__wax__ = True
    _posixsubprocess.fork_exec = fork_exec
    os.kill = kill_any
