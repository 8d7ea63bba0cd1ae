"""`bytewax.visualize`: every expected output here is what Bytewax 0.21.1 gives for the flow.

The longer ones are in `visualize_expected/`, written by Bytewax's own `to_*` functions for
the flows below (and `step_lines` of `all_operators_flow`).
"""

import json
import runpy
import sys
import textwrap
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import bytewax.operators as op
import bytewax.operators.windowing as win
from bytewax.dataflow import Dataflow, Stream, operator
from bytewax.testing import TestingSink, TestingSource
from bytewax.visualize import (
    RenderedDataflow,
    RenderedOperator,
    RenderedPort,
    to_json,
    to_mermaid,
    to_plantuml,
    to_rendered,
)

EXPECTED = Path(__file__).parent / "visualize_expected"
ALIGN = datetime(2024, 1, 1, tzinfo=timezone.utc)
CLOCK = win.EventClock(lambda e: e["time"], wait_for_system_duration=timedelta(0))
TUMBLING = win.TumblingWindower(length=timedelta(seconds=10), align_to=ALIGN)


def expected(name):
    return (EXPECTED / name).read_text()


def branch_merge_flow():
    flow = Dataflow("bm")
    nums = op.input("nums", flow, TestingSource([1, 2, 3]))
    b = op.branch("even", nums, lambda x: x % 2 == 0)
    doubled = op.map("double", b.trues, lambda x: x * 2)
    merged = op.merge("merge", doubled, b.falses)
    op.output("out", merged, TestingSink([]))
    return flow


def join_flow():
    flow = Dataflow("jn")
    names = op.key_on("key_names", op.input("names", flow, TestingSource([])), lambda x: x["id"])
    mails = op.key_on("key_mails", op.input("mails", flow, TestingSource([])), lambda x: x["id"])
    op.inspect("show", op.join("join", names, mails, emit_mode="final"))
    return flow


def window_flow():
    flow = Dataflow("win")
    keyed = op.key_on("key", op.input("inp", flow, TestingSource([])), lambda e: e["user"])
    wo = win.window("window", keyed, CLOCK, TUMBLING, lambda resume_state: None)
    op.output("down", wo.down, TestingSink([]))
    op.output("late", wo.late, TestingSink([]))
    op.output("meta", wo.meta, TestingSink([]))
    return flow


@dataclass(frozen=True)
class Halves:
    small: Stream[int]
    big: Stream[int]
    cutoff: int


@operator
def halves(step_id: str, up: Stream[int], limit: int = 10) -> Halves:
    b = op.branch("branch", up, lambda x: x < limit)
    return Halves(b.trues, op.map("shrink", b.falses, lambda x: x - limit), limit)


@operator
def gather(step_id: str, first: Stream[int], *rest: Stream[int], **named: Stream[int]) -> Stream[int]:
    return op.merge("merge", first, *rest, *named.values())


@operator
def with_extra_input(step_id: str, up: Stream[int]) -> Stream[int]:
    # Steps added to the stream's dataflow inside an operator nest in it too.
    extra = op.input("extra", up.flow(), TestingSource([0]))
    return gather("gather", up, extra)


@operator
def report(step_id: str, up: Stream[int]) -> None:
    op.output("out", up, TestingSink([]))


def custom_flow():
    flow = Dataflow("cu")
    nums = op.input("nums", flow, TestingSource([1, 20]))
    h = halves("halves", nums)
    both = gather("gather", h.small, h.big, nums, again=h.small)
    report("report", with_extra_input("extra", both))
    return flow


def all_operators_flow():
    flow = Dataflow("all")
    s = op.input("inp", flow, TestingSource([]))
    s = op.filter("filter", s, bool)
    s = op.filter_map("filter_map", s, lambda x: x)
    s = op.flat_map("flat_map", s, lambda x: [x])
    s = op.flat_map_batch("flat_map_batch", s, list)
    s = op.flatten("flatten", op.map("map", s, lambda x: [x]))
    s = op.inspect_debug("inspect_debug", op.inspect("inspect", s))
    s = op.enrich_cached("enrich_cached", op.redistribute("redistribute", s), str, lambda c, x: x)
    k = op.key_on("key_on", s, str)
    k = op.flat_map_value("flat_map_value", op.map_value("map_value", k, str), list)
    k = op.filter_map_value("filter_map_value", op.filter_value("filter_value", k, bool), str)
    op.raises("raises", op.key_rm("key_rm", k))
    stateful = [
        op.stateful_map("stateful_map", k, lambda st, v: (st, v)),
        op.stateful_flat_map("stateful_flat_map", k, lambda st, v: (st, [v])),
        op.fold_final("fold_final", k, list, lambda acc, v: acc),
        op.reduce_final("reduce_final", k, max),
        op.count_final("count_final", s, str),
        op.max_final("max_final", k),
        op.min_final("min_final", k),
        op.collect("collect", k, timedelta(seconds=1), 10),
        op.join("join", k, k, insert_mode="product", emit_mode="running"),
    ]
    windows = [
        win.fold_window("fold_window", k, CLOCK, TUMBLING, list, lambda a, v: a, lambda a, b: a),
        win.collect_window("collect_window", k, CLOCK, TUMBLING, into=set),
        win.reduce_window("reduce_window", k, CLOCK, TUMBLING, max),
        win.count_window("count_window", s, win.SystemClock(), TUMBLING, str),
        win.max_window("max_window", k, CLOCK, win.SessionWindower(timedelta(seconds=5))),
        win.min_window(
            "min_window", k, CLOCK, win.SlidingWindower(timedelta(seconds=4), timedelta(seconds=2), ALIGN)
        ),
        win.join_window("join_window", CLOCK, TUMBLING, k, k),
    ]
    downs = stateful + [wo.down for wo in windows] + [windows[0].late, windows[0].meta]
    op.output("out", op.merge("merge", *downs), TestingSink([]))
    return flow


def step_lines(steps, depth=0):
    """Each step as `op_type step_id ports`, indented by depth."""
    for step in steps:
        ports = [getattr(step, name) for name in step.ups_names + step.dwn_names]
        yield "  " * depth + f"{type(step).__name__} {step.step_id} {ports}"
        yield from step_lines(step.substeps, depth + 1)


FLOWS = {
    "branch_merge": branch_merge_flow,
    "join": join_flow,
    "window": window_flow,
    "custom": custom_flow,
}


def test_mermaid_branch_merge():
    assert to_mermaid(branch_merge_flow()) == textwrap.dedent(
        """\
        flowchart TD
        subgraph "bm (Dataflow)"
        bm.nums["nums (input)"]
        bm.even["even (branch)"]
        bm.nums -- "down → up" --> bm.even
        bm.double["double (map)"]
        bm.even -- "trues → up" --> bm.double
        bm.merge["merge (merge)"]
        bm.double -- "down → ups" --> bm.merge
        bm.even -- "falses → ups" --> bm.merge
        bm.out["out (output)"]
        bm.merge -- "down → up" --> bm.out
        end"""
    )


@pytest.mark.parametrize("name", FLOWS)
def test_mermaid(name):
    assert to_mermaid(FLOWS[name]()) == expected(f"{name}.mermaid")


@pytest.mark.parametrize("name", FLOWS)
def test_plantuml(name):
    assert to_plantuml(FLOWS[name]()) == expected(f"{name}.plantuml")


@pytest.mark.parametrize("name", FLOWS)
def test_plantuml_recursive(name):
    assert to_plantuml(FLOWS[name](), recursive=True) == expected(f"{name}_r.plantuml")


@pytest.mark.parametrize("name", FLOWS)
def test_json(name):
    assert to_json(FLOWS[name]()) == expected(f"{name}.json")


def test_every_operator_nests_its_steps_as_in_bytewax():
    lines = step_lines(all_operators_flow().substeps)
    assert "\n".join(lines) + "\n" == expected("all_operators.steps")


def test_json_of_an_empty_flow():
    assert json.loads(to_json(Dataflow("empty"))) == {
        "typ": "RenderedDataflow",
        "flow_id": "empty",
        "substeps": [],
    }


def test_rendered_ports_link_to_where_streams_come_from():
    rendered = to_rendered(branch_merge_flow())
    assert isinstance(rendered, RenderedDataflow)
    merge = rendered.substeps[3]
    assert isinstance(merge, RenderedOperator)
    assert merge.inp_ports == [
        RenderedPort(
            "ups",
            "bm.merge.ups",
            ["bm.double.down", "bm.even.falses"],
            ["bm.double.flat_map_batch.down", "bm.even.falses"],
        )
    ]


@pytest.fixture
def flow_module(tmp_path, monkeypatch):
    (tmp_path / "small_flow.py").write_text(
        textwrap.dedent(
            """
            import bytewax.operators as op
            from bytewax.dataflow import Dataflow
            from bytewax.testing import TestingSource

            flow = Dataflow("small")
            op.inspect("show", op.input("inp", flow, TestingSource([1])))
            """
        )
    )
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    sys.modules.pop("small_flow", None)


def visualize_main(monkeypatch, capsys, *args):
    monkeypatch.setattr(sys, "argv", ["bytewax.visualize", *args])
    # Run it afresh as `__main__`, as `python -m` does.
    monkeypatch.delitem(sys.modules, "bytewax.visualize")
    runpy.run_module("bytewax.visualize", run_name="__main__")
    return capsys.readouterr().out


def test_main_prints_mermaid_by_default(flow_module, monkeypatch, capsys):
    assert visualize_main(monkeypatch, capsys, "small_flow.py") == textwrap.dedent(
        """\
        flowchart TD
        subgraph "small (Dataflow)"
        small.inp["inp (input)"]
        small.show["show (inspect)"]
        small.inp -- "down → up" --> small.show
        end
        """
    )


def test_main_prints_recursive_plantuml(flow_module, monkeypatch, capsys):
    out = visualize_main(monkeypatch, capsys, "small_flow:flow", "-o", "plantuml", "-r")
    assert out == textwrap.dedent(
        """\
        @startuml
        component small.inp [
            small.inp (input)
        ]
        component small.inp {
            portout small.inp.down
        }
        component small.show [
            small.show (inspect)
        ]
        component small.show {
            portin small.show.up
            portout small.show.down
            small.inp.down --> small.show.up : small.inp.down
            component small.show.inspect_debug [
                small.show.inspect_debug (inspect_debug)
            ]
            component small.show.inspect_debug {
                portin small.show.inspect_debug.up
                portout small.show.inspect_debug.down
                small.show.up --> small.show.inspect_debug.up : small.inp.down
            }
            small.show.inspect_debug.down --> small.show.down : small.show.inspect_debug.down
        }
        @enduml
        """
    )


def test_main_prints_json(flow_module, monkeypatch, capsys):
    out = visualize_main(monkeypatch, capsys, "small_flow.py", "--output-format", "json")
    assert json.loads(out)["substeps"][1]["substeps"][0]["step_id"] == "small.show.inspect_debug"
