"""The recorded structure of a dataflow (`Dataflow.substeps`), as Bytewax 0.21.1 records it."""

import dataclasses
import re
from datetime import timedelta
from typing import List

import pytest

import bytewax.operators as op
import bytewax.operators.windowing as win
from bytewax.dataflow import (
    Dataflow,
    DataflowId,
    MultiPort,
    Operator,
    Port,
    SinglePort,
    Stream,
    operator,
)
from bytewax.testing import TestingSink, TestingSource
from bytewax.visualize import to_json


def double(x):
    return x * 2


def without_addresses(text):
    """`repr` without what changes from run to run (and the names of Wax's inner functions)."""
    return re.sub(r"<function \S+>", "<function>", re.sub(r" at 0x[0-9a-f]+", "", text))


def test_substeps_are_the_top_level_steps(flow):
    s = op.input("inp", flow, TestingSource([1]))
    op.output("out", op.map("m", s, double), TestingSink([]))
    assert [type(step).__name__ for step in flow.substeps] == ["input", "map", "output"]
    assert [step.step_id for step in flow.substeps[1].substeps] == ["test_df.m.flat_map_batch"]


def test_a_step_records_its_arguments_and_ports(flow):
    s = op.input("inp", flow, TestingSource([1]))
    op.map("m", s, double)
    step = flow.substeps[1]
    assert isinstance(step, Operator)
    assert [f.name for f in dataclasses.fields(step)] == [
        "step_name", "step_id", "substeps", "up", "mapper", "down",
    ]
    assert (step.step_name, step.step_id, step.mapper) == ("m", "test_df.m", double)
    assert step.up == SinglePort("test_df.m.up", "test_df.inp.down")
    assert step.down == SinglePort("test_df.m.down", "test_df.m.flat_map_batch.down")
    assert (type(step).ups_names, type(step).dwn_names) == (["up"], ["down"])


def test_core_steps_say_so(flow):
    s = op.input("inp", flow, TestingSource([1]))
    op.map("m", s, double)
    inp, m = flow.substeps
    assert type(inp).core is True
    assert type(m.substeps[0]).core is True
    assert not hasattr(type(m), "core")


def test_a_dataflow_argument_is_recorded_as_its_id(flow):
    op.input("inp", flow, TestingSource([1]))
    assert flow.substeps[0].flow == DataflowId("test_df")


def test_ports(flow):
    a = op.input("a", flow, TestingSource([1]))
    b = op.input("b", flow, TestingSource([2]))
    op.merge("merge", a, b)
    ups = flow.substeps[2].ups
    assert ups == MultiPort("test_df.merge.ups", {0: "test_df.a.down", 1: "test_df.b.down"})
    assert SinglePort("p", "s").stream_ids == {"stream": "s"}
    assert isinstance(ups, Port) and isinstance(SinglePort("p", "s"), Port)


def test_steps_are_frozen(flow):
    op.input("inp", flow, TestingSource([1]))
    with pytest.raises(dataclasses.FrozenInstanceError):
        flow.substeps[0].step_name = "other"


def test_dataflow_repr_shows_its_steps(flow):
    op.map("m", op.input("inp", flow, TestingSource([1])), double)
    assert without_addresses(repr(flow)) == (
        "Dataflow(flow_id='test_df', substeps=[input(step_name='inp', step_id='test_df.inp', "
        "substeps=[], flow=DataflowId(flow_id='test_df'), "
        "source=<bytewax.testing.TestingSource object>, "
        "down=SinglePort(port_id='test_df.inp.down', stream_id='test_df.inp.down')), "
        "map(step_name='m', step_id='test_df.m', substeps=[flat_map_batch("
        "step_name='flat_map_batch', step_id='test_df.m.flat_map_batch', substeps=[], "
        "up=SinglePort(port_id='test_df.m.flat_map_batch.up', stream_id='test_df.inp.down'), "
        "mapper=<function>, "
        "down=SinglePort(port_id='test_df.m.flat_map_batch.down', "
        "stream_id='test_df.m.flat_map_batch.down'))], "
        "up=SinglePort(port_id='test_df.m.up', stream_id='test_df.inp.down'), "
        "mapper=<function>, "
        "down=SinglePort(port_id='test_df.m.down', stream_id='test_df.m.flat_map_batch.down'))"
        "], _scope=_Scope(parent_id='test_df'))"
    )


def test_stream_repr(flow):
    s = op.input("inp", flow, TestingSource([1]))
    assert repr(s) == "Stream(stream_id='test_df.inp.down', _scope=_Scope(parent_id='test_df'))"


def test_dataflows_are_equal_when_their_ids_and_steps_are():
    assert Dataflow("a") == Dataflow("a")
    assert Dataflow("a") != Dataflow("b")
    flow = Dataflow("a")
    op.input("inp", flow, TestingSource([1]))
    assert flow != Dataflow("a")


def test_stream_inside_an_argument_is_an_inconsistent_scope(flow):
    @operator
    def test_op(step_id: str, up: Stream, not_allowed: List[Stream]) -> Stream:
        return op.merge("merge", up, *not_allowed)

    inp1 = op.input("inp1", flow, TestingSource([]))
    inp2 = op.input("inp2", flow, TestingSource([]))
    msg = (
        r"inconsistent stream scoping; found multiple scopes frozenset\(\{"
        r"_Scope\(parent_id='test_df(\.test_op)?'\), _Scope\(parent_id='test_df(\.test_op)?'\)\}\); "
        r"expected one; possible invalid operator definition; might be nested `Stream` in "
        "arguments to this operator or return value from previous operator; see "
        "`bytewax.dataflow.operator` docstring for custom operator rules$"
    )
    with pytest.raises(AssertionError, match=msg):
        test_op("test_op", inp1, [inp2])


def test_streams_of_two_dataflows_cannot_meet(flow):
    a = op.input("a", flow, TestingSource([1]))
    b = op.input("b", Dataflow("other"), TestingSource([1]))
    with pytest.raises(AssertionError, match="inconsistent stream scoping; found multiple scopes"):
        op.merge("merge", a, b)


def test_an_operator_given_no_stream_or_dataflow_has_no_scope():
    @operator
    def no_streams(step_id: str, x: int) -> None:
        pass

    with pytest.raises(AssertionError, match=re.escape("found multiple scopes frozenset();")):
        no_streams("ns", 1)


def test_builder_parameter_and_result_field_of_the_same_name():
    @dataclasses.dataclass
    class Out:
        up: Stream[int]

    msg = (
        "'up' are both a build function parameter and a return dataclass field name; "
        "rename so there are no overlapping field names"
    )
    with pytest.raises(TypeError, match=re.escape(msg)):

        @operator
        def clash(step_id: str, up: Stream[int]) -> Out:
            return Out(up)


def test_builder_parameter_shadowing_an_operator_field():
    msg = (
        "builder function can't have parameters or return dataclass fields that shadow any "
        "of the field names in `bytewax.dataflow.Operator`; rename the 'substeps' parameter "
        "or fields"
    )
    with pytest.raises(TypeError, match=re.escape(msg)):

        @operator
        def shadow(step_id: str, up: Stream[int], substeps: int) -> Stream[int]:
            return up


def test_steps_added_to_the_stream_flow_inside_an_operator_nest(flow):
    @operator
    def with_extra(step_id: str, up: Stream[int]) -> Stream[int]:
        extra = op.input("extra", up.flow(), TestingSource([0]))
        return op.merge("merge", up, extra)

    s = with_extra("outer", op.input("inp", flow, TestingSource([1])))
    out = []
    op.output("out", s, TestingSink(out))
    assert [step.step_id for step in flow.substeps[1].substeps] == [
        "test_df.outer.extra",
        "test_df.outer.merge",
    ]
    from bytewax.testing import run_main

    run_main(flow)
    assert sorted(out) == [0, 1]


def test_a_passed_through_stream_keeps_its_id_in_ports(flow):
    @operator
    def passthrough(step_id: str, up: Stream[int]) -> Stream[int]:
        return up

    passthrough("p", op.input("inp", flow, TestingSource([1])))
    step = flow.substeps[1]
    assert (step.up.stream_id, step.down.stream_id, step.substeps) == (
        "test_df.inp.down",
        "test_df.inp.down",
        [],
    )


def test_an_unannotated_result_is_recorded_but_is_no_port(flow):
    @operator
    def untyped(step_id, up):
        return op.map("m", up, double)

    untyped("u", op.input("inp", flow, TestingSource([1])))
    step = flow.substeps[1]
    assert (type(step).ups_names, type(step).dwn_names) == ([], [])
    assert step.down == SinglePort("test_df.u.down", "test_df.u.m.flat_map_batch.down")


def test_window_steps_nest_as_in_bytewax(flow):
    keyed = op.key_on("key", op.input("inp", flow, TestingSource([])), str)
    clock = win.SystemClock()
    windower = win.SessionWindower(timedelta(seconds=1))
    win.count_window("count", op.input("inp2", flow, TestingSource([])), clock, windower, str)
    win.collect_window("collect", keyed, clock, windower)
    count, collect = flow.substeps[3:]
    assert [(type(s).__name__, s.step_id) for s in count.substeps] == [
        ("key_on", "test_df.count.keyed"),
        ("fold_window", "test_df.count.sum"),
    ]
    window = collect.substeps[0].substeps[0]
    assert [(type(s).__name__, s.step_name) for s in window.substeps] == [
        ("stateful_batch", "stateful_batch"),
        ("filter_map_value", "unwrap_down"),
        ("filter_map_value", "unwrap_late"),
        ("filter_map_value", "unwrap_meta"),
    ]


def test_join_window_with_clock_keywords_records_the_same_steps():
    """Wax also takes `clock=` and `windower=` after the sides."""
    def build(join):
        flow = Dataflow("jw")
        a = op.key_on("ka", op.input("a", flow, TestingSource([])), str)
        b = op.key_on("kb", op.input("b", flow, TestingSource([])), str)
        join(a, b, win.SystemClock(), win.SessionWindower(timedelta(seconds=1)))
        return flow

    positional = build(lambda a, b, c, w: win.join_window("j", c, w, a, b))
    keywords = build(lambda a, b, c, w: win.join_window("j", a, b, clock=c, windower=w))
    assert to_json(positional) == to_json(keywords)
