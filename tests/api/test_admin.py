"""The admin view as the privacy officer uses it: every page renders with its content, stale
snapshots and models say why, the audit page names the first broken entry, and only the
officer gets in."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from purposely.access import Role, invite_member, invite_officer
from purposely.access.accounts import accept_invitation
from purposely.api import create_app
from purposely.api.services import Services
from purposely.consent import ConsentDecision, Decision, append
from purposely.datasets import registry
from purposely.datasets.build import BuildOptions, build
from purposely.notice import body_html, build_notice, layout, notice_version
from purposely.policy.loader import default_policy_text
from purposely.store.subjects import find_subject
from tests.api.conftest import PASSWORD, TRAIN, signed_in
from tests.test_audit import drop_append_only_triggers

BASE = "http://testserver"
ADMIN_PAGES = [
    "/admin",
    "/admin/datamap",
    "/admin/policy",
    "/admin/snapshots",
    "/admin/models",
    "/admin/audit",
    "/admin/notice",
]


def csrf_of(page: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found, "the page has no form token"
    return found.group(1)


def built_snapshot(services: Services, tmp_path: Path) -> str:
    """A training snapshot of Alice's and Bob's posts, and a model trained on it."""
    snapshot = build(
        services.store,
        services.policy,
        TRAIN,
        tmp_path / "snap",
        caller="test",
        options=BuildOptions(workers=1),
    )
    with services.store.write() as conn:
        registry.register(conn, "feed-ranker", [snapshot], by="test", note="in production")
    return snapshot


def withdraw(services: Services, subject: str) -> None:
    """The member withdraws their AI-training consent (as any channel would record it)."""
    with services.store.write() as conn:
        ref = find_subject(conn, subject)
        decision = ConsentDecision(
            ref.pseudonym,
            TRAIN,
            Decision.WITHDRAW,
            datetime.now(UTC),
            notice_version(services.policy),
            "test",
        )
        append(conn, services.policy, [decision])


# --- signing in ----------------------------------------------------------------------------


def test_the_officer_signs_in_through_the_form(app: FastAPI, services: Services) -> None:
    accept_invitation(services.store, invite_officer(services.store, "dpo").secret, PASSWORD)
    web = TestClient(app, base_url=BASE, follow_redirects=False)
    page = web.get("/admin/signin")
    assert page.status_code == 200 and "Sign in as privacy officer" in page.text
    form = {"csrf": csrf_of(page.text), "name": "dpo", "password": PASSWORD}
    signed = web.post("/admin/signin", data={**form, "next": "/admin/audit"})
    assert signed.status_code == 303 and signed.headers["location"] == "/admin/audit"
    assert web.get("/admin").status_code == 200
    assert web.get("/admin/signin").headers["location"] == "/admin"


def test_a_member_cannot_sign_in_as_officer(app: FastAPI, services: Services) -> None:
    accept_invitation(services.store, invite_member(services.store, "alice").secret, PASSWORD)
    web = TestClient(app, base_url=BASE, follow_redirects=False)
    page = web.get("/admin/signin")
    form = {"csrf": csrf_of(page.text), "name": "@alice", "password": PASSWORD}
    assert web.post("/admin/signin", data=form).status_code == 401
    form["name"] = "alice"
    assert web.post("/admin/signin", data=form).status_code == 401


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_a_member_cannot_open_the_admin_view(path: str, alice: TestClient) -> None:
    response = alice.get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/admin/signin")
    signin = alice.get(response.headers["location"])
    assert "You are signed in as a member" in signin.text


def test_the_officer_is_not_a_member(officer: TestClient) -> None:
    for path in ("/me", "/me/report", f"/me/purposes/{TRAIN}"):
        response = officer.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/signin")


# --- the pages -----------------------------------------------------------------------------


def test_the_overview_links_every_page(officer: TestClient) -> None:
    page = officer.get("/admin")
    assert page.status_code == 200
    for path in ADMIN_PAGES[1:]:
        assert f'href="{path}"' in page.text


def test_the_data_map_names_fields_categories_purposes_and_bases(officer: TestClient) -> None:
    page = officer.get("/admin/datamap").text
    assert "<code>subjects.birth_date</code>" in page
    assert "Public posts" in page and "user.content.public" in page
    assert "Training AI models" in page and "train_ai_system" in page
    assert "Records of processing" in page
    # Direct messages: stored, used by no purpose.
    row = re.search(r"user\.content\.private\.message</code>.*?</tr>", page, re.S)
    assert row and "no purpose" in row.group(0)


def test_the_policy_page_shows_the_file_and_its_digest(
    services: Services, officer: TestClient
) -> None:
    page = officer.get("/admin/policy").text
    assert services.policy.digest in page
    assert "train_ai_system:" in page and "the default policy shipped with purposely" in page
    assert "has changed since the server started" not in page


def test_the_policy_page_says_when_the_file_changed_since_the_start(
    app: FastAPI, services: Services, tmp_path: Path
) -> None:
    edited = tmp_path / "policy.yaml"
    edited.write_text(default_policy_text().replace("minimum_age: 18", "minimum_age: 16"))
    served = replace(services, settings=replace(services.settings, policy=edited))
    officer = signed_in(create_app(svc=served), served, Role.OFFICER, "dpo")
    page = officer.get("/admin/policy").text
    assert str(edited) in page and "minimum_age: 16" in page
    assert "has changed since the server started" in page


def test_snapshots_and_models_say_what_is_stale_and_why(
    services: Services, officer: TestClient, tmp_path: Path
) -> None:
    assert "No snapshots yet" in officer.get("/admin/snapshots").text
    assert "No models registered" in officer.get("/admin/models").text
    snapshot = built_snapshot(services, tmp_path)
    fresh = officer.get("/admin/snapshots").text
    assert snapshot[:12] in fresh and "up to date" in fresh
    assert "feed-ranker" in fresh
    assert "current" in officer.get("/admin/models").text

    withdraw(services, "alice")  # the pages re-check staleness themselves
    stale = officer.get("/admin/snapshots").text
    assert "out of date" in stale
    assert "the member withdrew consent: 1" in stale
    assert f"purposely dataset rebuild {snapshot[:12]} --out DIR" in stale
    models = officer.get("/admin/models").text
    assert "needs retraining" in models and "the member withdrew consent: 1" in models
    assert "in production" in models


def test_the_audit_page_verifies_the_chains(services: Services, officer: TestClient) -> None:
    for _ in range(3):
        services.gate.ask(TRAIN, caller="test:audit")
    page = officer.get("/admin/audit").text
    assert "Verified." in page and "Both chains are intact" in page
    assert "test:audit" in page and "Training AI models" in page


@pytest.mark.parametrize(
    ("table", "statement", "named"),
    [
        ("audit_events", "UPDATE audit_events SET records = 0 WHERE seq = 2", "audit log, entry 2"),
        (
            "consent_events",
            "UPDATE consent_events SET decision = 'withdraw' WHERE seq = 1",
            "consent ledger, entry 1",
        ),
    ],
)
def test_the_audit_page_names_the_first_broken_entry(
    services: Services, officer: TestClient, table: str, statement: str, named: str
) -> None:
    for _ in range(3):
        services.gate.ask(TRAIN, caller="test:audit")
    drop_append_only_triggers(services.store, table)
    with services.store.write() as conn:
        conn.execute(text(statement))
    page = officer.get("/admin/audit").text
    assert "Broken." in page and "Verified." not in page
    assert named in page and "was changed after it was written" in page


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_notice_page_is_the_whole_notice(
    services: Services, officer: TestClient, lang: str
) -> None:
    page = officer.get(f"/admin/notice?lang={lang}").text
    notice = build_notice(services.policy)
    assert body_html(layout(notice, lang)) in page  # type: ignore[arg-type]
    assert notice_version(services.policy) in page


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_admin_page_renders_in_both_languages(
    services: Services, officer: TestClient, tmp_path: Path, lang: str
) -> None:
    built_snapshot(services, tmp_path)
    withdraw(services, "alice")
    for path in ADMIN_PAGES:
        response = officer.get(f"{path}?lang={lang}")
        assert response.status_code == 200, path
        assert f'<html lang="{lang}">' in response.text, path
    german = officer.get("/admin/snapshots?lang=de").text
    assert "veraltet" in german and "Einwilligung widerrufen" in german
    assert html.escape("Prüfprotokoll") in officer.get("/admin/audit?lang=de").text
