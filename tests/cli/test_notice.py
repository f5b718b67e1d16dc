"""`purposely notice` and `purposely datamap export` as a user meets them; the notice version
that `consent grant` records."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from fideslang.models import Taxonomy
from ruamel.yaml import YAML
from typer.testing import CliRunner

from purposely.cli import app
from purposely.notice import notice_version
from purposely.policy import Policy, default_policy_text
from tests.factories import subject, write_jsonl

runner = CliRunner()


def run(*args: str, code: int = 0) -> Any:
    """``purposely ARGS``, checked for its exit code."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


def run_json(*args: str) -> Any:
    """``purposely ARGS --json``, parsed."""
    return json.loads(run(*args, "--json").stdout)


def test_notice_prints_markdown_in_either_language(policy: Policy) -> None:
    en = run("notice").stdout
    assert en.startswith("# Privacy notice: Example Social Network GmbH\n")
    de = run("notice", "--lang", "de", "--format", "md").stdout
    assert de.startswith("# Datenschutzhinweise: Example Social Network GmbH\n")
    assert f"`{notice_version(policy)}`" in en and f"`{notice_version(policy)}`" in de


def test_notice_writes_html_to_a_file(policy: Policy) -> None:
    out = run("notice", "--format", "html", "--lang", "de", "--out", "notice.html").stdout
    assert "notice.html" in out and notice_version(policy) in out
    page = Path("notice.html").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Datenschutzhinweise" in page


def test_notice_json(policy: Policy) -> None:
    data = run_json("notice", "--lang", "de")
    assert data["version"] == notice_version(policy)
    assert (data["lang"], data["format"], data["out"]) == ("de", "md", None)
    assert data["text"].startswith("# Datenschutzhinweise")


def test_ropa_csv(policy: Policy) -> None:
    text = run("notice", "--format", "ropa-csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == sum(len(rule.categories) for rule in policy.purposes.values())


def test_notice_follows_the_policy_file(policy: Policy) -> None:
    Path("policy.yaml").write_text(
        default_policy_text().replace("retention: P2Y", "retention: P3Y"), "utf-8"
    )
    data = run_json("notice", "--policy", "policy.yaml")
    assert "At most 3 years." in data["text"]
    assert data["version"] != notice_version(policy)


def test_bad_choices_and_unwritable_files_are_refused() -> None:
    assert run("notice", "--lang", "fr", code=2).exit_code == 2
    result = run("notice", "--out", "no/such/dir/notice.md", code=2)
    assert "cannot write" in result.stderr


def test_datamap_export_is_a_valid_fides_manifest(policy: Policy) -> None:
    run("datamap", "export", "--format", "fides", "--out", "datamap.yml")
    doc = YAML(typ="safe").load(Path("datamap.yml").read_text("utf-8"))
    (system,) = Taxonomy.model_validate(doc).system
    assert {d.data_use for d in system.privacy_declarations} == set(policy.purposes)
    printed = YAML(typ="safe").load(run("datamap", "export").stdout)
    assert printed == doc
    data = run_json("datamap", "export")
    assert data["manifest"] == doc and data["notice_version"] == notice_version(policy)


def test_consent_records_the_notice_version_the_member_saw(sqlite_url: str) -> None:
    run("init", "--db", sqlite_url)
    run("ingest", "jsonl", str(write_jsonl(Path("s.jsonl"), [subject("u1")])), "--db", sqlite_url)
    granted = run_json("consent", "grant", "u1", "train_ai_system", "--db", sqlite_url)
    shown = run_json("notice")["version"]
    assert granted["notice_version"] == shown
    history = run_json("consent", "show", "u1", "--db", sqlite_url)["history"]
    assert history[-1]["notice_version"] == shown
    Path("policy.yaml").write_text(
        default_policy_text().replace("retention: P2Y", "retention: P3Y"), "utf-8"
    )
    other = run_json(
        "consent", "withdraw", "u1", "train_ai_system", "--db", sqlite_url, "--policy=policy.yaml"
    )
    assert other["notice_version"] == run_json("notice", "--policy", "policy.yaml")["version"]
    assert other["notice_version"] != shown
