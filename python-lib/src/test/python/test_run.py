import re
import sys
import textwrap
from datetime import timedelta

import pytest

from bytewax.run import _import_dataflow, _parse_args, _prepare_import


@pytest.fixture
def module_dir(tmp_path, monkeypatch):
    (tmp_path / "my_flows.py").write_text(
        textwrap.dedent(
            """
            import bytewax.operators as op
            from bytewax.dataflow import Dataflow
            from bytewax.testing import TestingSource

            def make(name, n=1):
                flow = Dataflow(name)
                op.inspect("show", op.input("inp", flow, TestingSource(range(n))))
                return flow

            flow = make("default")
            other = make("other")
            not_a_flow = 5
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    sys.modules.pop("my_flows", None)


def test_default_attribute_is_flow(module_dir):
    assert _import_dataflow("my_flows").flow_id == "default"


def test_named_attribute(module_dir):
    assert _import_dataflow("my_flows:other").flow_id == "other"


def test_factory_with_literal_arguments(module_dir):
    assert _import_dataflow("my_flows:make('made', 2)").flow_id == "made"


def test_file_path(module_dir):
    assert _import_dataflow(str(module_dir / "my_flows.py")).flow_id == "default"


def test_missing_attribute(module_dir):
    with pytest.raises(AttributeError, match=re.escape("Failed to find attribute 'nope' in 'my_flows'.")):
        _import_dataflow("my_flows:nope")


def test_non_literal_arguments(module_dir):
    with pytest.raises(ValueError, match="Failed to parse arguments as literal values"):
        _import_dataflow("my_flows:make(x)")


def test_not_a_dataflow(module_dir):
    with pytest.raises(RuntimeError, match="A valid Bytewax dataflow was not obtained"):
        _import_dataflow("my_flows:not_a_flow")


def test_bad_factory_call(module_dir):
    with pytest.raises(TypeError, match="could not be called with the specified arguments"):
        _import_dataflow("my_flows:make(1, 2, 3)")


def test_cli_flags_and_env(monkeypatch):
    monkeypatch.setenv("BYTEWAX_WORKERS_PER_PROCESS", "3")
    args = _parse_args(["flow.py", "-s", "5"])
    assert args.workers_per_process == 3
    assert args.snapshot_interval == timedelta(seconds=5)


def test_a_stateful_set_pod_is_the_process_its_name_ends_in(monkeypatch, tmp_path):
    hosts = tmp_path / "hosts.txt"
    hosts.write_text("wax-0.wax:2101\n\nwax-1.wax:2101\n")
    monkeypatch.setenv("BYTEWAX_HOSTFILE_PATH", str(hosts))
    monkeypatch.setenv("BYTEWAX_STATEFULSET_NAME", "wax")
    monkeypatch.setenv("BYTEWAX_POD_NAME", "wax-1")
    args = _parse_args(["flow.py"])
    assert (args.process_id, args.addresses) == (1, "wax-0.wax:2101;wax-1.wax:2101")


def test_a_hostfile_alone_does_not_make_a_cluster(monkeypatch, tmp_path):
    hosts = tmp_path / "hosts.txt"
    hosts.write_text("a:1\nb:2\n")
    monkeypatch.setenv("BYTEWAX_HOSTFILE_PATH", str(hosts))
    args = _parse_args(["flow.py"])
    assert (args.process_id, args.addresses) == (None, None)


def test_prepare_import_names_the_module_and_puts_its_root_on_the_path(module_dir):
    package = module_dir / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "flows.py").write_text("")
    assert _prepare_import(str(package / "flows.py")) == ("pkg.flows", "flow")
    assert sys.path[0] == str(module_dir)
    assert _prepare_import("pkg.flows:other") == ("pkg.flows", "other")


def test_recovery_needs_snapshot_and_backup(capsys):
    with pytest.raises(SystemExit) as info:
        _parse_args(["flow.py", "-r", "/tmp/db"])
    assert info.value.code == 2
    assert "-s/--snapshot_interval" in capsys.readouterr().err
