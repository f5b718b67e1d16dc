"""`purposely dataset` as a user meets it, with propagation from consent and import commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from purposely.cli import app
from tests.datasets.conftest import platform_lines
from tests.factories import write_jsonl

runner = CliRunner()


def run(*args: str, code: int = 0) -> Any:
    """``purposely ARGS``, checked for its exit code."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def run_json(*args: str) -> Any:
    """``purposely ARGS --json``, parsed."""
    return json.loads(run(*args, "--json").stdout)


def setup_platform(db_url: str) -> None:
    """A store holding the dataset tests' small platform."""
    run("init", "--db", db_url)
    run("ingest", "jsonl", str(write_jsonl(Path("p.jsonl"), platform_lines())), "--db", db_url)


def test_build_list_withdraw_show_rebuild(db_url: str) -> None:
    setup_platform(db_url)
    built = run_json(
        "dataset",
        "build",
        "train_ai_system",
        "--out",
        "snap",
        "--db",
        db_url,
        "--workers",
        "1",
        "--shard-rows",
        "5",
    )
    assert built["state"] == "ready" and built["counts"]["included"] == 33
    assert Path("snap/manifest.json").is_file()
    assert [s["snapshot_id"] for s in run_json("dataset", "list", "--db", db_url)] == [
        built["snapshot_id"]
    ]

    withdrawn = run_json("consent", "withdraw", "m1", "train_ai_system", "--db", db_url)
    assert withdrawn["stale_snapshots"] == {built["snapshot_id"]: {"withdrawn": 6}}
    shown = run("dataset", "show", built["snapshot_id"][:10], "--db", db_url).stdout
    assert "stale" in shown and "withdrawn" in shown and "rebuild" in shown

    imported = run_json(
        "ingest",
        "jsonl",
        str(write_jsonl(Path("d.jsonl"), [{"type": "delete", "id": "m2-p2"}])),
        "--db",
        db_url,
    )
    assert imported["stale_snapshots"] == {built["snapshot_id"]: {"deleted": 1}}

    rebuilt = run_json("dataset", "rebuild", built["snapshot_id"], "--out", "snap2", "--db", db_url)
    assert rebuilt["parent"] == built["snapshot_id"] and rebuilt["state"] == "ready"
    assert rebuilt["counts"]["included"] == 33 - 7
    states = {s["snapshot_id"]: s["state"] for s in run_json("dataset", "list", "--db", db_url)}
    assert states == {built["snapshot_id"]: "stale", rebuilt["snapshot_id"]: "ready"}


def test_human_output_says_where_and_what(sqlite_url: str) -> None:
    setup_platform(sqlite_url)
    out = run(
        "dataset", "build", "train_ai_system", "--out", "snap", "--db", sqlite_url, "--workers", "1"
    ).stdout
    assert "33 samples in 1 shards" in out and str(Path("snap").absolute()) in "".join(out.split())
    assert "EMAIL" in out and "duplicate_exact" in out
    listed = run("dataset", "list", "--db", sqlite_url).stdout
    assert "train_ai_system" in listed and "ready" in listed


def test_errors_exit_2_with_one_line(sqlite_url: str) -> None:
    setup_platform(sqlite_url)
    Path("taken").mkdir()
    Path("taken/file").write_text("x")
    for args, message in [
        (("dataset", "build", "train_ai_system", "--out", "taken"), "already exists"),
        (("dataset", "build", "sell_data", "--out", "new"), "unknown purpose"),
        (("dataset", "build", "third_party_sharing", "--out", "new"), "aggregates"),
        (
            ("dataset", "build", "train_ai_system", "--out", "new", "--executor", "spark"),
            "unknown executor",
        ),
        (("dataset", "show", "nope"), "no snapshot 'nope'"),
        (("dataset", "rebuild", "nope", "--out", "new"), "no snapshot 'nope'"),
    ]:
        result = run(*args, "--db", sqlite_url, code=2)
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not Path("new").exists()


def test_model_register_and_list(sqlite_url: str) -> None:
    setup_platform(sqlite_url)
    built = run_json("dataset", "build", "train_ai_system", "--out", "snap", "--db", sqlite_url)
    registered = run_json(
        "model", "register", "ranker", "--trained-on", built["snapshot_id"][:8], "--db", sqlite_url
    )
    assert registered["needs_retraining"] is False
    run("consent", "object", "m0", "train_ai_system", "--db", sqlite_url)
    (model,) = run_json("model", "list", "--db", sqlite_url)
    assert model["needs_retraining"] is True
    assert model["trained_on"][0]["stale"] == {"objected": 5}
    assert "needs retraining (5 objected)" in run("model", "list", "--db", sqlite_url).stdout
    again = run(
        "model",
        "register",
        "ranker",
        "--trained-on",
        built["snapshot_id"],
        "--db",
        sqlite_url,
        code=2,
    )
    assert "registered already" in again.stderr
