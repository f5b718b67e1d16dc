"""`purposely token create|list|revoke` as an operator meets them."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from purposely.access import Operation, token_of
from purposely.cli import app
from purposely.store import Store

runner = CliRunner()
TRAIN = "train_ai_system"


def run(*args: str, code: int = 0) -> Any:
    """``purposely ARGS``, checked for its exit code."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def test_create_list_and_revoke(db_url: str) -> None:
    run("init", "--db", db_url)
    created = json.loads(
        run(
            "token",
            "create",
            "--purpose",
            TRAIN,
            "--purpose",
            "employment.recruitment",
            "--can",
            "read,write",
            "--name",
            "recommender",
            "--db",
            db_url,
            "--json",
        ).stdout
    )
    assert created["purposes"] == [TRAIN, "employment.recruitment"]
    assert created["operations"] == ["read", "write"]
    token = token_of(Store.open(db_url), created["token"])
    assert token is not None and token.id == created["id"] and token.name == "recommender"
    assert token.allows(Operation.WRITE, TRAIN) and not token.allows(Operation.BUILD, TRAIN)

    listed = json.loads(run("token", "list", "--db", db_url, "--json").stdout)
    assert [t["id"] for t in listed] == [created["id"]]
    assert listed[0]["revoked_at"] is None and "token" not in listed[0]
    assert created["token"] not in run("token", "list", "--db", db_url).stdout

    out = run("token", "revoke", created["id"], "--db", db_url).stdout
    assert f"token {created['id']} (recommender) revoked" in out
    assert token_of(Store.open(db_url), created["token"]) is None
    listed = json.loads(run("token", "list", "--db", db_url, "--json").stdout)
    assert listed[0]["revoked_at"] is not None
    again = run("token", "revoke", created["id"], "--db", db_url, code=2)
    assert "already revoked" in again.stderr


def test_the_secret_is_shown_once_for_people(sqlite_url: str) -> None:
    run("init", "--db", sqlite_url)
    out = run("token", "create", "--purpose", TRAIN, "--can", "build", "--db", sqlite_url).stdout
    assert "build for train_ai_system" in out and "shown only this once" in out
    secret = out.strip().splitlines()[-1]
    assert token_of(Store.open(sqlite_url), secret) is not None
    assert "no tokens" not in run("token", "list", "--db", sqlite_url).stdout


def test_bad_scopes_are_refused_with_the_fix(sqlite_url: str) -> None:
    run("init", "--db", sqlite_url)
    unknown = run(
        "token", "create", "--purpose", "astrology", "--can", "read", "--db", sqlite_url, code=2
    )
    assert "astrology" in unknown.stderr
    bad_op = run(
        "token", "create", "--purpose", TRAIN, "--can", "delete", "--db", sqlite_url, code=2
    )
    assert "unknown operation 'delete': use one of read, write, build" in bad_op.stderr
    missing = run("token", "create", "--purpose", TRAIN, "--db", sqlite_url, code=2)
    assert "--can" in missing.stderr
    nobody = run("token", "revoke", "nope", "--db", sqlite_url, code=2)
    assert "purposely token list" in nobody.stderr
    assert "no tokens" in run("token", "list", "--db", sqlite_url).stdout
