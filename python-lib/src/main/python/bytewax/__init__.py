"""Wax's implementation of the Bytewax Python API.

Flows written for Bytewax 0.21 import `bytewax.dataflow`, `bytewax.operators` and friends from
here; the operators record steps in Wax's Java engine, which runs them.
"""

__version__ = "0.21.1+wax.0.1.0"

from bytewax._wax import fast_datetime as _fast_datetime

_fast_datetime.install()
