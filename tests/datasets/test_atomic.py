"""A snapshot appears whole or not at all, even when its build is killed midway."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from purposely.cli import app
from tests.factories import consent, post, subject, write_jsonl

POSTS = 40_000


def _store(url: str) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--db", url]).exit_code == 0
    lines = [subject(f"s{i}") for i in range(100)] + [
        consent(f"s{i}", "train_ai_system") for i in range(100)
    ]
    lines += [
        post(f"p{i}", f"s{i % 100}", text=f"post {i} says something new: {i * 7919}")
        for i in range(POSTS)
    ]
    result = runner.invoke(
        app, ["ingest", "jsonl", str(write_jsonl(Path("in.jsonl"), lines)), "--db", url]
    )
    assert result.exit_code == 0, result.stderr


def _build(url: str, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "purposely",
            "dataset",
            "build",
            "train_ai_system",
            "--out",
            str(out),
            "--db",
            url,
            "--workers",
            "1",
            "--shard-rows",
            "1000",
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ},
    )


def test_a_killed_build_leaves_nothing_under_the_final_name(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    _store(url)
    out = tmp_path / "snap"
    process = _build(url, out)
    deadline = time.monotonic() + 60
    staging: list[Path] = []
    while time.monotonic() < deadline and process.poll() is None:
        staging = [p for p in tmp_path.glob(".snap.partial-*") if any(p.iterdir())]
        if staging:
            break
        time.sleep(0.005)
    assert staging, "the build never got under way"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not out.exists()

    runner = CliRunner()
    listed = json.loads(runner.invoke(app, ["dataset", "list", "--db", url, "--json"]).stdout)
    assert listed == []

    again = _build(url, out)
    stdout, stderr = again.communicate(timeout=120)
    assert again.returncode == 0, stderr.decode()
    built = json.loads(stdout)
    excluded = built["counts"]["excluded"]
    duplicates = excluded.get("duplicate_exact", 0) + excluded.get("duplicate_near", 0)
    assert built["counts"]["included"] + duplicates == POSTS
    assert not list(tmp_path.glob(".snap.partial-*"))  # the dead build's leftovers are gone
    listed = json.loads(runner.invoke(app, ["dataset", "list", "--db", url, "--json"]).stdout)
    assert [s["snapshot_id"] for s in listed] == [built["snapshot_id"]]
