"""Recovery through the Python API: resume after a failure or EOF, rescale, errors, serdes."""

import json
import shutil
from datetime import datetime, timedelta, timezone

import pytest

import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.errors import BytewaxRuntimeError
from bytewax.recovery import (
    InconsistentPartitionsError,
    MissingPartitionsError,
    NoPartitionsError,
    RecoveryConfig,
    init_db_dir,
)
from bytewax.testing import TestingSink, TestingSource, cluster_main, run_main

FAIL_ON = {"value": None}


def _summing_flow(items, out):
    """Running sums per key; the mapper raises on the item `FAIL_ON` names (a crash)."""

    def check(item):
        if item == FAIL_ON["value"]:
            raise RuntimeError("crash")
        return item

    def add(total, x):
        total = (total or 0) + x[1]
        return total, total

    flow = Dataflow("sums")
    s = op.map("check", op.input("inp", flow, TestingSource(items, batch_size=1)), check)
    keyed = op.key_on("key", s, lambda x: x[0])
    op.output("out", op.stateful_map("sum", keyed, add), TestingSink(out))
    return flow


ITEMS = [("a", 1), ("b", 10), ("a", 2), ("b", 20), ("a", 3), ("b", 30), ("a", 4)]
# What a run without crashes prints.
SUMS = [("a", 1), ("b", 10), ("a", 3), ("b", 30), ("a", 6), ("b", 60), ("a", 10)]


@pytest.fixture
def db(tmp_path):
    init_db_dir(tmp_path, 2)
    FAIL_ON["value"] = None
    return tmp_path


def test_a_run_after_the_end_resumes_there_and_continues_with_new_input(db):
    out = []
    run_main(_summing_flow(ITEMS, out), recovery_config=RecoveryConfig(db))
    assert out == SUMS
    out.clear()
    run_main(_summing_flow([*ITEMS, ("a", 100)], out), recovery_config=RecoveryConfig(db))
    assert out == [("a", 110)]


def test_a_failed_run_resumes_from_its_last_snapshot_with_nothing_lost(db):
    out = []
    FAIL_ON["value"] = ("a", 3)
    # One item per epoch: every item before the failure is committed.
    with pytest.raises(BytewaxRuntimeError):
        run_main(_summing_flow(ITEMS, out), epoch_interval=timedelta(0, 0, 1), recovery_config=RecoveryConfig(db))
    assert out == SUMS[:4]
    FAIL_ON["value"] = None
    out.clear()
    run_main(_summing_flow(ITEMS, out), recovery_config=RecoveryConfig(db))
    # At least once: output after the last commit may repeat, state is exactly once.
    assert out[-3:] == SUMS[4:]
    assert set(out) <= set(SUMS)


def test_a_failure_before_any_snapshot_starts_again_from_the_beginning(db):
    out = []
    FAIL_ON["value"] = ("a", 3)
    with pytest.raises(BytewaxRuntimeError):
        run_main(_summing_flow(ITEMS, out), recovery_config=RecoveryConfig(db))
    FAIL_ON["value"] = None
    out.clear()
    run_main(_summing_flow(ITEMS, out), recovery_config=RecoveryConfig(db))
    assert out == SUMS


def test_resumed_keys_without_new_items_still_reach_the_end_of_input(db):
    """Built-in logics that never wake are rebuilt when needed: "b" gets no new item after the
    crash, and its fold and join state still come out at the end of input."""

    def build(out):
        def check(item):
            if item == FAIL_ON["value"]:
                raise RuntimeError("crash")
            return item

        flow = Dataflow("ends")
        items = [("b", 10), ("a", 1), ("b", 20), ("a", 2), ("a", 3), ("a", 4)]
        s = op.map("check", op.input("inp", flow, TestingSource(items, batch_size=1)), check)
        numbers = op.map_value("num", op.key_on("key", s, lambda x: x[0]), lambda x: x[1])
        doubled = op.map_value("double", numbers, lambda x: 2 * x)
        op.output("sums", op.fold_final("sum", numbers, lambda: 0, lambda acc, x: acc + x), TestingSink(out))
        op.output("joined", op.join("join", numbers, doubled, emit_mode="final"), TestingSink(out))
        return flow

    out = []
    FAIL_ON["value"] = ("a", 3)
    with pytest.raises(BytewaxRuntimeError):
        run_main(build(out), epoch_interval=timedelta(0, 0, 1), recovery_config=RecoveryConfig(db))
    assert out == []
    FAIL_ON["value"] = None
    run_main(build(out), recovery_config=RecoveryConfig(db))
    assert sorted(out, key=repr) == [("a", (4, 8)), ("a", 10), ("b", (20, 40)), ("b", 30)]


def test_the_worker_count_may_change_between_runs(db):
    out = []
    run_main(_summing_flow(ITEMS[:3], out), recovery_config=RecoveryConfig(db))
    cluster_main(_summing_flow(ITEMS[:5], out), [], 0, worker_count_per_proc=3, recovery_config=RecoveryConfig(db))
    cluster_main(_summing_flow(ITEMS, out), [], 0, worker_count_per_proc=2, recovery_config=RecoveryConfig(db))
    assert sorted(out) == sorted(SUMS)


class _JsonSerde:
    @staticmethod
    def ser(obj):
        return json.dumps(obj)

    @staticmethod
    def de(s):
        return json.loads(s)


def test_a_snapshot_serde_encodes_the_state(db):
    out = []
    config = RecoveryConfig(db, snapshot_serde=_JsonSerde())
    run_main(_summing_flow(ITEMS[:2], out), recovery_config=config)
    run_main(_summing_flow(ITEMS, out), recovery_config=config)
    assert out == SUMS


def test_a_missing_directory(tmp_path):
    with pytest.raises(FileNotFoundError, match="recovery directory .*none does not exist; please create it with `mkdir`"):
        init_db_dir(tmp_path / "none", 1)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        run_main(_summing_flow(ITEMS, []), recovery_config=RecoveryConfig(tmp_path / "none"))


def test_no_partitions(tmp_path):
    with pytest.raises(NoPartitionsError, match="^No recovery partitions found on any worker; can't resume$"):
        run_main(_summing_flow(ITEMS, []), recovery_config=RecoveryConfig(tmp_path))


def test_missing_partitions(tmp_path):
    init_db_dir(tmp_path, 3)
    shutil.rmtree(tmp_path / "part-1")
    with pytest.raises(MissingPartitionsError, match=r"^Missing recovery partitions \{1\} of 3; can't resume$"):
        run_main(_summing_flow(ITEMS, []), recovery_config=RecoveryConfig(tmp_path))


def test_a_partition_from_an_older_backup_is_inconsistent(db, tmp_path_factory):
    backup = tmp_path_factory.mktemp("backup")
    run_main(_summing_flow(ITEMS[:1], []), recovery_config=RecoveryConfig(db))
    shutil.copytree(db / "part-0", backup / "part-0")
    shutil.copytree(db / "part-1", backup / "part-1")
    for n in range(2, 6):
        run_main(_summing_flow(ITEMS[:n], []), recovery_config=RecoveryConfig(db))
    shutil.rmtree(db / "part-0")
    shutil.copytree(backup / "part-0", db / "part-0")
    with pytest.raises(InconsistentPartitionsError, match="too old to resume from epoch 2 without data loss"):
        run_main(_summing_flow(ITEMS, []), recovery_config=RecoveryConfig(db))


def test_bad_configs():
    with pytest.raises(TypeError, match="`backup_interval` must be a `datetime.timedelta`"):
        RecoveryConfig("/tmp", backup_interval=5)
    with pytest.raises(TypeError, match="`snapshot_serde` must have `ser` and `de` methods"):
        RecoveryConfig("/tmp", snapshot_serde=object())
    with pytest.raises(ValueError, match="partition count must be at least 1; got 0"):
        init_db_dir("/tmp", 0)


def _window_flow(items, out, wait):
    """Counts per key in 1-second event-time windows; the mapper raises on `FAIL_ON`'s item.

    The clock waits `wait` of system time for late items: slow runs must not make items late.
    """
    import bytewax.operators.windowing as win
    from datetime import datetime, timezone

    epoch = datetime(2024, 1, 1, tzinfo=timezone.utc)

    def check(item):
        if item == FAIL_ON["value"]:
            raise RuntimeError("crash")
        return item

    flow = Dataflow("windows")
    s = op.map("check", op.input("inp", flow, TestingSource(items, batch_size=1)), check)
    clock = win.EventClock(lambda x: epoch + timedelta(milliseconds=x[1]), wait_for_system_duration=wait)
    windower = win.TumblingWindower(length=timedelta(seconds=1), align_to=epoch)
    counts = win.count_window("count", s, clock, windower, lambda x: x[0])
    op.output("out", counts.down, TestingSink(out))
    return flow


def test_window_state_survives_a_crash(db):
    items = [("a", 0), ("a", 100), ("b", 150), ("a", 200), ("b", 5000)]
    out = []
    FAIL_ON["value"] = ("a", 200)
    hour = timedelta(hours=1)
    with pytest.raises(BytewaxRuntimeError):
        run_main(_window_flow(items, out, hour), epoch_interval=timedelta(0, 0, 1), recovery_config=RecoveryConfig(db))
    assert out == []
    FAIL_ON["value"] = None
    run_main(_window_flow(items, out, hour), recovery_config=RecoveryConfig(db))
    assert sorted(out) == [("a", (0, 3)), ("b", (0, 1)), ("b", (5, 1))]


def test_a_pending_window_closes_after_resume_without_new_data(db):
    # "z" opens a window and the run crashes; the resumed run pauses for 6 s before "b" comes.
    # The clocks wait 2 s, so z's window closes by system time within that pause (y's too): at
    # EOF it would close after "b"'s.
    items = [("z", 0), ("z", 100), ("y", 200), TestingSource.PAUSE(timedelta(seconds=6)), ("b", 100_000)]
    out = []
    FAIL_ON["value"] = ("y", 200)
    wait = timedelta(seconds=2)
    with pytest.raises(BytewaxRuntimeError):
        run_main(_window_flow(items, out, wait), epoch_interval=timedelta(0, 0, 1), recovery_config=RecoveryConfig(db))
    FAIL_ON["value"] = None
    run_main(_window_flow(items, out, wait), recovery_config=RecoveryConfig(db))
    assert sorted(out[:2]) == [("y", (0, 1)), ("z", (0, 2))]
    assert out[2:] == [("b", (100, 1))]


class _CountThenWake(op.StatefulLogic):
    """Counts a key's values; once resumed, asks to be woken at once and reports its count."""

    def __init__(self, state):
        self._count = state or 0
        self._resumed = state is not None

    def on_item(self, value):
        self._count += 1
        return [], False

    def on_notify(self):
        return [("woken", self._count)], True

    def on_eof(self):
        return [], False

    def notify_at(self):
        return datetime.now(timezone.utc) if self._resumed else None

    def snapshot(self):
        return self._count


def _counting_flow(builder, out):
    flow = Dataflow("wake")
    items = [("a", 1), ("a", 2), ("b", 3)]
    keyed = op.key_on("key", op.input("inp", flow, TestingSource(items)), lambda x: x[0])
    op.output("out", op.stateful("count", keyed, builder), TestingSink(out))
    return flow


def test_resumed_keys_are_asked_when_to_wake(db):
    out = []
    run_main(_counting_flow(_CountThenWake, out), recovery_config=RecoveryConfig(db))
    assert out == []
    # No new input: only the resumed keys' `notify_at` makes them emit.
    run_main(_counting_flow(_CountThenWake, out), recovery_config=RecoveryConfig(db))
    assert sorted(out) == [("a", ("woken", 2)), ("b", ("woken", 1))]


def test_a_builder_failing_on_resume_raises_its_own_error(db):
    def builder(state):
        if state == 2:
            msg = "cannot resume from 2"
            raise ValueError(msg)
        return _CountThenWake(state)

    out = []
    run_main(_counting_flow(builder, out), recovery_config=RecoveryConfig(db))
    with pytest.raises(ValueError, match="^cannot resume from 2$"):
        run_main(_counting_flow(builder, out), recovery_config=RecoveryConfig(db))
    assert out == []


class Account:
    """A user class whose instances recovery must keep."""

    def __init__(self, owner, balance):
        self.owner = owner
        self.balance = balance

    def __eq__(self, other):
        return type(other) is Account and vars(self) == vars(other)


def test_json_pickle_serde_round_trips_common_types_and_objects():
    from datetime import datetime, timezone

    from bytewax.serde import JsonPickleSerde

    values = [
        None, True, 3, 2**80, 1.5, float("inf"), "é", [1, [2]], {"a": 1}, {1: "x", "py/k": 2},
        (1, "a"), {1, 2}, frozenset({3}), b"\x00\xff", datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=timezone.utc),
        timedelta(days=1, microseconds=5), timezone(timedelta(hours=2)), Account("ann", [1, 2]),
    ]
    for value in values:
        text = JsonPickleSerde.ser(value)
        assert isinstance(text, str)
        back = JsonPickleSerde.de(text)
        assert back == value and type(back) is type(value), text
    assert JsonPickleSerde.ser((1, {"k": [None]})) == '{"py/tuple":[1,{"k":[null]}]}'
    nan = JsonPickleSerde.de(JsonPickleSerde.ser(float("nan")))
    assert nan != nan


def test_json_pickle_serde_keeps_state_between_runs(db):
    from bytewax.serde import JsonPickleSerde

    def add(acc, x):
        acc = acc or Account(x[0], 0)
        acc.balance += x[1]
        return acc, acc.balance

    def accounts(items, out):
        flow = Dataflow("accounts")
        keyed = op.key_on("key", op.input("inp", flow, TestingSource(items)), lambda x: x[0])
        op.output("out", op.stateful_map("acc", keyed, add), TestingSink(out))
        return flow

    out = []
    config = RecoveryConfig(db, snapshot_serde=JsonPickleSerde())
    run_main(accounts(ITEMS[:3], out), recovery_config=config)
    run_main(accounts(ITEMS, out), recovery_config=config)
    assert out == SUMS


def test_a_damaged_partition_is_reported_not_ignored(db):
    run_main(_summing_flow(ITEMS, []), recovery_config=RecoveryConfig(db))
    (db / "part-1" / "CURRENT").write_text("MANIFEST-999999\n")
    from bytewax.recovery import CorruptedPartitionError

    with pytest.raises(CorruptedPartitionError, match=r"^recovery partition 1 \(.*part-1\) is corrupted or unreadable: "):
        run_main(_summing_flow(ITEMS, []), recovery_config=RecoveryConfig(db))


def test_python_dash_m_bytewax_recovery_creates_partitions(tmp_path):
    from bytewax import recovery

    recovery._main([str(tmp_path), "3"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["part-0", "part-1", "part-2"]
    out = []
    run_main(_summing_flow(ITEMS, out), recovery_config=RecoveryConfig(tmp_path))
    assert out == SUMS
