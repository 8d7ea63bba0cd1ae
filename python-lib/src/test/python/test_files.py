import re

import pytest

import bytewax.operators as op
from bytewax.connectors.files import CSVSource, DirSink, DirSource, FileSink, FileSource
from bytewax.errors import BytewaxRuntimeError
from bytewax.testing import TestingSink, TestingSource, run_main


def run(flow, stream):
    out = []
    op.output("out", stream, TestingSink(out))
    run_main(flow)
    return out


def test_file_source_reads_lines(flow, tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("one\ntwo\n\nthree")
    assert run(flow, op.input("inp", flow, FileSource(path))) == ["one", "two", "", "three"]


def test_file_source_resumes_from_byte_offset(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("one\ntwo\nthree\n")
    source = FileSource(path, batch_size=1)
    part = source.build_part("s", source.list_parts()[0], None)
    assert part.next_batch() == ["one"]
    offset = part.snapshot()
    assert offset == 4
    part.close()
    resumed = source.build_part("s", source.list_parts()[0], offset)
    assert resumed.next_batch() == ["two"]
    resumed.close()


def test_missing_file_names_the_path(flow, tmp_path):
    missing = tmp_path / "nope.txt"
    with pytest.raises(BytewaxRuntimeError) as info:
        run(flow, op.input("inp", flow, FileSource(missing)))
    assert str(info.value) == (
        'error calling `FixedPartitionedSource.list_parts` in step "test_df.inp"'
    )
    assert isinstance(info.value.__cause__, FileNotFoundError)
    assert str(missing) in str(info.value.__cause__)


def test_csv_source_reads_rows_as_dicts(flow, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("a;b\n1;x\n2;y\n")
    got = run(flow, op.input("inp", flow, CSVSource(path, delimiter=";")))
    assert got == [{"a": "1", "b": "x"}, {"a": "2", "b": "y"}]


def test_dir_source_reads_every_file(flow, tmp_path):
    (tmp_path / "a.txt").write_text("a1\na2\n")
    (tmp_path / "b.txt").write_text("b1\n")
    (tmp_path / "skip.log").write_text("no\n")
    got = run(flow, op.input("inp", flow, DirSource(tmp_path, glob_pat="*.txt", batch_size=1)))
    assert got == ["a1", "b1", "a2"]


def test_dir_source_missing_dir(tmp_path):
    with pytest.raises(ValueError, match=re.escape(f"input directory `{tmp_path / 'x'}` does not exist")):
        DirSource(tmp_path / "x")


def test_file_sink_writes_values(flow, tmp_path):
    path = tmp_path / "out.txt"
    s = op.input("inp", flow, TestingSource([("k", "a"), ("j", "b")]))
    op.output("out", s, FileSink(path))
    run_main(flow)
    assert path.read_text() == "a\nb\n"


def test_file_sink_resume_truncates(tmp_path):
    path = tmp_path / "out.txt"
    sink = FileSink(path)
    part = sink.build_part("s", str(path), None)
    part.write_batch(["a", "b"])
    offset = part.snapshot()
    part.write_batch(["c"])
    part.close()
    resumed = sink.build_part("s", str(path), offset)
    resumed.write_batch(["d"])
    resumed.close()
    assert path.read_text() == "a\nb\nd\n"


def test_dir_sink_spreads_keys_over_files(flow, tmp_path):
    s = op.input("inp", flow, TestingSource([("a", "1"), ("b", "2"), ("a", "3")]))
    op.output("out", s, DirSink(tmp_path, 2, assign_file=lambda k: 0 if k == "a" else 1))
    run_main(flow)
    assert (tmp_path / "part_0").read_text() == "1\n3\n"
    assert (tmp_path / "part_1").read_text() == "2\n"
