"""`purposely subject report|export|erase` as a user meets them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from purposely.cli import app
from tests.factories import write_jsonl
from tests.rights.test_report import member_lines

runner = CliRunner()


def run(*args: str, code: int = 0) -> Any:
    """``purposely ARGS``, checked for its exit code."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def setup(db: str) -> None:
    """A store holding Alice and Bob."""
    run("init", "--db", db)
    run("ingest", "jsonl", str(write_jsonl(Path("m.jsonl"), member_lines())), "--db", db)


def test_report_export_erase(db_url: str) -> None:
    setup(db_url)
    data = json.loads(run("subject", "report", "@alice", "--db", db_url).stdout)
    assert data["subject"] == {"id": "alice", "handle": "alice"} and data["records"] == 6
    run(
        "subject",
        "report",
        "alice",
        "--format",
        "html",
        "--lang",
        "de",
        "--out",
        "a.html",
        "--db",
        db_url,
    )
    assert "Ihre Daten" in Path("a.html").read_text()
    exported = json.loads(
        run("subject", "export", "alice", "--out", "a.zip", "--db", db_url, "--json").stdout
    )
    assert exported["records"] == 6 and zipfile.is_zipfile("a.zip")

    refused = run("subject", "erase", "alice", "--db", db_url, code=2)
    assert "--yes" in refused.stderr
    erased = json.loads(run("subject", "erase", "@alice", "--yes", "--db", db_url, "--json").stdout)
    assert erased["subjects"] == ["alice"] and sum(erased["records"].values()) == 6
    gone = run("subject", "report", "alice", "--db", db_url, code=2)
    assert "no subject" in gone.stderr
    again = json.loads(run("ingest", "jsonl", "m.jsonl", "--db", db_url, "--json").stdout)
    assert sum(again["skipped"].values()) >= 7  # Alice, her records and her decisions
    assert "user.content.public" in again["stored"]  # Bob's post comes back, hers does not
    assert again["stored"]["user.content.public"] == 1
