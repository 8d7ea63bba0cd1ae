"""Bytewax's generic classes take Bytewax's type parameters; `typing_extensions` is the real one."""

from datetime import timedelta

import pytest
import typing_extensions

from bytewax.inputs import SimplePollingSource
from bytewax.operators.windowing import SystemClock


def test_simple_polling_source_takes_one_or_two_type_parameters():
    # (Bytewax's `__args__` hold `None` itself, from a `typing_extensions` TypeVar default.)
    assert SimplePollingSource[int].__args__ == (int, type(None))
    assert SimplePollingSource[int, str].__args__ == (int, str)


def test_system_clock_is_not_generic_as_in_bytewax():
    with pytest.raises(TypeError, match="is not a generic class"):
        SystemClock[int]


def test_typing_extensions_is_the_library_from_graalpys_pip_wheel_with_graalpys_patch():
    from typing_extensions import Protocol, Self, TypeVar, override, runtime_checkable

    assert typing_extensions.__file__.endswith("typing_extensions.py")
    assert "/wax/typing_extensions/" in typing_extensions.__file__
    assert "'_py_abc'" in open(typing_extensions.__file__).read()
    assert TypeVar("T", default=None).__default__ is None
    assert Self is not None and override is not None

    @runtime_checkable
    class HasF(Protocol):
        def f(self): ...

    class C:
        def f(self):
            return 1

    assert isinstance(C(), HasF)
    assert not isinstance(timedelta(0), HasF)


@pytest.mark.parametrize(
    ("module", "names"),
    [
        ("bytewax.dataflow", "F N P R X_co"),
        ("bytewax.operators", "DK DV S U V W W_co X Y JoinEmitMode JoinInsertMode KeyedStream"),
        ("bytewax.operators.helpers", "K V"),
        ("bytewax.operators.windowing", "C DK DV S SC SW U V W W_co X JoinEmitMode JoinInsertMode"),
        ("bytewax.connectors.demo", "X"),
    ],
)
def test_modules_have_bytewaxs_type_variables_and_aliases(module, names):
    import importlib

    mod = importlib.import_module(module)
    assert [name for name in names.split() if not hasattr(mod, name)] == []
    if hasattr(mod, "W_co"):
        assert mod.W_co.__covariant__


def test_join_modes_are_bytewaxs_literals():
    from typing import get_args

    from bytewax.operators.windowing import JoinEmitMode, JoinInsertMode

    assert get_args(JoinInsertMode) == ("first", "last", "product")
    assert get_args(JoinEmitMode) == ("complete", "final", "running")
