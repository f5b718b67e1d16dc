"""The Ray executor gives the same samples, byte for byte, as the local one."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest

from purposely.datasets import executors
from purposely.datasets.build import BuildOptions, build
from purposely.datasets.snapshot import read_manifest
from purposely.policy import Policy
from purposely.store import Store
from tests.datasets.conftest import TRAIN

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """A local Ray instance for this module (two CPUs, no dashboard)."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.mark.parametrize("windows", ["one", "several"])
def test_ray_and_local_executors_build_the_same_snapshot(
    local_ray: None,
    platform: Store,
    policy: Policy,
    windows: str,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    runs: list[int] = []
    run_window = executors._run_window
    monkeypatch.setattr(executors, "_run_window", lambda *a: (runs.append(1), run_window(*a))[1])
    if windows == "several":  # blocks of two batches, two blocks per Ray Data run
        monkeypatch.setattr(executors, "RAY_BLOCK_ROWS", 8)
        monkeypatch.setattr(executors, "RAY_WINDOW_BLOCKS", 2)
    build(
        platform,
        policy,
        TRAIN,
        Path("local"),
        caller="t",
        options=BuildOptions(executor="local", workers=2, shard_rows=10, batch_rows=4),
    )
    build(
        platform,
        policy,
        TRAIN,
        Path("ray"),
        caller="t",
        options=BuildOptions(executor="ray", shard_rows=10, batch_rows=4),
    )
    local, distributed = read_manifest(Path("local")), read_manifest(Path("ray"))
    assert distributed["executor"] == "ray"
    assert [s["sha256"] for s in distributed["shards"]] == [s["sha256"] for s in local["shards"]]
    assert distributed["counts"] == local["counts"]
    assert len(runs) == 1 if windows == "one" else len(runs) > 1
    printed = capfd.readouterr()
    assert "Dataset" not in printed.out + printed.err  # Ray Data's notes and progress: none


def one_row_batches(count: int, gate: threading.Event | None = None) -> Iterator[pa.RecordBatch]:
    """``count`` batches of one row; with ``gate``, the rest wait for it after the first."""
    for n in range(count):
        if n == 1 and gate is not None:
            gate.wait()
        yield pa.RecordBatch.from_pydict({"n": [n]})


def taken(windows: Iterator[list[pa.Table]]) -> list[list[int]]:
    """The rows of each window."""
    return [[n for block in window for n in block.column("n").to_pylist()] for window in windows]


def test_a_window_holds_the_blocks_that_have_arrived_up_to_the_largest() -> None:
    blocks = executors._Blocks(one_row_batches(10), rows=1)
    blocks._thread.join()  # every block has arrived
    assert taken(executors._windows(blocks, 4)) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_a_window_starts_with_the_first_block_when_the_rest_is_late() -> None:
    late = threading.Event()
    blocks = executors._Blocks(one_row_batches(3, late), rows=1)
    windows = executors._windows(blocks, 4)
    assert taken(iter([next(windows)])) == [[0]]
    late.set()
    blocks._thread.join()
    assert taken(windows) == [[1, 2]]


def test_a_failed_read_is_raised_to_whoever_takes_the_blocks() -> None:
    def failing() -> Iterator[pa.RecordBatch]:
        yield pa.RecordBatch.from_pydict({"n": [0]})
        raise ValueError("the stream broke")

    blocks = executors._Blocks(failing(), rows=1)
    blocks._thread.join()
    with pytest.raises(ValueError, match="the stream broke"):
        list(executors._windows(blocks, 4))


def doubled(batch: pa.RecordBatch) -> pa.RecordBatch:
    """A stand-in for the preparation: every value twice over."""
    return pa.RecordBatch.from_pydict({"n": [2 * n for n in batch.column("n").to_pylist()]})


def test_a_cluster_is_joined_and_warmed_up_on_a_thread_while_the_build_goes_on(
    local_ray: None,
) -> None:
    # The local instance is running, so "joining" it finds Ray ready; the thread still
    # imports, warms the workers up and hands Ray over.
    executor = executors.RayExecutor(address="127.0.0.1:6379")
    executor.start()
    assert len(executor._starting) == 1
    results = list(executor.map(doubled, one_row_batches(7)))
    assert [b.column("n").to_pylist() for b in results] == [[2 * n] for n in range(7)]
    assert executor._starting == []


def test_a_local_instance_is_started_on_the_builds_own_thread() -> None:
    # Its processes would be killed when a starting thread ended (parent-death signal).
    executor = executors.RayExecutor(address=None)
    executor.start()
    assert executor._starting == []
