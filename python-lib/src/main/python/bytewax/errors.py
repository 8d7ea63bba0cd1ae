"""Exceptions raised by the dataflow runtime."""


class BytewaxRuntimeError(RuntimeError):
    """An error from running a dataflow.

    Its message names the step (and key or partition) that failed; the exception raised by your
    code, if any, is its `__cause__`.
    """
