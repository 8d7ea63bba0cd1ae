import re

import pytest

import bytewax.operators as op
from bytewax.errors import BytewaxRuntimeError
from bytewax.operators.helpers import map_dict_value
from bytewax.testing import TestingSink, TestingSource, run_main


def run(flow, stream):
    out = []
    op.output("out", stream, TestingSink(out))
    run_main(flow)
    return out


def test_map(flow):
    s = op.input("inp", flow, TestingSource([0, 1, 2]))
    assert run(flow, op.map("m", s, lambda x: x + 10)) == [10, 11, 12]


def test_flat_map(flow):
    s = op.input("inp", flow, TestingSource(["a b", "", "c"]))
    assert run(flow, op.flat_map("split", s, str.split)) == ["a", "b", "c"]


def test_flat_map_batch_sees_whole_batches(flow):
    s = op.input("inp", flow, TestingSource([1, 2, 3, 4, 5], batch_size=2))
    assert run(flow, op.flat_map_batch("sizes", s, lambda b: [len(b)])) == [2, 2, 1]


def test_filter(flow):
    s = op.input("inp", flow, TestingSource(range(6)))
    assert run(flow, op.filter("even", s, lambda x: x % 2 == 0)) == [0, 2, 4]


def test_filter_requires_bool(flow):
    s = op.input("inp", flow, TestingSource([1]))
    run_s = op.filter("f", s, lambda x: 1)
    with pytest.raises(BytewaxRuntimeError) as info:
        run(flow, run_s)
    assert str(info.value) == 'error calling `mapper` in step "test_df.f.flat_map.flat_map_batch"'
    inner = info.value.__cause__
    assert str(inner) == "error while iterating through batch"
    assert isinstance(inner.__cause__, TypeError)
    assert re.match(
        r"return value of `predicate` .* in step 'test_df.f' must be a `bool`; "
        r"got a <class 'int'> instead",
        str(inner.__cause__),
    )


def test_filter_map(flow):
    s = op.input("inp", flow, TestingSource([1, 2, 3]))
    got = run(flow, op.filter_map("fm", s, lambda x: None if x == 2 else x * 10))
    assert got == [10, 30]


def test_flatten(flow):
    s = op.input("inp", flow, TestingSource([[1, 2], (), [3]]))
    assert run(flow, op.flatten("flat", s)) == [1, 2, 3]


def test_flatten_requires_iterables(flow):
    s = op.input("inp", flow, TestingSource([1]))
    with pytest.raises(BytewaxRuntimeError) as info:
        run(flow, op.flatten("flat", s))
    msg = "step 'test_df.flat' requires upstream to be iterables; got a <class 'int'> instead"
    assert str(info.value.__cause__.__cause__) == msg


def test_key_on_and_key_rm(flow):
    s = op.input("inp", flow, TestingSource(["apple", "bob"]))
    keyed = op.key_on("k", s, lambda w: w[0])
    assert run(flow, op.key_rm("rm", op.inspect("show", keyed))) == ["apple", "bob"]


def test_key_on_requires_str(flow):
    s = op.input("inp", flow, TestingSource([1]))
    with pytest.raises(BytewaxRuntimeError) as info:
        run(flow, op.key_on("k", s, lambda x: x))
    assert re.match(
        r"return value of `key` .* in step 'test_df.k' must be a `str`; got a <class 'int'> instead",
        str(info.value.__cause__.__cause__),
    )


def test_value_operators(flow):
    s = op.input("inp", flow, TestingSource([("a", 1), ("b", 2), ("a", 3)]))
    s = op.map_value("mv", s, lambda v: v * 10)
    s = op.filter_value("fv", s, lambda v: v != 20)
    s = op.flat_map_value("fmv", s, lambda v: [v, v + 1])
    s = op.filter_map_value("fmv2", s, lambda v: None if v == 31 else v)
    assert run(flow, s) == [("a", 10), ("a", 11), ("a", 30)]


def test_map_dict_value(flow):
    s = op.input("inp", flow, TestingSource([{"n": 1}]))
    assert run(flow, op.map("m", s, map_dict_value("n", lambda n: n + 1))) == [{"n": 2}]


def test_branch(flow):
    s = op.input("inp", flow, TestingSource(range(5)))
    b = op.branch("b", s, lambda x: x % 2 == 0)
    evens, odds = [], []
    op.output("evens", b.trues, TestingSink(evens))
    op.output("odds", b.falses, TestingSink(odds))
    run_main(flow)
    assert (evens, odds) == ([0, 2, 4], [1, 3])


def test_branch_requires_bool(flow):
    s = op.input("inp", flow, TestingSource([1]))
    b = op.branch("b", s, lambda x: "yes")
    op.output("out", b.trues, TestingSink([]))
    with pytest.raises(BytewaxRuntimeError) as info:
        run_main(flow)
    assert str(info.value) == 'error calling predicate in step "test_df.b"'
    assert str(info.value.__cause__) == (
        'return value of `predicate` in step "test_df.b" must be a `bool`; '
        "got a `str` instead"
    )


def test_merge_interleaves_inputs(flow):
    a = op.input("a", flow, TestingSource([1, 2]))
    b = op.input("b", flow, TestingSource([3, 4]))
    assert run(flow, op.merge("m", a, b)) == [1, 3, 2, 4]


def test_merge_needs_an_upstream(flow):
    with pytest.raises(TypeError, match="requires at least one upstream"):
        op.merge("m")


def test_redistribute_keeps_items(flow):
    s = op.input("inp", flow, TestingSource([1, 2, 3]))
    assert run(flow, op.redistribute("r", s)) == [1, 2, 3]


def test_inspect_prints_step_and_item(flow, capsys):
    s = op.input("inp", flow, TestingSource(["a", 1]))
    run(flow, op.inspect("show", s))
    assert capsys.readouterr().out == "test_df.show: 'a'\ntest_df.show: 1\n"


def test_inspect_with_custom_inspector(flow):
    seen = []
    s = op.input("inp", flow, TestingSource([1]))
    run(flow, op.inspect("show", s, lambda step_id, x: seen.append((step_id, x))))
    assert seen == [("test_df.show", 1)]


def test_inspect_debug_prints_worker_and_epoch(flow, capsys):
    s = op.input("inp", flow, TestingSource([1, 2]))
    run(flow, op.inspect_debug("dbg", s))
    assert capsys.readouterr().out == "test_df.dbg W0 @1: 1\ntest_df.dbg W0 @1: 2\n"


def test_raises_fails_on_an_item(flow):
    s = op.input("inp", flow, TestingSource([5]))
    op.raises("never", s)
    with pytest.raises(BytewaxRuntimeError) as info:
        run_main(flow)
    assert str(info.value.__cause__) == "`raises` step 'test_df.never' got an item: 5"


def test_raises_passes_on_empty_stream(flow):
    s = op.input("inp", flow, TestingSource([]))
    op.raises("never", s)
    run_main(flow)


def test_mapper_error_keeps_user_exception_as_cause(flow):
    class MyError(Exception):
        pass

    def boom(x):
        raise MyError(x)

    s = op.input("inp", flow, TestingSource([7]))
    with pytest.raises(BytewaxRuntimeError) as info:
        run(flow, op.map("m", s, boom))
    assert str(info.value) == 'error calling `mapper` in step "test_df.m.flat_map_batch"'
    assert isinstance(info.value.__cause__.__cause__, MyError)


def test_flat_map_batch_must_return_iterable(flow):
    s = op.input("inp", flow, TestingSource([1]))
    with pytest.raises(BytewaxRuntimeError) as info:
        run(flow, op.flat_map_batch("fmb", s, lambda b: 5))
    assert str(info.value) == 'error calling `mapper` in step "test_df.fmb"'
    assert str(info.value.__cause__) == "mapper must return an iterable; got a `int` instead"
