import re

import pytest

import bytewax.operators as op
from bytewax.dataflow import Dataflow, Stream, operator
from bytewax.testing import TestingSink, TestingSource, run_main


def test_flow_id_cannot_contain_period():
    with pytest.raises(ValueError, match=re.escape("flow ID can't contain a period `.`")):
        Dataflow("a.b")


def test_stream_ids_are_fully_qualified(flow):
    s = op.input("inp", flow, TestingSource([1]))
    assert s.stream_id == "test_df.inp.down"
    b = op.branch("b", s, lambda x: True)
    assert (b.trues.stream_id, b.falses.stream_id) == ("test_df.b.trues", "test_df.b.falses")
    m = op.map("m", s, lambda x: x)
    # As in Bytewax: the id of the core step output making the stream.
    assert m.stream_id == "test_df.m.flat_map_batch.down"


def test_duplicate_step_id_is_rejected(flow):
    s = op.input("inp", flow, TestingSource([1]))
    op.map("m", s, lambda x: x)
    msg = "step 'test_df.m' already exists; do you have two steps with the same ID?"
    with pytest.raises(ValueError, match=re.escape(msg)):
        op.map("m", s, lambda x: x)


def test_step_id_must_be_str_without_period(flow):
    s = op.input("inp", flow, TestingSource([1]))
    with pytest.raises(TypeError, match=re.escape("'step_id' must be a `str`")):
        op.map(1, s, lambda x: x)
    with pytest.raises(ValueError, match=re.escape("'step_id' can't contain any periods '.'")):
        op.map("a.b", s, lambda x: x)


def test_non_stream_argument_is_a_type_error(flow):
    op.input("inp", flow, TestingSource([1]))
    msg = "'up' argument must be a `Stream`; got a <class 'int'> instead"
    with pytest.raises(TypeError, match=re.escape(msg)):
        op.map("m", 42, lambda x: x)


def test_branch_out_not_unpacked_is_a_type_error(flow):
    s = op.input("inp", flow, TestingSource([1]))
    b = op.branch("b", s, lambda x: True)
    with pytest.raises(TypeError, match="did you forget to unpack"):
        op.map("m", b, lambda x: x)


def test_operator_called_incorrectly(flow):
    s = op.input("inp", flow, TestingSource([1]))
    with pytest.raises(TypeError, match=re.escape("operator 'map' called incorrectly")):
        op.map("m", s)


def test_then_chains_operators(flow):
    out = []
    s = op.input("inp", flow, TestingSource([1, 2]))
    s.then(op.map, "double", lambda x: x * 2).then(op.output, "out", TestingSink(out))
    run_main(flow)
    assert out == [2, 4]


def test_stream_flow_returns_its_dataflow(flow):
    s = op.input("inp", flow, TestingSource([1]))
    assert s.flow() == flow


def test_user_operator_nests_step_ids(flow, capsys):
    @operator
    def double_then_show(step_id: str, up: Stream[int]) -> Stream[int]:
        doubled = op.map("double", up, lambda x: x * 2)
        return op.inspect("show", doubled)

    s = op.input("inp", flow, TestingSource([1, 2]))
    out = double_then_show("outer", s)
    assert out.stream_id == "test_df.outer.show.inspect_debug.down"
    op.output("out", out, TestingSink([]))
    run_main(flow)
    assert capsys.readouterr().out == "test_df.outer.show: 2\ntest_df.outer.show: 4\n"


def test_builder_without_step_id_is_rejected():
    with pytest.raises(TypeError, match="requires a 'step_id' parameter"):

        @operator
        def bad(up: Stream[int]) -> Stream[int]:
            return up


def test_flow_without_input_fails_at_run(flow):
    from bytewax.errors import BytewaxRuntimeError

    with pytest.raises(BytewaxRuntimeError) as info:
        run_main(flow)
    assert isinstance(info.value.__cause__, ValueError)
    assert str(info.value.__cause__).startswith(
        "Dataflow needs to contain at least one input step"
    )


def test_flow_without_output_fails_at_run(flow):
    from bytewax.errors import BytewaxRuntimeError

    op.input("inp", flow, TestingSource([1]))
    with pytest.raises(BytewaxRuntimeError) as info:
        run_main(flow)
    assert str(info.value.__cause__) == (
        "Dataflow needs to contain at least one output or inspect step; "
        "add with `bytewax.operators.output` or `bytewax.operators.inspect`"
    )
