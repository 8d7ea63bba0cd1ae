"""The smallest flows the held-out order check (tests/compat) found printing differently from
Bytewax 0.21.1, each pinned to what the reference oracle printed for it (repros.expected)."""

import importlib.util
from pathlib import Path

import pytest

COMPAT = Path(__file__).resolve().parents[4] / "tests" / "compat"
REPROS = sorted(p.stem for p in (COMPAT / "repros").glob("*.py"))


def _load_runner():
    spec = importlib.util.spec_from_file_location("_compat_run_corpus", COMPAT / "run_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _expected():
    """The oracle's output, per flow."""
    sections = {}
    name = None
    for line in (COMPAT / "repros.expected").read_text().splitlines():
        if line.startswith("=== "):
            name = line[4:]
            sections[name] = []
        else:
            sections[name].append(line)
    return sections


def test_every_repro_has_its_expected_output():
    assert sorted(_expected()) == REPROS


@pytest.mark.parametrize("name", REPROS)
def test_repro_prints_what_bytewax_prints(name, capsys):
    _load_runner().main([str(COMPAT / "repros"), name])
    assert capsys.readouterr().out.splitlines() == [f"=== {name}", *_expected()[name]]
