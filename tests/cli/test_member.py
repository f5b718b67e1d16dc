"""`purposely member invite` and `purposely officer invite`: one-time links that work once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from purposely.access import Role, accept_invitation
from purposely.cli import app
from purposely.errors import PurposelyError
from purposely.store import Store
from tests.factories import subject, write_jsonl

runner = CliRunner()
PASSWORD = "correct horse battery staple"


def run(*args: str, code: int = 0, **env: str) -> Any:
    """``purposely ARGS``, checked for its exit code."""
    result = runner.invoke(app, list(args), env=env or None)
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


@pytest.fixture
def platform(db_url: str) -> str:
    """A store holding Alice."""
    run("init", "--db", db_url)
    run(
        "ingest",
        "jsonl",
        str(write_jsonl(Path("a.jsonl"), [subject("u1", handle="alice")])),
        "--db",
        db_url,
    )
    return db_url


def secret_of(link: str) -> str:
    """The invitation secret at the end of ``link``."""
    return link.rsplit("/invite/", 1)[1]


def test_a_member_invitation_sets_a_password_once(platform: str) -> None:
    data = json.loads(
        run(
            "member",
            "invite",
            "@alice",
            "--base-url",
            "https://privacy.example/",
            "--days",
            "2",
            "--db",
            platform,
            "--json",
        ).stdout
    )
    assert data["link"].startswith("https://privacy.example/invite/")
    assert data["expires_at"]
    store = Store.open(platform)
    account = accept_invitation(store, secret_of(data["link"]), PASSWORD)
    assert (account.role, account.subject_id) == (Role.MEMBER, "u1")
    with pytest.raises(PurposelyError, match="used or expired"):
        accept_invitation(store, secret_of(data["link"]), PASSWORD)


def test_inviting_again_replaces_the_earlier_link(platform: str) -> None:
    first = json.loads(run("member", "invite", "u1", "--db", platform, "--json").stdout)
    second = json.loads(run("member", "invite", "u1", "--db", platform, "--json").stdout)
    store = Store.open(platform)
    with pytest.raises(PurposelyError):
        accept_invitation(store, secret_of(first["link"]), PASSWORD)
    assert accept_invitation(store, secret_of(second["link"]), PASSWORD).subject_id == "u1"


def test_the_link_is_printed_for_people_with_the_base_url_from_the_environment(
    platform: str,
) -> None:
    out = run(
        "member", "invite", "@alice", "--db", platform, PURPOSELY_BASE_URL="http://intra:9000"
    ).stdout
    assert "One-time link" in out and "http://intra:9000/invite/" in out


def test_unknown_members_and_bad_officer_names_are_refused(platform: str) -> None:
    assert "no subject" in run("member", "invite", "@nobody", "--db", platform, code=2).stderr
    assert "--days" in run("member", "invite", "u1", "--days", "0", "--db", platform, code=2).stderr
    assert (
        "invalid officer name" in run("officer", "invite", "@dpo", "--db", platform, code=2).stderr
    )


def test_an_officer_invitation_opens_the_admin_account(platform: str) -> None:
    data = json.loads(run("officer", "invite", "dpo", "--db", platform, "--json").stdout)
    account = accept_invitation(Store.open(platform), secret_of(data["link"]), PASSWORD)
    assert (account.role, account.login, account.subject_id) == (Role.OFFICER, "dpo", None)
