"""A server on each database, with two members (Alice in Germany, Bob in the US), a privacy
officer, and clients signed in as each: the factories every API test builds on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from purposely.access import Role, invite_member, invite_officer, open_session
from purposely.access.accounts import accept_invitation
from purposely.access.tokens import create_token
from purposely.api import Settings, create_app
from purposely.api.auth import CSRF_COOKIE, SESSION_COOKIE, csrf_token
from purposely.api.services import Services
from purposely.gate import Gate
from purposely.ingest.jsonl import ingest_jsonl
from purposely.policy import Policy
from purposely.store import Store
from tests.factories import consent, message, post, subject, write_jsonl

TRAIN = "train_ai_system"
PASSWORD = "correct horse battery staple"
NONCE = "test-csrf-nonce"


def platform_lines() -> list[dict[str, Any]]:
    """Alice (DE) and Bob (US), each with public posts, a message and an AI-training grant."""
    return [
        subject("alice", handle="alice", country="DE", birth_date="1990-04-01"),
        subject("bob", handle="bob", country="US", birth_date="1985-01-01"),
        *[post(f"a{i}", "alice", text=f"Alice schreibt Beitrag {i} über Rad") for i in range(3)],
        *[post(f"b{i}", "bob", text=f"Bob writes post number {i} about boats") for i in range(2)],
        message("dm1", "alice", ["bob"], text="Hallo Bob, privat"),
        consent("alice", TRAIN),
        consent("bob", TRAIN),
    ]


@pytest.fixture
def platform(store: Store, policy: Policy) -> Store:
    """A store holding :func:`platform_lines`."""
    ingest_jsonl(store, policy, write_jsonl(Path("platform.jsonl"), platform_lines()))
    return store


@pytest.fixture
def services(platform: Store, policy: Policy, tmp_path: Path) -> Services:
    """The server's services on the platform's store."""
    settings = Settings(snapshots=tmp_path / "snapshots", base_url="http://testserver")
    return Services(settings=settings, store=platform, policy=policy, gate=Gate(platform, policy))


@pytest.fixture
def app(services: Services) -> FastAPI:
    """The application."""
    return create_app(svc=services)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An anonymous client (no token, no session)."""
    with TestClient(app, base_url="http://testserver") as anonymous:
        yield anonymous


def signed_in(app: FastAPI, services: Services, role: Role, name: str) -> TestClient:
    """A client signed in as the member ``name`` (id or @handle) or the officer ``name``:
    account invited, password set, session opened directly (sign-in itself has its own
    tests), and the browser's CSRF cookie set."""
    store = services.store
    invitation = invite_member(store, name) if role is Role.MEMBER else invite_officer(store, name)
    account = accept_invitation(store, invitation.secret, PASSWORD)
    session = open_session(store, account)
    browser = TestClient(app, base_url="http://testserver", follow_redirects=False)
    browser.cookies.set(SESSION_COOKIE, session.secret)
    browser.cookies.set(CSRF_COOKIE, NONCE)
    return browser


def form_token(services: Services) -> str:
    """The form token matching the CSRF cookie of :func:`signed_in` clients."""
    return csrf_token(services, NONCE)


@pytest.fixture
def alice(app: FastAPI, services: Services) -> TestClient:
    """A browser signed in as Alice."""
    return signed_in(app, services, Role.MEMBER, "alice")


@pytest.fixture
def bob(app: FastAPI, services: Services) -> TestClient:
    """A browser signed in as Bob."""
    return signed_in(app, services, Role.MEMBER, "bob")


@pytest.fixture
def officer(app: FastAPI, services: Services) -> TestClient:
    """A browser signed in as the privacy officer ``dpo``."""
    return signed_in(app, services, Role.OFFICER, "dpo")


def bearer(services: Services, purposes: list[str], operations: list[str]) -> dict[str, str]:
    """Headers carrying a new API token with the given scope."""
    _, secret = create_token(
        services.store,
        services.policy,
        name="test-service",
        purposes=purposes,
        operations=operations,
        created_by="test",
    )
    return {"Authorization": f"Bearer {secret}"}
