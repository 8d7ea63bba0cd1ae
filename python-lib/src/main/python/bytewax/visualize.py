"""Draw a dataflow's structure: `python -m bytewax.visualize IMPORT_STR`.

`to_mermaid` and `to_plantuml` write diagram code for Mermaid (https://mermaid.js.org/) and
PlantUML (https://plantuml.com/); `to_json` writes the `RenderedDataflow` of `to_rendered`, in
which every port knows the ports its streams come from.
"""

import argparse
import dataclasses
import json
import typing
from collections import ChainMap
from dataclasses import dataclass
from functools import singledispatch
from typing import Any, Dict, List, Literal

from bytewax.dataflow import Dataflow, Operator
from bytewax.run import _import_dataflow

__all__ = [
    "RenderedDataflow",
    "RenderedOperator",
    "RenderedPort",
    "to_json",
    "to_mermaid",
    "to_plantuml",
    "to_rendered",
]


@dataclass(frozen=True)
class RenderedPort:
    """A port, with the ids of the ports its streams come from."""

    port_name: str
    port_id: str
    from_port_ids: List[str]
    from_stream_ids: List[str]


@dataclass(frozen=True)
class RenderedOperator:
    """A step, with its ports rendered."""

    op_type: str
    step_name: str
    step_id: str
    inp_ports: List[RenderedPort]
    out_ports: List[RenderedPort]
    substeps: List["RenderedOperator"]


@dataclass(frozen=True)
class RenderedDataflow:
    """A dataflow, with the ports of all its steps rendered."""

    flow_id: str
    substeps: List[RenderedOperator]


def _ports(step: Operator, names: List[str]) -> Dict[str, Any]:
    return {name: getattr(step, name) for name in names}


def _origins(ports: Dict[str, Any]) -> Dict[str, str]:
    """Each stream of `ports`, to the id of the port it comes out of (or goes into)."""
    return {
        stream_id: port.port_id for port in ports.values() for stream_id in port.stream_ids.values()
    }


def _rendered_port(name: str, port: Any, origin: ChainMap, linked: bool = True) -> RenderedPort:
    stream_ids = list(port.stream_ids.values()) if linked else []
    return RenderedPort(name, port.port_id, [origin[s] for s in stream_ids], stream_ids)


def _render_step(step: Operator, origin: ChainMap) -> RenderedOperator:
    """Render `step`; `origin` maps each stream id seen so far to the port it comes from."""
    inputs = _ports(step, step.ups_names)
    outputs = _ports(step, step.dwn_names)
    inp_ports = [_rendered_port(name, port, origin) for name, port in inputs.items()]
    origin.update(_origins(outputs))
    # Inside the step, its upstreams come from its own input ports.
    inside = origin.new_child(_origins(inputs))
    substeps = [_render_step(substep, inside) for substep in step.substeps]
    # Outputs link to the substeps making them; a step without substeps links them to nothing.
    out_ports = [
        _rendered_port(name, port, inside, linked=bool(substeps)) for name, port in outputs.items()
    ]
    return RenderedOperator(
        type(step).__name__, step.step_name, step.step_id, inp_ports, out_ports, substeps
    )


def to_rendered(flow: Dataflow) -> RenderedDataflow:
    """The dataflow with every port linked to the ports its streams come from."""
    origin: ChainMap = ChainMap()
    return RenderedDataflow(flow.flow_id, [_render_step(step, origin) for step in flow.substeps])


@singledispatch
def _json_for(obj: Any) -> Any:
    """The JSON-ready form of `obj`; register a type with `@_json_for.register`."""
    raise TypeError()


@_json_for.register(RenderedDataflow)
@_json_for.register(RenderedOperator)
@_json_for.register(RenderedPort)
def _json_for_rendered(obj: Any) -> Dict:
    # `json` encodes the nested ones in turn.
    fields = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    return {"typ": type(obj).__name__, **fields}


class _Encoder(json.JSONEncoder):
    def default(self, o):
        try:
            return _json_for(o)
        except TypeError:
            return super().default(o)


def to_json(flow: Dataflow) -> str:
    """The `RenderedDataflow` of `flow` as JSON."""
    return json.dumps(to_rendered(flow), cls=_Encoder, indent=2)


def _links(port: RenderedPort) -> List[str]:
    return [
        f"{from_port_id} --> {port.port_id} : {stream_id}"
        for from_port_id, stream_id in zip(port.from_port_ids, port.from_stream_ids)
    ]


def _plantuml_step(step: RenderedOperator, recursive: bool) -> List[str]:
    inner = [f"portin {port.port_id}" for port in step.inp_ports]
    inner += [f"portout {port.port_id}" for port in step.out_ports]
    inner += [link for port in step.inp_ports for link in _links(port)]
    if recursive:
        for substep in step.substeps:
            inner += _plantuml_step(substep, recursive)
        inner += [link for port in step.out_ports for link in _links(port)]
    return [
        f"component {step.step_id} [",
        f"    {step.step_id} ({step.op_type})",
        "]",
        f"component {step.step_id} {{",
        *("    " + line for line in inner),
        "}",
    ]


def to_plantuml(flow: Dataflow, recursive: bool = False) -> str:
    """A PlantUML component diagram of `flow`; with `recursive`, steps show their substeps."""
    lines = ["@startuml"]
    for step in to_rendered(flow).substeps:
        lines += _plantuml_step(step, recursive)
    lines.append("@enduml")
    return "\n".join(lines)


def _mermaid_step(step: RenderedOperator, port_steps: Dict[str, tuple]) -> List[str]:
    lines = [f'{step.step_id}["{step.step_name} ({step.op_type})"]']
    for port in step.inp_ports:
        for from_port_id in port.from_port_ids:
            from_step, from_port = port_steps[from_port_id]
            lines.append(
                f'{from_step.step_id} -- "{from_port.port_name} → {port.port_name}" '
                f"--> {step.step_id}"
            )
    return lines


def to_mermaid(flow: Dataflow) -> str:
    """A Mermaid flowchart of `flow`'s top-level steps."""
    steps = to_rendered(flow).substeps
    port_steps = {
        port.port_id: (step, port) for step in steps for port in step.inp_ports + step.out_ports
    }
    lines = ["flowchart TD", f'subgraph "{flow.flow_id} (Dataflow)"']
    for step in steps:
        lines += _mermaid_step(step, port_steps)
    lines.append("end")
    return "\n".join(lines)


_Formats = Literal["json", "mermaid", "plantuml"]


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bytewax.visualize",
        description="""Generate a diagram of dataflow structure.

        You can pipe the output into a file to save it. You'll need to
        use the relevant program to convert the diagram code into a
        visualization.

        See https://mermaid.js.org/ and https://plantuml.com/ . The
        JSON format is bespoke and for debugging.""",
    )
    parser.add_argument(
        "import_str",
        type=str,
        help="Dataflow import string in the format "
        "<module_name>[:<dataflow_variable_or_factory>] "
        "Example: src.dataflow or src.dataflow:flow or "
        "src.dataflow:get_flow('string_argument')",
    )
    parser.add_argument(
        "-o",
        "--output-format",
        choices=typing.get_args(_Formats),
        default="mermaid",
        help="Output format to use; defaults to 'mermaid'",
    )
    parser.add_argument(
        "-r",
        "--recursive",
        action="store_true",
        help="""Show nested inner operators; defaults to not; always
        false for MermaidJS; always true for JSON""",
    )
    return parser.parse_args()


def _visualize_main(import_str: str, output_format: _Formats, recursive: bool) -> None:
    flow = _import_dataflow(import_str)
    if output_format == "json":
        out = to_json(flow)
    elif output_format == "mermaid":
        out = to_mermaid(flow)
    elif output_format == "plantuml":
        out = to_plantuml(flow, recursive)
    else:
        msg = f"unknown visualization type {output_format!r}"
        raise ValueError(msg)
    print(out)


if __name__ == "__main__":
    _visualize_main(**vars(_parse_args()))
