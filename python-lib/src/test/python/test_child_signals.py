"""Any signal reaches a child process, as in CPython.

GraalPy's Java POSIX layer alone sends only SIGKILL and SIGTERM to children; Bytewax's own
Ctrl-C tests stop their flow with `Popen.send_signal(SIGINT)`.
"""

import os
import signal
import subprocess

import pytest


def test_send_signal_interrupts_a_child():
    child = subprocess.Popen(["sleep", "60"])
    child.send_signal(signal.SIGINT)
    assert child.wait(timeout=30) == -signal.SIGINT


def test_os_kill_sends_any_signal_to_a_child():
    child = subprocess.Popen(["sleep", "60"])
    os.kill(child.pid, signal.SIGUSR1)
    assert child.wait(timeout=30) == -signal.SIGUSR1


def test_terminate_and_kill_still_work():
    child = subprocess.Popen(["sleep", "60"])
    child.terminate()
    assert child.wait(timeout=30) == -signal.SIGTERM
    child = subprocess.Popen(["sleep", "60"])
    child.kill()
    assert child.wait(timeout=30) == -signal.SIGKILL


def test_a_signal_to_a_child_that_ended_is_a_process_lookup_error():
    child = subprocess.Popen(["true"])
    child.wait(timeout=30)
    with pytest.raises(ProcessLookupError):
        os.kill(child.pid, signal.SIGINT)


def test_the_child_reads_and_writes_through_pipes_as_before():
    child = subprocess.run(["cat"], input=b"through\n", capture_output=True, check=True)
    assert child.stdout == b"through\n"
