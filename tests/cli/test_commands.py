"""The CLI as a user meets it: output, --json, --db, exit codes 0 / 1 / 2, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from purposely.cli import app
from purposely.store import Store
from tests.factories import consent, message, post, subject, write_jsonl

runner = CliRunner()


def run(*args: str, code: int = 0, **env: str) -> Any:
    """Invoke ``purposely ARGS``; check the exit code; return the result."""
    result = runner.invoke(app, list(args), env=env or None)
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


def run_json(*args: str, **env: str) -> Any:
    """Invoke with ``--json`` and parse stdout."""
    return json.loads(run(*args, "--json", **env).stdout)


@pytest.fixture
def platform(db_url: str) -> str:
    """A store with a few members, initialised and filled through the CLI."""
    run("init", "--db", db_url)
    lines = [
        subject("u1", handle="alice"),
        post("p1", "u1"),
        post("p2", "u1", visibility="private"),
        subject("u2", handle="bob", country="US"),
        post("p3", "u2"),
        message("m1", "u2", ["u1"]),
        subject("u3", handle="kid", birth_date="2015-01-01"),
        post("p4", "u3"),
        consent("u1", "train_ai_system"),
    ]
    run("ingest", "jsonl", str(write_jsonl(Path("platform.jsonl"), lines)), "--db", db_url)
    return db_url


def test_help_lists_the_commands() -> None:
    out = run("--help").stdout
    for command in ("init", "gate", "ingest", "consent", "policy", "audit"):
        assert command in out


def test_gate_counts_and_json(platform: str) -> None:
    out = run("gate", "train_ai_system", "--db", platform).stdout
    assert "2 records of 2 subjects allowed" in out and "minor" in out
    data = run_json("gate", "train_ai_system", "--db", platform)
    assert data["allowed"]["by_category"] == {"user.content.public": 2}
    assert data["withheld"]["by_reason"] == {"private": 2, "minor": 1}


def test_gate_for_one_subject_lists_source_ids(platform: str) -> None:
    out = run("gate", "train_ai_system", "--subject", "@alice", "--db", platform).stdout
    assert "allowed record ids: p1" in out
    data = run_json("gate", "train_ai_system", "-s", "u1", "--db", platform)
    assert data["allowed"]["ids"] == [{"source": "jsonl", "id": "p1"}]


def test_db_comes_from_the_environment(platform: str) -> None:
    data = run_json("gate", "train_ai_system", PURPOSELY_DB=platform)
    assert data["allowed"]["records"] == 2


def test_consent_commands_change_the_next_answer(platform: str) -> None:
    run("consent", "withdraw", "@alice", "train_ai_system", "--db", platform)
    assert (
        run_json("gate", "train_ai_system", "--db", platform)["withheld"]["by_reason"]["withdrawn"]
        == 1
    )
    run("consent", "object", "u2", "train_ai_system", "--db", platform)
    run("consent", "grant", "u1", "train_ai_system", "--notice", "2026-11", "--db", platform)
    shown = run_json("consent", "show", "@alice", "--db", platform)
    train = next(p for p in shown["purposes"] if p["purpose"] == "train_ai_system")
    assert train["decision"] == "grant" and train["notice_version"] == "2026-11"
    assert [h["decision"] for h in shown["history"]] == ["grant", "withdraw", "grant"]
    final = run_json("gate", "train_ai_system", "--db", platform)["withheld"]["by_reason"]
    assert final.get("objected") == 1 and "withdrawn" not in final


def test_explicit_consent_through_the_cli(platform: str) -> None:
    purpose = "essential.service.security.identity_verification"
    result = run("consent", "grant", "u1", purpose, "--db", platform, code=2)
    assert "--categories user.biometric.face" in result.stderr
    ok = run_json(
        "consent", "grant", "u1", purpose, "--categories", "user.biometric.face", "--db", platform
    )
    assert ok["decision"] == "grant"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("gate", "sell_insights"), "unknown purpose 'sell_insights'"),
        (("gate", "train_ai_system", "--subject", "@nobody"), "no subject with handle 'nobody'"),
        (("consent", "grant", "u1", "sell_insights"), "unknown purpose"),
        (("consent", "show", "zz"), "no subject with id"),
    ],
)
def test_refusals_exit_2_with_one_line(platform: str, args: tuple[str, ...], message: str) -> None:
    result = run(*args, "--db", platform, code=2)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""


def test_a_store_that_was_never_initialised(tmp_path: Path) -> None:
    result = run("gate", "train_ai_system", "--db", f"sqlite:///{tmp_path}/none.db", code=2)
    assert "purposely init" in result.stderr


def test_bad_import_exits_2_and_stores_nothing(platform: str) -> None:
    before = run_json("gate", "train_ai_system", "--db", platform)["allowed"]
    bad = write_jsonl(Path("bad.jsonl"), [post("p9", "u1"), '{"type":"post"'])
    result = run("ingest", "jsonl", str(bad), "--db", platform, code=2)
    assert "bad.jsonl:2: not valid JSON" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert run_json("gate", "train_ai_system", "--db", platform)["allowed"] == before


def test_import_report_as_json(db_url: str) -> None:
    run("init", "--db", db_url)
    lines = [subject("u1"), post("p1", "u1"), {"type": "delete", "id": "p7"}]
    report = run_json("ingest", "jsonl", str(write_jsonl(Path("a.jsonl"), lines)), "--db", db_url)
    assert report["stored"] == {"user.content.public": 1}
    assert report["skipped"] == {"delete: no post or message with that id": 1}


def test_policy_check_reports_every_problem_with_lines(tmp_path: Path) -> None:
    assert "ok, 5 purposes" in run("policy", "check").stdout
    broken = tmp_path / "policy.yaml"
    broken.write_text(
        "purposes:\n"
        "  train_ai_system:\n"
        "    categories: [user.content.public, user.biometric.face]\n"
        "    legal_basis: {default: whatever}\n"
        "    exclude_minors: true\n"
    )
    result = run("policy", "check", str(broken), code=2)
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"{broken}:3:") and "biometric" in lines[0]
    assert lines[1].startswith(f"{broken}:4:") and "unknown legal basis 'whatever'" in lines[1]
    data = json.loads(run("policy", "check", str(broken), "--json", code=2).stdout)
    assert data["ok"] is False and len(data["problems"]) == 2


def test_a_custom_policy_changes_what_the_gate_allows(platform: str, tmp_path: Path) -> None:
    shown = run("policy", "show").stdout
    strict = tmp_path / "strict.yaml"
    strict.write_text(shown.replace("default: legitimate_interest", "default: consent"))
    data = run_json("gate", "train_ai_system", "--db", platform, "--policy", str(strict))
    assert data["allowed"]["records"] == 1 and data["withheld"]["by_reason"]["no_consent"] == 1


def test_audit_verify_names_a_row_edited_behind_its_back(platform: str) -> None:
    run("gate", "train_ai_system", "--db", platform)
    run("consent", "withdraw", "u1", "train_ai_system", "--db", platform)
    assert "verify" in run("audit", "verify", "--db", platform).stdout
    store = Store.open(platform)
    with store.write() as conn:
        on = " ON consent_events" if store.dialect == "postgresql" else ""
        conn.execute(text(f"DROP TRIGGER consent_events_no_update{on}"))
        conn.execute(text("UPDATE consent_events SET decision = 'grant' WHERE seq = 2"))
    result = run("audit", "verify", "--db", platform, code=2)
    assert "consent ledger: entry 2 was changed after it was written" in result.stderr
    data = json.loads(run("audit", "verify", "--db", platform, "--json", code=2).stdout)
    assert data["ok"] is False and "entry 2" in data["problems"][0]


def test_audit_log_lists_questions(platform: str) -> None:
    run("gate", "employment.recruitment", "--db", platform)
    events = run_json("audit", "log", "--db", platform)
    assert events[0]["purpose"] == "employment.recruitment"
    assert events[0]["caller"].startswith("cli:")


def test_internal_errors_exit_1(platform: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import purposely.gate

    def broken(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(purposely.gate.Gate, "ask", broken)
    result = run("gate", "train_ai_system", "--db", platform, code=1)
    assert "internal error: RuntimeError: disk on fire" in result.stderr
