"""``purposely demo`` as a new user meets it: one command, a fresh store, a clear table."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from purposely.cli import app
from purposely.demo.run import MARKER_NAME
from purposely.gate import Gate
from purposely.policy import Policy, default_policy_text
from purposely.store import Store
from purposely.store.models import AuditEvent, ConsentEvent, Record, Subject
from purposely.taxonomy import label

runner = CliRunner()
SMALL = ("--subjects", "30", "--posts", "300")
DB = "sqlite:///purposely-demo/purposely.db"


def run(*args: str, code: int = 0, columns: int = 200) -> Any:
    """Invoke ``purposely ARGS`` on a terminal ``columns`` wide; check the exit code."""
    result = runner.invoke(app, list(args), env={"COLUMNS": str(columns)})
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


def counts(url: str) -> dict[str, int]:
    """How many rows the demo store holds, per table."""
    store = Store.open(url)
    with store.read() as conn:
        return {
            model.__tablename__: int(conn.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Subject, Record, ConsentEvent, AuditEvent)
        }


def test_demo_writes_imports_and_shows_every_purpose(policy: Policy) -> None:
    out = run("demo", *SMALL).stdout
    assert Path("purposely-demo/purposely.db").is_file()
    assert Path("purposely-demo/platform.jsonl").is_file()
    assert Path("purposely-demo", MARKER_NAME).is_file()
    unwrapped = "".join(out.split())  # narrow terminals fold long purpose keys
    for purpose in policy.purposes:
        assert purpose in unwrapped and "".join(label(purpose).split()) in unwrapped
    for reason in ("private", "minor", "objected", "withdrawn", "no consent"):
        assert reason in out
    assert "30 members" in out and "300 posts in German and English" in out
    assert f"export PURPOSELY_DB={DB}" in out
    assert "purposely audit verify" in out and "purposely --help" in out


def test_a_narrow_terminal_gets_a_table_that_fits(policy: Policy) -> None:
    out = run("demo", *SMALL, columns=80).stdout
    for purpose in policy.purposes:
        assert label(purpose) in out
    table = out[out.index("What may each purpose use?") : out.index("Withheld because:")]
    assert max(len(line.rstrip()) for line in table.splitlines()) <= 80
    assert "train_ai_system" in table and "identity_verification" in table


def test_a_second_run_starts_fresh() -> None:
    run("demo", *SMALL)
    first = counts(DB)
    assert first["audit_events"] == 6, "one question per purpose, and the dataset build"
    run("demo", *SMALL)
    assert counts(DB) == first


def test_another_seed_replaces_the_platform() -> None:
    run("demo", *SMALL)
    before = Path("purposely-demo/platform.jsonl").read_bytes()
    run("demo", *SMALL, "--seed", "8")
    assert Path("purposely-demo/platform.jsonl").read_bytes() != before
    run("demo", *SMALL)
    assert Path("purposely-demo/platform.jsonl").read_bytes() == before


def test_json_matches_what_the_gate_says(policy: Policy) -> None:
    result = run("demo", *SMALL, "--json")
    data = json.loads(result.stdout)
    assert result.stderr == "", "no progress bar or spinner under --json"
    assert data["db"] == DB
    gate = Gate(Store.open(DB), policy)
    assert [row["purpose"] for row in data["purposes"]] == list(policy.purposes)
    for row in data["purposes"]:
        answer = gate.ask(row["purpose"], caller="test")
        assert row["records_allowed"] == answer.records_allowed
        assert row["subjects_allowed"] == answer.subjects_allowed
        assert row["withheld"] == answer.withheld
        assert row["label"] == label(row["purpose"])
    assert data["import"]["subjects"] == data["platform"]["lines"]["subject"] == 30
    assert data["import"]["consents"]["recorded"] == data["platform"]["lines"]["consent"]


def test_the_suggested_walk_through_works(policy: Policy) -> None:
    data = json.loads(run("demo", *SMALL, "--json").stdout)
    assert data["next"]["env"] == [f"export PURPOSELY_DB={DB}"]
    commands = [step["command"].split()[1:] for step in data["next"]["steps"]]
    handle = data["platform"]["example_subject"]
    assert ["gate", "train_ai_system", "--subject", handle] in commands
    before = json.loads(run(*commands[0], "--db", DB, "--json").stdout)
    assert before["allowed"]["records"] > 0
    for command in commands[1:]:
        if command == ["--help"]:
            run(*command)
        elif command == ["serve"]:  # runs until stopped: check that it is there
            assert "privacy center" in run("serve", "--help").stdout
        else:
            run(*command, "--db", DB)
    after = json.loads(run(*commands[0], "--db", DB, "--json").stdout)
    assert after["allowed"]["records"] == 0
    assert after["withheld"]["by_reason"]["withdrawn"] == before["allowed"]["records"]


def test_a_store_the_demo_did_not_make_is_left_alone() -> None:
    Store.init("sqlite:///mine/purposely.db")
    before = Path("mine/purposely.db").read_bytes()
    result = run("demo", *SMALL, "--dir", "mine", code=2)
    assert "did not make" in result.stderr and "choose another --dir" in result.stderr
    assert Path("mine/purposely.db").read_bytes() == before
    assert sorted(p.name for p in Path("mine").iterdir()) == ["purposely.db"]


def test_a_file_in_place_of_the_folder_is_refused() -> None:
    Path("notes").write_text("mine", encoding="utf-8")
    result = run("demo", *SMALL, "--dir", "notes", code=2)
    assert "not a folder" in result.stderr
    assert Path("notes").read_text(encoding="utf-8") == "mine"


def test_other_files_in_the_folder_survive_a_rerun() -> None:
    run("demo", *SMALL, "--dir", "here")
    Path("here/my-notes.txt").write_text("keep me", encoding="utf-8")
    run("demo", *SMALL, "--dir", "here")
    assert Path("here/my-notes.txt").read_text(encoding="utf-8") == "keep me"
    assert "sqlite:///here/purposely.db" in run("demo", *SMALL, "--dir", "here").stdout


def test_too_small_a_platform_is_refused() -> None:
    result = run("demo", "--subjects", "5", code=2)
    assert "--subjects" in result.stderr
    assert not Path("purposely-demo").exists()


def test_a_custom_policy_gets_its_own_purposes(tmp_path: Path) -> None:
    text = default_policy_text()
    only_training = text[: text.index("  personalize.job_recommendations:")]
    policy_file = tmp_path / "training-only.yaml"
    policy_file.write_text(only_training, encoding="utf-8")
    data = json.loads(run("demo", *SMALL, "--policy", str(policy_file), "--json").stdout)
    assert [row["purpose"] for row in data["purposes"]] == ["train_ai_system"]
    assert f"export PURPOSELY_POLICY={policy_file}" in data["next"]["env"]


def test_the_default_demo_is_quick_and_complete(policy: Policy) -> None:
    started = time.perf_counter()
    data = json.loads(run("demo", "--json").stdout)
    elapsed = time.perf_counter() - started
    assert elapsed < 30, f"the default demo took {elapsed:.1f} s"
    assert data["platform"]["lines"]["subject"] == 400
    assert data["platform"]["lines"]["post"] - data["platform"]["posts_made_private"] == 10_000
    training = data["purposes"][0]
    assert training["purpose"] == "train_ai_system"
    assert set(training["withheld"]) == {
        "private",
        "category_not_allowed",
        "minor",
        "objected",
        "withdrawn",
        "no_consent",
    }
    assert all(
        row["records_allowed"] > 0 for row in data["purposes"] if "identity" not in row["purpose"]
    )


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_describes_the_options(flag: str) -> None:
    out = run("demo", flag).stdout
    for option in ("--dir", "--seed", "--subjects", "--posts", "--json"):
        assert option in out


def test_without_a_secret_the_demo_keeps_its_key_beside_its_store(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PURPOSELY_SECRET")
    run("demo", *SMALL)
    key = Path("purposely-demo/purposely.key")
    assert key.stat().st_mode & 0o777 == 0o600
    first_key = key.read_bytes()
    run("demo", *SMALL)
    assert key.read_bytes() != first_key, "a fresh store gets a fresh key"
    assert not Path("purposely.key").exists(), "nothing is written outside the folder"
    out = run("gate", "train_ai_system", "--db", DB, "--json").stdout
    assert json.loads(out)["allowed"]["records"] > 0


def test_a_key_file_set_elsewhere_is_not_used_and_the_hints_say_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PURPOSELY_SECRET")
    elsewhere = tmp_path / "other.key"
    monkeypatch.setenv("PURPOSELY_KEY_FILE", str(elsewhere))
    data = json.loads(run("demo", *SMALL, "--json").stdout)
    assert not elsewhere.exists()
    assert Path("purposely-demo/purposely.key").is_file()
    assert "export PURPOSELY_KEY_FILE=purposely-demo/purposely.key" in data["next"]["env"]
    monkeypatch.setenv("PURPOSELY_KEY_FILE", "purposely-demo/purposely.key")
    run("audit", "verify", "--db", DB)


def test_demo_builds_a_training_snapshot_and_says_where() -> None:
    data = json.loads(run("demo", *SMALL, "--json").stdout)
    snapshot = data["snapshot"]
    folder = Path("purposely-demo/train-snapshot")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert snapshot["snapshot_id"] == manifest["snapshot_id"]
    assert snapshot["state"] == "ready" and snapshot["path"] == str(folder.absolute())
    rows = sum(pq.read_metadata(folder / s["path"]).num_rows for s in manifest["shards"])
    assert rows == snapshot["counts"]["included"] > 0
    steps = [step["command"] for step in data["next"]["steps"]]
    assert f"purposely dataset show {snapshot['snapshot_id'][:12]}" in steps
    out = run("demo", *SMALL).stdout
    assert "An AI training dataset" in out and "purposely-demo/train-snapshot/" in out
