"""The Ray executor gives the same samples, byte for byte, as the local one."""

from __future__ import annotations

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


def test_windows_start_small_and_grow_to_the_largest() -> None:
    blocks = [pa.table({"n": [i]}) for i in range(12)]
    windows = list(executors._windows(iter(blocks), 4))
    assert [len(w) for w in windows] == [1, 2, 4, 4, 1]
    assert [b for w in windows for b in w] == blocks  # every block, in order
