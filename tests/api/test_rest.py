"""The REST API for the platform's services: events, consent decisions, the gate, builds.

Every route is tried with a token in scope (what it does) and out of scope (403 and an
``api.refused`` audit event), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select, update

from purposely import audit
from purposely.access import revoke_token
from purposely.access.tokens import token_of
from purposely.api import Settings, create_app
from purposely.api.auth import REFUSED
from purposely.api.services import Services
from purposely.consent.ledger import LEDGER, history
from purposely.gate import Gate
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.models import (
    ApiToken,
    AuditEvent,
    BuildJob,
    ConsentEvent,
    Record,
    StaleSample,
)
from tests.api.conftest import TRAIN, bearer
from tests.factories import T0, consent, post, subject

IDENTITY = "essential.service.security.identity_verification"
SHARING = "third_party_sharing"


@pytest.fixture
def services(platform: Store, policy: Policy, tmp_path: Path) -> Services:
    """The server's services, building datasets in-process (one worker: the data is tiny)."""
    settings = Settings(
        snapshots=tmp_path / "snapshots", base_url="http://testserver", build_workers=1
    )
    return Services(settings=settings, store=platform, policy=policy, gate=Gate(platform, policy))


def refusals(services: Services) -> list[dict[str, Any]]:
    """The ``api.refused`` audit events, oldest first."""
    t = AuditEvent.__table__
    with services.store.read() as conn:
        rows = conn.execute(select(t).where(t.c.action == REFUSED).order_by(t.c.seq))
        return [dict(row) for row in rows.mappings()]


def ledger_size(services: Services) -> int:
    """Entries in the consent ledger."""
    with services.store.read() as conn:
        return LEDGER.count(conn)


def allowed_ids(client: TestClient, headers: dict[str, str], who: str) -> list[str]:
    """The ids of ``who``'s records the gate allows for AI training now."""
    answer = client.get(f"/api/v1/gate/{TRAIN}", params={"subject": who}, headers=headers)
    assert answer.status_code == 200, answer.text
    return [r["id"] for r in answer.json()["allowed"]["ids"]]


def assert_refused(services: Services, response: Any, operation: str, purpose: str) -> None:
    """``response`` is a 403 and the last audit event records the refusal."""
    assert response.status_code == 403, response.text
    assert "may not" in response.json()["detail"]
    last = refusals(services)[-1]
    assert (last["purpose"], last["details"]["operation"]) == (purpose, operation)
    assert last["caller"].startswith("token:")


def wait_for(check: Callable[[], Any], timeout: float = 60.0) -> Any:
    """Poll ``check`` until it returns something truthy, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.05)
    raise AssertionError(f"gave up after {timeout} s")


# --- the document --------------------------------------------------------------------------


def test_openapi_documents_every_route_with_its_errors(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    routes = {
        ("/api/v1/events", "post"),
        ("/api/v1/consents", "post"),
        ("/api/v1/gate/{purpose}", "get"),
        ("/api/v1/datasets/builds", "post"),
        ("/api/v1/datasets/builds/{build_id}", "get"),
    }
    for path, method in routes:
        operation = spec["paths"][path][method]
        assert operation["summary"] and operation["description"]
        assert {"401", "403", "422"} <= set(operation["responses"])
    assert "PostLine" in spec["components"]["schemas"]  # the event types are documented
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


# --- authentication ----------------------------------------------------------------------------


def test_requests_without_a_valid_token_get_401(client: TestClient, services: Services) -> None:
    headers = bearer(services, [TRAIN], ["read"])
    for sent in ({}, {"Authorization": "Bearer pty_nope_nope"}, {"Authorization": "Basic x"}):
        answer = client.get(f"/api/v1/gate/{TRAIN}", headers=sent)
        assert answer.status_code == 401, answer.text
        assert "purposely token create" in answer.json()["detail"]
    assert client.get(f"/api/v1/gate/{TRAIN}", headers=headers).status_code == 200
    token = token_of(services.store, headers["Authorization"].removeprefix("Bearer "))
    assert token is not None
    revoke_token(services.store, token.id)
    assert client.get(f"/api/v1/gate/{TRAIN}", headers=headers).status_code == 401


# --- events ------------------------------------------------------------------------------------


def test_events_are_stored_and_reported(client: TestClient, services: Services) -> None:
    headers = bearer(services, [TRAIN], ["write", "read"])
    events = [
        subject("carol", country="FR"),
        post("c1", "carol", text="Carol's first post"),
        post("c2", "carol", visibility="private"),
        consent("carol", TRAIN),
    ]
    answer = client.post("/api/v1/events", json={"events": events}, headers=headers)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["subjects"] == 1 and report["records"] == 2
    assert report["stored"] == {"user.content.public": 1, "user.content.private": 1}
    assert report["consents"] == {"recorded": 1, "already_held": 0}
    assert allowed_ids(client, headers, "carol") == ["c1"]
    with services.store.read() as conn:
        channel = conn.scalar(select(ConsentEvent.channel).order_by(ConsentEvent.seq.desc()))
    assert channel is not None and channel.startswith("api:")


def test_a_push_is_atomic_and_names_the_bad_event(client: TestClient, services: Services) -> None:
    headers = bearer(services, [TRAIN], ["write"])
    before = ledger_size(services)
    bad = post("c2", "carol", visibility="friends")
    events = [subject("carol"), post("c1", "carol"), bad, consent("carol", TRAIN)]
    answer = client.post("/api/v1/events", json={"events": events}, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("events[2]: post: field 'visibility'")
    # Found only while writing: a post of a subject nobody sent.
    orphan = [subject("carol"), post("c1", "nobody")]
    answer = client.post("/api/v1/events", json={"events": orphan}, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("events[1]: unknown subject 'nobody'")
    for broken, message in (
        ([{"id": "x"}], "events[0]: missing field 'type'"),
        ([{"type": "poll"}], "events[0]: unknown record type 'poll'"),
        ([{**post("c1", "carol"), "mood": 1}], "events[0]: post: unknown field 'mood'"),
    ):
        answer = client.post("/api/v1/events", json={"events": broken}, headers=headers)
        assert (answer.status_code, answer.json()["detail"][: len(message)]) == (422, message)
    with services.store.read() as conn:
        assert conn.scalar(select(func.count()).where(Record.source_id.like("c%"))) == 0
    assert ledger_size(services) == before


def test_a_push_sent_twice_changes_nothing(client: TestClient, services: Services) -> None:
    headers = bearer(services, [TRAIN], ["write"])
    events = [subject("carol"), post("c1", "carol"), consent("carol", TRAIN)]
    first = client.post("/api/v1/events", json={"events": events}, headers=headers).json()
    size = ledger_size(services)
    again = client.post("/api/v1/events", json={"events": events}, headers=headers).json()
    assert again["consents"] == {"recorded": 0, "already_held": 1}
    assert (again["records"], again["subjects"]) == (first["records"], first["subjects"])
    assert ledger_size(services) == size


def test_turning_a_post_private_or_deleting_it_withholds_it_at_the_next_question(
    client: TestClient, services: Services
) -> None:
    headers = bearer(services, [TRAIN], ["write", "read"])
    assert allowed_ids(client, headers, "alice") == ["a0", "a1", "a2"]
    events = [
        post("a0", "alice", text="Alice schreibt Beitrag 0 über Rad", visibility="private"),
        {"type": "delete", "id": "a1", "at": T0},
    ]
    answer = client.post("/api/v1/events", json={"events": events}, headers=headers)
    assert answer.json()["deleted"] == 1
    assert allowed_ids(client, headers, "alice") == ["a2"]


def test_pushing_events_needs_write_and_the_purpose_of_each_consent(
    client: TestClient, services: Services
) -> None:
    reader = bearer(services, [TRAIN], ["read"])
    answer = client.post("/api/v1/events", json={"events": [post("a9", "alice")]}, headers=reader)
    assert_refused(services, answer, "write", "-")
    writer = bearer(services, [TRAIN], ["write"])
    events = [post("a9", "alice"), consent("alice", "employment.recruitment")]
    answer = client.post("/api/v1/events", json={"events": events}, headers=writer)
    assert_refused(services, answer, "write", "employment.recruitment")
    with services.store.read() as conn:
        assert conn.scalar(select(func.count()).where(Record.source_id == "a9")) == 0


# --- consent decisions -------------------------------------------------------------------------


def test_a_withdrawal_takes_effect_at_the_next_question(
    client: TestClient, services: Services
) -> None:
    headers = bearer(services, [TRAIN], ["write", "read"])
    assert allowed_ids(client, headers, "@alice") == ["a0", "a1", "a2"]
    body = {"subject": "@alice", "purpose": TRAIN, "decision": "withdraw"}
    answer = client.post("/api/v1/consents", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    recorded = answer.json()
    assert (recorded["subject"], recorded["decision"]) == ("alice", "withdraw")
    assert recorded["ledger_entry"] == ledger_size(services)
    assert recorded["notice_version"]  # the notice generated from the policy
    assert allowed_ids(client, headers, "alice") == []
    answer = client.get(f"/api/v1/gate/{TRAIN}", params={"subject": "alice"}, headers=headers)
    assert answer.json()["withheld"]["by_reason"] == {"private": 1, "withdrawn": 3}


def test_a_decision_keeps_its_notice_version_and_time(
    client: TestClient, services: Services
) -> None:
    headers = bearer(services, [TRAIN], ["write"])
    body = {
        "subject": "bob",
        "purpose": TRAIN,
        "decision": "object",
        "notice_version": "2024-01",
        "at": "2024-02-01T08:00:00+01:00",
    }
    recorded = client.post("/api/v1/consents", json=body, headers=headers).json()
    assert recorded["notice_version"] == "2024-01"
    with services.store.read() as conn:
        entry = history(conn, services.store.pseudonym("bob"))[-1]
    assert (entry.decision.value, entry.at) == ("object", datetime(2024, 2, 1, 7, tzinfo=UTC))


def test_refused_decisions_say_why(client: TestClient, services: Services) -> None:
    headers = bearer(services, [TRAIN, IDENTITY], ["write"])
    unknown = {"subject": "nobody", "purpose": TRAIN, "decision": "grant"}
    answer = client.post("/api/v1/consents", json=unknown, headers=headers)
    assert (answer.status_code, answer.json()["detail"]) == (
        404,
        "no subject with id 'nobody' (use @name for a handle)",
    )
    implicit = {"subject": "alice", "purpose": IDENTITY, "decision": "grant"}
    answer = client.post("/api/v1/consents", json=implicit, headers=headers)
    assert answer.status_code == 400 and "must be explicit" in answer.json()["detail"]
    explicit = {**implicit, "categories": ["user.biometric.face"]}
    assert client.post("/api/v1/consents", json=explicit, headers=headers).status_code == 201
    answer = client.post("/api/v1/consents", json={"subject": "alice"}, headers=headers)
    assert (answer.status_code, answer.json()["detail"]) == (
        422,
        "missing required field 'purpose'",
    )
    answer = client.post("/api/v1/consents", json={**unknown, "decision": "maybe"}, headers=headers)
    assert answer.status_code == 422 and "decision" in answer.json()["detail"]


def test_an_unknown_purpose_is_404(client: TestClient, services: Services) -> None:
    headers = bearer(services, [TRAIN], ["write"])
    # A token whose purpose the policy dropped since it was created.
    with services.store.write() as conn:
        conn.execute(update(ApiToken).values(purposes=[TRAIN, "astrology"]))
    body = {"subject": "alice", "purpose": "astrology", "decision": "grant"}
    answer = client.post("/api/v1/consents", json=body, headers=headers)
    assert answer.status_code == 404 and "astrology" in answer.json()["detail"]


def test_a_decision_needs_write_for_its_purpose(client: TestClient, services: Services) -> None:
    before = ledger_size(services)
    body = {"subject": "alice", "purpose": TRAIN, "decision": "withdraw"}
    answer = client.post("/api/v1/consents", json=body, headers=bearer(services, [TRAIN], ["read"]))
    assert_refused(services, answer, "write", TRAIN)
    other = bearer(services, ["employment.recruitment"], ["write"])
    assert_refused(
        services, client.post("/api/v1/consents", json=body, headers=other), "write", TRAIN
    )
    assert ledger_size(services) == before


def test_concurrent_decisions_all_land_exactly_once(client: TestClient, services: Services) -> None:
    headers = bearer(services, [TRAIN], ["write"])
    before = ledger_size(services)
    bodies = [
        {
            "subject": ("alice", "bob")[i % 2],
            "purpose": TRAIN,
            "decision": ("grant", "withdraw", "object")[i % 3],
            "notice_version": f"n{i}",
        }
        for i in range(40)
    ]
    with ThreadPoolExecutor(40) as pool:
        answers = list(
            pool.map(lambda b: client.post("/api/v1/consents", json=b, headers=headers), bodies)
        )
    assert [a.status_code for a in answers] == [201] * 40
    entries = sorted(a.json()["ledger_entry"] for a in answers)
    assert entries == list(range(before + 1, before + 41))
    with services.store.read() as conn:
        versions = conn.scalars(
            select(ConsentEvent.notice_version).where(ConsentEvent.seq > before)
        )
        assert sorted(versions) == sorted(b["notice_version"] for b in bodies)
        assert audit.verify(conn).ok
    assert client.app.state.api_workers.decisions.batches <= 40  # type: ignore[attr-defined]


def test_a_decision_marks_snapshots_stale(client: TestClient, services: Services) -> None:
    builder = bearer(services, [TRAIN], ["build", "read", "write"])
    started = client.post("/api/v1/datasets/builds", json={"purpose": TRAIN}, headers=builder)
    location = started.headers["Location"]
    wait_for(lambda: client.get(location, headers=builder).json()["state"] == "done")
    body = {"subject": "alice", "purpose": TRAIN, "decision": "withdraw"}
    assert client.post("/api/v1/consents", json=body, headers=builder).status_code == 201
    assert client.app.state.api_workers.stale_marker.wait_idle(30)  # type: ignore[attr-defined]
    with services.store.read() as conn:
        reasons = list(conn.scalars(select(StaleSample.reason)))
    assert reasons and set(reasons) == {"withdrawn"}  # near duplicates are one sample


# --- the gate ---------------------------------------------------------------------------------


def test_the_gate_answers_as_the_cli_does(client: TestClient, services: Services) -> None:
    headers = bearer(services, [TRAIN], ["read"])
    answer = client.get(f"/api/v1/gate/{TRAIN}", headers=headers)
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["allowed"]["by_category"] == {"user.content.public": 5}
    assert data["allowed"]["subjects"] == 2 and data["allowed"]["ids"] is None
    assert data["withheld"]["by_reason"] == {"private": 1}
    with services.store.read() as conn:
        event = audit.recent(conn, 1)[0]
    assert (event["seq"], event["action"]) == (data["audit_event"], "gate.ask")
    assert event["caller"].startswith("token:") and event["caller"].endswith(":test-service")
    one = client.get(f"/api/v1/gate/{TRAIN}", params={"subject": "@bob"}, headers=headers).json()
    assert one["subject"] == {"id": "bob", "handle": "bob"}
    assert one["allowed"]["ids"] == [{"source": "jsonl", "id": f"b{i}"} for i in range(2)]
    answer = client.get(f"/api/v1/gate/{TRAIN}", params={"subject": "nobody"}, headers=headers)
    assert answer.status_code == 404


def test_asking_the_gate_needs_read_for_the_purpose(client: TestClient, services: Services) -> None:
    writer = bearer(services, [TRAIN], ["write"])
    assert_refused(services, client.get(f"/api/v1/gate/{TRAIN}", headers=writer), "read", TRAIN)
    reader = bearer(services, [TRAIN], ["read"])
    answer = client.get("/api/v1/gate/employment.recruitment", headers=reader)
    assert_refused(services, answer, "read", "employment.recruitment")
    assert "scoped to read for train_ai_system" in answer.json()["detail"]


# --- dataset builds --------------------------------------------------------------------------


def test_a_build_runs_in_the_background_to_done(client: TestClient, services: Services) -> None:
    headers = bearer(services, [TRAIN], ["build", "read"])
    answer = client.post("/api/v1/datasets/builds", json={"purpose": TRAIN}, headers=headers)
    assert answer.status_code == 202, answer.text
    job = answer.json()
    assert (job["state"], job["purpose"]) == ("queued", TRAIN)
    assert answer.headers["Location"] == f"/api/v1/datasets/builds/{job['id']}"
    done = wait_for(
        lambda: (
            (j := client.get(answer.headers["Location"], headers=headers).json())["state"]
            in ("done", "failed")
            and j
        )
    )
    assert done["state"] == "done", done
    assert done["finished_at"] and done["error"] is None
    manifest = services.settings.snapshots / job["id"] / "manifest.json"
    assert done["snapshot_id"] in manifest.read_text()


def test_a_failing_build_ends_failed_with_its_error(client: TestClient, services: Services) -> None:
    headers = bearer(services, [SHARING], ["build", "read"])
    answer = client.post("/api/v1/datasets/builds", json={"purpose": SHARING}, headers=headers)
    location = answer.headers["Location"]
    failed = wait_for(
        lambda: (j := client.get(location, headers=headers).json())["state"] == "failed" and j
    )
    assert "only differentially private aggregates" in failed["error"]
    assert failed["snapshot_id"] is None


def test_builds_need_build_to_start_and_read_to_poll(
    client: TestClient, services: Services
) -> None:
    reader = bearer(services, [TRAIN], ["read"])
    answer = client.post("/api/v1/datasets/builds", json={"purpose": TRAIN}, headers=reader)
    assert_refused(services, answer, "build", TRAIN)
    builder = bearer(services, [TRAIN], ["build"])
    job = client.post("/api/v1/datasets/builds", json={"purpose": TRAIN}, headers=builder).json()
    assert_refused(
        services, client.get(f"/api/v1/datasets/builds/{job['id']}", headers=builder), "read", "-"
    )
    other = bearer(services, ["employment.recruitment"], ["read"])
    answer = client.get(f"/api/v1/datasets/builds/{job['id']}", headers=other)
    assert_refused(services, answer, "read", TRAIN)
    answer = client.get("/api/v1/datasets/builds/nope", headers=reader)
    assert answer.status_code == 404 and "no dataset build 'nope'" in answer.json()["detail"]
    wait_for(
        lambda: (
            client.get(f"/api/v1/datasets/builds/{job['id']}", headers=reader).json()["state"]
            == "done"
        )
    )


def test_builds_a_stopped_server_left_are_failed_at_start(app: Any, services: Services) -> None:
    row = {
        "id": "0" * 32,
        "purpose": TRAIN,
        "out": "x",
        "state": "running",
        "requested_by": "token:x:y",
        "requested_at": datetime.now(UTC),
    }
    with services.store.write() as conn:
        conn.execute(insert(BuildJob), [row])
    headers = bearer(services, [TRAIN], ["read"])
    with TestClient(app) as client:
        job = client.get(f"/api/v1/datasets/builds/{'0' * 32}", headers=headers).json()
    assert job["state"] == "failed" and "server stopped" in job["error"]


def test_a_token_revoked_after_use_records_no_further_decision(
    client: TestClient, services: Services
) -> None:
    headers = bearer(services, [TRAIN], ["write"])
    body = {"subject": "alice", "purpose": TRAIN, "decision": "withdraw"}
    assert client.post("/api/v1/consents", json=body, headers=headers).status_code == 201
    token = token_of(services.store, headers["Authorization"].removeprefix("Bearer "))
    assert token is not None
    revoke_token(services.store, token.id)
    before, refused = ledger_size(services), len(refusals(services))
    answer = client.post("/api/v1/consents", json=body, headers=headers)
    assert answer.status_code == 401 and answer.headers["WWW-Authenticate"] == "Bearer"
    out_of_scope = {**body, "purpose": "employment.recruitment"}
    assert client.post("/api/v1/consents", json=out_of_scope, headers=headers).status_code == 401
    assert (ledger_size(services), len(refusals(services))) == (before, refused)


@pytest.mark.slow
def test_gate_questions_can_be_answered_by_worker_processes(
    platform: Store, policy: Policy, tmp_path: Path
) -> None:
    settings = Settings(snapshots=tmp_path / "snapshots", gate_processes=1)
    services = Services(settings, platform, policy, Gate(platform, policy))
    headers = bearer(services, [TRAIN], ["read"])
    with TestClient(create_app(svc=services)) as client:
        assert allowed_ids(client, headers, "@bob") == ["b0", "b1"]
        answer = client.get(f"/api/v1/gate/{TRAIN}", params={"subject": "nobody"}, headers=headers)
        assert answer.status_code == 404 and "nobody" in answer.json()["detail"]
    with services.store.read() as conn:
        callers = [e["caller"] for e in audit.recent(conn, 2) if e["action"] == "gate.ask"]
        assert callers and callers[0].endswith(":test-service")
        assert audit.verify(conn).ok


def test_values_the_store_cannot_hold_are_refused_not_crashed_on(
    client: TestClient, services: Services
) -> None:
    headers = bearer(services, [TRAIN], ["write", "read", "build"])
    before = ledger_size(services)
    decision = {"subject": "alice", "purpose": TRAIN, "decision": "grant"}
    for body in (
        {**decision, "subject": "nul\u0000"},
        {**decision, "purpose": "x" * 300},
        {**decision, "notice_version": "v" * 129},
        {**decision, "at": "0001-01-01T00:00:00+14:00"},
        {**decision, "at": "2999-01-01T00:00:00Z"},
        {**decision, "categories": ["not a key"]},
    ):
        answer = client.post("/api/v1/consents", json=body, headers=headers)
        assert answer.status_code == 422, (body, answer.text)
    assert ledger_size(services) == before
    for path in (f"/api/v1/gate/{TRAIN}?subject=%00", "/api/v1/gate/NOT%00A_KEY"):
        assert client.get(path, headers=headers).status_code == 422
    assert client.get("/api/v1/datasets/builds/%00", headers=headers).status_code == 404
    pushes = (
        [consent("alice", "astrology")],
        [{"type": "delete", "id": "nul\u0000"}],
        [post("n1", "alice", text="nul \u0000 byte"), post("n2", "alice", lang="x" * 17)],
    )
    for events in pushes:
        answer = client.post("/api/v1/events", json={"events": events}, headers=headers)
        assert answer.status_code in (200, 422), answer.text  # SQLite keeps what it can
    answer = client.post("/api/v1/events", json={"events": pushes[0]}, headers=headers)
    assert answer.json()["detail"].startswith("events[0]: unknown purpose 'astrology'")
