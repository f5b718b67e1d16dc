"""`purposely jobs` as a user meets it: listings, recommendations, candidate search."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from purposely.cli import app
from tests.factories import write_jsonl
from tests.jobs.conftest import platform

runner = CliRunner()


def run(*args: str, code: int = 0, columns: int = 200) -> Any:
    """``purposely ARGS`` on a terminal ``columns`` wide, checked for its exit code."""
    result = runner.invoke(app, list(args), env={"COLUMNS": str(columns)})
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def run_json(*args: str) -> Any:
    """``purposely ARGS --json``, parsed."""
    return json.loads(run(*args, "--json").stdout)


@pytest.fixture
def db(db_url: str) -> str:
    """A store holding the job tests' small platform, on each database."""
    run("init", "--db", db_url)
    run("ingest", "jsonl", str(write_jsonl(Path("p.jsonl"), platform())), "--db", db_url)
    return db_url


def test_list_and_close(db: str) -> None:
    listed = run_json("jobs", "list", "--db", db)
    assert [j["id"] for j in listed] == ["j-acc", "j-de", "j-dev", "j-care"]
    assert listed[2]["skills"] == ["Python", "Docker"] and listed[2]["open"] is True
    out = run("jobs", "list", "--db", db).stdout
    assert "Software Engineer" in out and "Munich, Germany" in out
    closed = run_json("jobs", "close", "j-dev", "--db", db)
    assert closed["id"] == "j-dev" and closed["open"] is False and closed["closed_at"]
    assert [j["id"] for j in run_json("jobs", "list", "--db", db)] == ["j-acc", "j-de", "j-care"]
    everything = run_json("jobs", "list", "--all", "--db", db)
    assert [j["open"] for j in everything] == [True, True, False, True]
    again = run("jobs", "close", "j-dev", "--db", db, code=2)
    assert "already closed" in again.stderr and again.stdout == ""
    unknown = run("jobs", "close", "nope", "--db", db, code=2)
    assert unknown.stderr.strip().startswith("error: no job listing with id 'nope'")
    assert len(unknown.stderr.strip().splitlines()) == 1


def test_recommend(db: str) -> None:
    found = run_json("jobs", "recommend", "@anna", "--db", db)
    assert found["subject"] == "anna" and found["purpose"] == "personalize.job_recommendations"
    assert [r["job"] for r in found["recommendations"]] == ["j-dev", "j-de"]
    best = found["recommendations"][0]
    assert best["rank"] == 1 and 0 < best["score"] <= 1
    reasons = best["reasons"]
    assert "C003406" in [o["concept"] for o in reasons["occupations"]]
    assert reasons["skills"][0] == {"key": "python", "label_en": "Python", "label_de": "Python"}
    assert reasons["location"] == "Munich, Germany" and reasons["remote"] is False
    assert len(run_json("jobs", "recommend", "anna", "-k", "1", "--db", db)["recommendations"]) == 1
    out = run("jobs", "recommend", "cem", "--lang", "de", "--db", db).stdout
    assert "j-acc" in out and "Buchhaltung" in out


def test_recommend_is_refused_without_opt_in(db: str) -> None:
    refused = run("jobs", "recommend", "erik", "--db", db, code=2)
    assert refused.stderr.strip() == (
        "error: member erik has not opted in to job recommendations "
        "(personalize.job_recommendations): nothing recommended"
    )
    assert refused.stdout == ""
    run("consent", "withdraw", "anna", "personalize.job_recommendations", "--db", db)
    assert "withdrew" in run("jobs", "recommend", "anna", "--db", db, code=2).stderr
    assert (
        "no subject with id 'nobody'"
        in run("jobs", "recommend", "nobody", "--db", db, code=2).stderr
    )


def test_candidates(db: str) -> None:
    found = run_json("jobs", "candidates", "j-dev", "--employer", "ACME", "--db", db)
    assert found["job"] == "j-dev" and found["employer"] == "ACME"
    assert found["purpose"] == "employment.recruitment" and found["audit_event"] > 0
    assert [c["subject"] for c in found["candidates"]] == ["anna", "ben"]
    first = found["candidates"][0]
    assert first["candidate"].startswith("cand-") and first["reasons"]["skills"]
    # For people (the employer): pseudonyms and reasons, never the member's id or handle.
    out = run("jobs", "candidates", "j-dev", "--employer", "ACME", "--db", db).stdout
    assert first["candidate"] in out and "python" in out.lower()
    assert "anna" not in out and "ben" not in out
    assert "audit event" in out
    # The member's access report lists the employer who found them.
    report = run_json("subject", "report", "anna", "--db", db)
    assert {"ACME"} == {r["name"] for r in report["recipients"]}
    assert "jobs.candidates" in [e["action"] for e in report["audit_events"]]
    # Withdrawing takes the member out of the next search.
    run("consent", "withdraw", "anna", "employment.recruitment", "--db", db)
    again = run_json("jobs", "candidates", "j-dev", "--employer", "acme", "-k", "5", "--db", db)
    assert [c["subject"] for c in again["candidates"]] == ["ben"]


def test_candidates_that_are_refused(db: str) -> None:
    wrong = run("jobs", "candidates", "j-dev", "--employer", "Beta GmbH", "--db", db, code=2)
    assert "listed by 'ACME', not 'Beta GmbH'" in wrong.stderr and wrong.stdout == ""
    missing = run("jobs", "candidates", "j-dev", "--db", db, code=2)
    assert "--employer" in missing.stderr
    run("jobs", "close", "j-dev", "--db", db)
    assert (
        "closed"
        in run("jobs", "candidates", "j-dev", "--employer", "ACME", "--db", db, code=2).stderr
    )
    assert (
        "--lang must be en or de"
        in run(
            "jobs",
            "candidates",
            "j-de",
            "--employer",
            "Beta GmbH",
            "--lang",
            "fr",
            "--db",
            db,
            code=2,
        ).stderr
    )


def test_help_texts() -> None:
    top = run("jobs", "--help").stdout
    for command in ("list", "close", "recommend", "candidates"):
        assert command in top
    assert "never age, gender, nationality" in " ".join(top.split())
    candidates = " ".join(run("jobs", "candidates", "--help").stdout.split())
    assert "--employer" in candidates and "pseudonym" in candidates and "never minors" in candidates
    recommend = " ".join(run("jobs", "recommend", "--help").stdout.split())
    assert "opted in" in recommend and "-k" in recommend
