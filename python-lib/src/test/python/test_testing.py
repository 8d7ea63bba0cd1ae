from datetime import datetime, timedelta, timezone

import pytest

import bytewax.operators as op
from bytewax.inputs import (
    AbortExecution,
    DynamicSource,
    FixedPartitionedSource,
    SimplePollingSource,
    StatefulSourcePartition,
    StatelessSourcePartition,
    batch,
    batch_getter,
    batch_getter_ex,
)
from bytewax.errors import BytewaxRuntimeError
from bytewax.outputs import DynamicSink, FixedPartitionedSink, StatefulSinkPartition, StatelessSinkPartition
from bytewax.testing import (
    TestingSink,
    TestingSource,
    TimeTestingGetter,
    cluster_main,
    ffwd_iter,
    poll_next_batch,
    run_main,
)


def test_testing_source_batches(flow):
    out = []
    s = op.input("inp", flow, TestingSource(range(5), batch_size=2))
    op.output("out", op.flat_map_batch("b", s, lambda b: [b]), TestingSink(out))
    run_main(flow)
    assert out == [[0, 1], [2, 3], [4]]


def test_testing_source_eof_ends_input_and_counts_in_snapshot():
    part = TestingSource([1, TestingSource.EOF(), 2]).build_part("s", "iterable", None)
    assert part.next_batch() == [1]
    assert part.next_batch() == []
    assert part.snapshot() == 2
    with pytest.raises(StopIteration):
        part.next_batch()
    resumed = TestingSource([1, TestingSource.EOF(), 2]).build_part("s", "iterable", 2)
    assert resumed.next_batch() == [2]


def test_testing_source_eof_in_a_flow(flow):
    out = []
    s = op.input("inp", flow, TestingSource([1, 2, TestingSource.EOF(), 3]))
    op.output("out", s, TestingSink(out))
    run_main(flow)
    assert out == [1, 2]


def test_testing_source_abort_stops_without_error_once(flow):
    out = []
    inp = [1, 2, TestingSource.ABORT(), 3]
    s = op.input("inp", flow, TestingSource(inp))
    op.output("out", s, TestingSink(out))
    run_main(flow)
    assert out == [1, 2]
    out.clear()
    run_main(flow)
    assert out == [1, 2, 3]


def test_marker_must_be_instantiated():
    with pytest.raises(ValueError, match="must be instantiated"):
        TestingSource([1, TestingSource.EOF])


def test_testing_source_pause_sets_next_awake():
    part = TestingSource([1, TestingSource.PAUSE(timedelta(seconds=5)), 2]).build_part(
        "s", "iterable", None
    )
    assert part.next_batch() == [1]
    before = datetime.now(timezone.utc)
    assert part.next_batch() == []
    awake = part.next_awake()
    assert before + timedelta(seconds=4) < awake <= datetime.now(timezone.utc) + timedelta(seconds=5)
    assert part.next_batch() == [2]


def test_ffwd_iter():
    it = iter(range(5))
    ffwd_iter(it, 2)
    assert next(it) == 2


def test_time_testing_getter():
    t = TimeTestingGetter(datetime(2024, 1, 1, tzinfo=timezone.utc))
    t.advance(timedelta(seconds=3))
    assert t.get() == datetime(2024, 1, 1, 0, 0, 3, tzinfo=timezone.utc)


def test_poll_next_batch_times_out():
    class Never(StatelessSourcePartition):
        def next_batch(self):
            return []

    with pytest.raises(TimeoutError):
        poll_next_batch(Never(), timeout=timedelta(milliseconds=20))


def test_cluster_main_with_no_addresses_runs_in_process(flow, capsys):
    s = op.input("inp", flow, TestingSource(range(3)))
    op.inspect("show", s)
    cluster_main(flow, [], 0)
    assert capsys.readouterr().out == "test_df.show: 0\ntest_df.show: 1\ntest_df.show: 2\n"


def test_cluster_main_workers_share_one_sink_list(flow):
    out = []
    words = op.input("inp", flow, TestingSource(["b", "a", "c", "a", "b", "a"] * 10))
    counts = op.count_final("count", words, lambda w: w)
    op.output("out", counts, TestingSink(out))
    cluster_main(flow, [], 0, worker_count_per_proc=3)
    assert sorted(out) == [("a", 30), ("b", 20), ("c", 10)]


def test_each_key_is_counted_by_one_worker(flow):
    seen = []
    words = op.input("inp", flow, TestingSource([str(i % 7) for i in range(70)], batch_size=4))
    counts = op.count_final("count", words, lambda w: w)
    op.inspect_debug("owner", counts, lambda step_id, item, epoch, worker: seen.append((item[0], worker)))
    op.output("out", counts, TestingSink([]))
    cluster_main(flow, [], 0, worker_count_per_proc=2)
    assert sorted(k for k, _ in seen) == [str(i) for i in range(7)]
    assert {w for _, w in seen} == {0, 1}


def test_worker_count_must_be_positive(flow):
    s = op.input("inp", flow, TestingSource([1]))
    op.inspect("show", s)
    with pytest.raises(ValueError, match="worker count must be at least 1; got 0"):
        cluster_main(flow, [], 0, worker_count_per_proc=0)


def test_batch_helpers():
    assert list(batch(range(5), 2)) == [[0, 1], [2, 3], [4]]
    items = iter([1, 2, None, 3])
    getter = batch_getter(lambda: next(items), 5)
    assert next(getter) == [1, 2]
    assert next(getter) == [3]
    import queue

    q = queue.Queue()
    for i in range(3):
        q.put(i)
    assert next(batch_getter_ex(q.get_nowait, 2)) == [0, 1]


class Countdown(StatefulSourcePartition):
    def __init__(self, name, n):
        self._name = name
        self._n = n

    def next_batch(self):
        if self._n == 0:
            raise StopIteration()
        self._n -= 1
        return [f"{self._name}{self._n}"]

    def snapshot(self):
        return self._n


class TwoParts(FixedPartitionedSource):
    def list_parts(self):
        return ["x", "y"]

    def build_part(self, step_id, for_part, resume_state):
        return Countdown(for_part, 2)


def test_user_fixed_partitioned_source(flow):
    out = []
    op.output("out", op.input("inp", flow, TwoParts()), TestingSink(out))
    run_main(flow)
    assert out == ["x1", "y1", "x0", "y0"]


class Worker(StatelessSourcePartition):
    def __init__(self, worker_index, worker_count):
        self._items = [f"w{worker_index}/{worker_count}"]

    def next_batch(self):
        if not self._items:
            raise StopIteration()
        return [self._items.pop()]


class PerWorker(DynamicSource):
    def build(self, step_id, worker_index, worker_count):
        return Worker(worker_index, worker_count)


def test_user_dynamic_source(flow):
    out = []
    op.output("out", op.input("inp", flow, PerWorker()), TestingSink(out))
    run_main(flow)
    assert out == ["w0/1"]


def test_dynamic_source_is_polled_before_fixed_sources(flow):
    out = []
    fixed = op.input("fixed", flow, TestingSource(["f"]))
    dynamic = op.input("dyn", flow, PerWorker())
    op.output("out", op.merge("m", fixed, dynamic), TestingSink(out))
    run_main(flow)
    assert out == ["w0/1", "f"]


def test_source_must_subclass_source(flow):
    with pytest.raises(TypeError, match="source must subclass `bytewax.inputs.Source`"):
        op.input("inp", flow, [1, 2])


def test_sink_must_subclass_sink(flow):
    s = op.input("inp", flow, TestingSource([1]))
    with pytest.raises(TypeError, match="sink must subclass `bytewax.outputs.Sink`"):
        op.output("out", s, [])


def test_next_batch_must_return_iterable(flow):
    class Bad(StatelessSourcePartition):
        def next_batch(self):
            return 5

    class BadSource(DynamicSource):
        def build(self, step_id, worker_index, worker_count):
            return Bad()

    op.output("out", op.input("inp", flow, BadSource()), TestingSink([]))
    with pytest.raises(BytewaxRuntimeError) as info:
        run_main(flow)
    assert str(info.value) == (
        'error calling `StatelessSourcePartition.next_batch` in step "test_df.inp"'
    )
    assert str(info.value.__cause__) == "`next_batch` must return an iterable; got a `int` instead"


def test_next_batch_errors_name_the_partition(flow):
    class Boom(StatefulSourcePartition):
        def next_batch(self):
            raise ValueError("broken")

        def snapshot(self):
            return None

    class BoomSource(FixedPartitionedSource):
        def list_parts(self):
            return ["p0"]

        def build_part(self, step_id, for_part, resume_state):
            return Boom()

    op.output("out", op.input("inp", flow, BoomSource()), TestingSink([]))
    with pytest.raises(BytewaxRuntimeError) as info:
        run_main(flow)
    assert str(info.value) == (
        'error calling `StatefulSourcePartition.next_batch` in step "test_df.inp" '
        'for partition "p0"'
    )
    assert isinstance(info.value.__cause__, ValueError)


def test_abort_execution_from_a_user_source(flow):
    class Abort(StatelessSourcePartition):
        def next_batch(self):
            raise AbortExecution()

    class AbortSource(DynamicSource):
        def build(self, step_id, worker_index, worker_count):
            return Abort()

    op.output("out", op.input("inp", flow, AbortSource()), TestingSink([]))
    run_main(flow)


class Polled(SimplePollingSource):
    def __init__(self):
        super().__init__(timedelta(milliseconds=10))
        self._n = 0

    def next_item(self):
        self._n += 1
        if self._n == 2:
            return None
        if self._n == 4:
            raise StopIteration()
        return self._n


def test_simple_polling_source(flow):
    out = []
    op.output("out", op.input("inp", flow, Polled()), TestingSink(out))
    run_main(flow)
    assert out == [1, 3]


class Parts(FixedPartitionedSink):
    def __init__(self, written):
        self._written = written

    def list_parts(self):
        return ["p0", "p1"]

    def part_fn(self, item_key):
        return 0 if item_key == "a" else 1

    def build_part(self, step_id, for_part, resume_state):
        written = self._written

        class Part(StatefulSinkPartition):
            def write_batch(self, values):
                written.append((for_part, list(values)))

            def snapshot(self):
                return None

        return Part()


def test_fixed_partitioned_sink_routes_by_key(flow):
    written = []
    s = op.input("inp", flow, TestingSource([("a", 1), ("b", 2), ("a", 3)], batch_size=3))
    op.output("out", s, Parts(written))
    run_main(flow)
    assert written == [("p0", [1, 3]), ("p1", [2])]


def test_fixed_partitioned_sink_items_reach_the_partitions_worker(flow):
    # Three workers: the source sits on worker 2, which also holds p0; p1 is worker 1's.
    written = []
    s = op.input("inp", flow, TestingSource([("a", 1), ("b", 2), ("a", 3)], batch_size=3))
    op.output("out", s, Parts(written))
    cluster_main(flow, [], 0, worker_count_per_proc=3)
    assert sorted(written) == [("p0", [1, 3]), ("p1", [2])]


def test_epoch_interval_must_be_timedelta(flow):
    op.output("out", op.input("inp", flow, TestingSource([1])), TestingSink([]))
    with pytest.raises(TypeError, match="epoch interval must be a `datetime.timedelta`"):
        run_main(flow, epoch_interval=5)


def test_setup_tracing_levels():
    from bytewax.tracing import TracingConfig, setup_tracing

    tracer = setup_tracing(log_level="WARN")
    assert tracer.log_level == "WARN"
    with pytest.raises(ValueError, match="log level must be one of"):
        setup_tracing(log_level="LOUD")
    with pytest.raises(TypeError, match="Unknown tracing_config type: TracingConfig"):
        setup_tracing(TracingConfig())
    setup_tracing(log_level="ERROR")


def test_setup_tracing_refuses_what_the_exporter_cannot_use():
    from bytewax.tracing import OtlpTracingConfig, setup_tracing

    with pytest.raises(ValueError, match="`url` must look like .* got 'localhost:4317'"):
        setup_tracing(OtlpTracingConfig("svc", url="localhost:4317"))
    with pytest.raises(ValueError, match="`sampling_ratio` must be a number from 0.0 to 1.0; got 2"):
        setup_tracing(OtlpTracingConfig("svc", sampling_ratio=2))


def test_batch_async_batches_an_async_iterator():
    from bytewax.inputs import batch_async

    async def numbers():
        for i in range(5):
            yield i

    assert list(batch_async(numbers(), timedelta(seconds=1), 2)) == [[0, 1], [2, 3], [4]]
