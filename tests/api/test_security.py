"""Who may open which door, tested door by door from the application's own route table.

:data:`ROUTES` classifies every route the application serves: public, a member's page, the
privacy officer's, or the API (with the operation a token needs). A route that is missing
from the table fails :func:`test_every_route_is_classified`, so a new route cannot be
forgotten; once it is classified, the generated tests below cover it:

- a member (Bob) cannot reach another member's (Alice's) data through any of his doors,
  whatever of her identifiers he puts in the path, the query or the form;
- anonymous visitors are sent to sign in; API calls without a token get 401;
- members cannot use the officer's pages, the officer cannot use a member's, and a browser
  session opens nothing in the API;
- a token is refused (403, and an audit event) outside its purposes and operations;
- every form post without the browser's own CSRF token is refused and changes nothing;
- what a request sends comes back escaped; pages cannot be framed, signed-in pages are not
  cached;
- sessions: cookie flags, sign-out, erasure, forged and expired cookies, fixation, open
  redirects.

Each refusal test has a control that sends the same request with the right credentials and
sees it succeed, so a refusal cannot come from a malformed request instead.

The matrix runs on SQLite; the tests marked ``both`` also run on PostgreSQL.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select, update
from starlette.routing import Mount, Route

from purposely.access import Operation, Role, accounts, invite_member
from purposely.access.secrets import digest
from purposely.api import create_app
from purposely.api.auth import CSRF_COOKIE, REFUSED, SESSION_COOKIE, csrf_token
from purposely.api.services import Services
from purposely.consent.ledger import state
from purposely.notice import notice_version
from purposely.store import Store
from purposely.store.models import Account, AuditEvent, Base, BuildJob, Record, Subject, WebSession
from tests.api.conftest import NONCE, PASSWORD, TRAIN, bearer, form_token, signed_in


class Response(Protocol):
    """What the tests read of a test client's response (Starlette's client is built on
    httpx or its successor httpx2, whichever is installed)."""

    @property
    def status_code(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def content(self) -> bytes: ...
    @property
    def headers(self) -> Any: ...
    @property
    def cookies(self) -> Any: ...


JOBS = "personalize.job_recommendations"  # Bob has decided nothing about it yet
BASE = "http://testserver"


class Who(StrEnum):
    """Who a route is for."""

    PUBLIC = "public"  # anyone: landing, sign-in, invitations, the API's documentation
    MEMBER = "member"  # a signed-in member, about their own data only
    OFFICER = "officer"  # the signed-in privacy officer
    TOKEN = "token"  # a service with an API token


# Placeholders in a route's valid request, filled in when the test runs.
INVITATION = "<a fresh invitation secret for Bob>"
BUILD = "<the id of a build job for train_ai_system>"


@dataclass(frozen=True)
class Door:
    """How a route is reached: by whom, and what a valid request to it holds.

    ``operation``: what an API token needs (for ``TOKEN`` routes). ``params``: the path
    parameters of a valid request. ``form``: the fields of a valid form post, apart from the
    CSRF token (None: the route takes no form). ``body``: the JSON of a valid API request.
    """

    who: Who
    operation: Operation | None = None
    params: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] | None = None
    body: dict[str, Any] | None = None


_NOTICE = {"notice": "<current>"}
ROUTES: dict[tuple[str, str], Door] = {
    # FastAPI's own: the API's documentation, public by design (it holds no data).
    ("GET", "/openapi.json"): Door(Who.PUBLIC),
    ("GET", "/docs"): Door(Who.PUBLIC),
    ("GET", "/docs/oauth2-redirect"): Door(Who.PUBLIC),
    ("GET", "/redoc"): Door(Who.PUBLIC),
    # The privacy center's public pages.
    ("GET", "/"): Door(Who.PUBLIC),
    ("GET", "/notice"): Door(Who.PUBLIC),
    ("GET", "/signin"): Door(Who.PUBLIC),
    ("POST", "/signin"): Door(Who.PUBLIC, form={"name": "@bob", "password": PASSWORD}),
    ("GET", "/invite/{secret}"): Door(Who.PUBLIC, params={"secret": INVITATION}),
    ("POST", "/invite/{secret}"): Door(
        Who.PUBLIC,
        params={"secret": INVITATION},
        form={"password": "a brand new passphrase", "password2": "a brand new passphrase"},
    ),
    ("GET", "/admin/signin"): Door(Who.PUBLIC),
    ("POST", "/admin/signin"): Door(Who.PUBLIC, form={"name": "dpo", "password": PASSWORD}),
    # A member's own pages.
    ("POST", "/signout"): Door(Who.MEMBER, form={}),
    ("GET", "/me"): Door(Who.MEMBER),
    ("GET", "/me/purposes/{purpose}"): Door(Who.MEMBER, params={"purpose": TRAIN}),
    # One route for the three decisions; a grant of a purpose Bob has not decided about.
    ("POST", "/me/purposes/{purpose}/{decision}"): Door(
        Who.MEMBER, params={"purpose": JOBS, "decision": "grant"}, form=_NOTICE
    ),
    ("GET", "/me/report"): Door(Who.MEMBER),
    ("GET", "/me/export"): Door(Who.MEMBER),
    ("POST", "/me/export"): Door(Who.MEMBER, form={}),
    ("GET", "/me/erase"): Door(Who.MEMBER),
    ("POST", "/me/erase"): Door(Who.MEMBER, form={"confirm": "yes"}),
    # The privacy officer's pages.
    ("GET", "/admin"): Door(Who.OFFICER),
    ("GET", "/admin/datamap"): Door(Who.OFFICER),
    ("GET", "/admin/policy"): Door(Who.OFFICER),
    ("GET", "/admin/snapshots"): Door(Who.OFFICER),
    ("GET", "/admin/models"): Door(Who.OFFICER),
    ("GET", "/admin/audit"): Door(Who.OFFICER),
    ("GET", "/admin/notice"): Door(Who.OFFICER),
    # The REST API.
    ("POST", "/api/v1/events"): Door(
        Who.TOKEN,
        Operation.WRITE,
        body={
            "events": [
                {
                    "type": "consent",
                    "subject": "bob",
                    "purpose": TRAIN,
                    "decision": "withdraw",
                    "at": "2024-06-01T12:00:00Z",
                    "notice_version": "test-1",
                }
            ]
        },
    ),
    ("POST", "/api/v1/consents"): Door(
        Who.TOKEN,
        Operation.WRITE,
        body={"subject": "bob", "purpose": TRAIN, "decision": "withdraw"},
    ),
    ("GET", "/api/v1/gate/{purpose}"): Door(Who.TOKEN, Operation.READ, params={"purpose": TRAIN}),
    ("POST", "/api/v1/datasets/builds"): Door(Who.TOKEN, Operation.BUILD, body={"purpose": TRAIN}),
    ("GET", "/api/v1/datasets/builds/{build_id}"): Door(
        Who.TOKEN, Operation.READ, params={"build_id": BUILD}
    ),
}


def served_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) ``app`` answers; HEAD goes with GET. Routers included in the
    app are walked as FastAPI's OpenAPI generator walks them (with their prefixes); mounts
    and anything else are listed too, so that they also have to be classified."""
    found: set[tuple[str, str]] = set()
    for context in iter_route_contexts(app.routes):
        route, path = context.original_route, str(context.path)
        if isinstance(route, APIRoute | Route):
            found.update((m, path) for m in (context.methods or set()) - {"HEAD"})
        elif isinstance(route, Mount):
            found.add(("MOUNT", path))
        else:
            found.add((type(route).__name__, path))
    return found


def routes_of(*who: Who, method: str | None = None) -> list[tuple[str, str]]:
    """The classified routes for ``who`` (and ``method``), for parametrizing."""
    return [
        key
        for key, door in ROUTES.items()
        if door.who in who and (method is None or key[0] == method)
    ]


def form_routes() -> list[tuple[str, str]]:
    """Every route that takes a browser form."""
    return [key for key, door in ROUTES.items() if door.form is not None]


def _id(key: tuple[str, str]) -> str:
    return f"{key[0]} {key[1]}"


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """SQLite, unless a test asks for ``store`` on both databases (see :data:`both`)."""
    backend = getattr(request, "param", "sqlite")
    url = (
        f"sqlite:///{tmp_path / 'store.db'}"
        if backend == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    opened = Store.init(url)
    yield opened
    opened.engine.dispose()


both = pytest.mark.parametrize("store", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(autouse=True)
def _quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with its lightest parameters: these tests set and check a few hundred
    passwords, and what they test is who may do what, not the hash (tests/access has those
    tests). The hash of unknown names is made again with the same parameters, so a wrong
    name still costs what a wrong password costs."""
    quick = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    monkeypatch.setattr(accounts, "_HASHER", quick)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", quick.hash("purposely: no such account"))


@pytest.fixture
def anonymous(app: FastAPI) -> TestClient:
    """A browser without a session, but with a CSRF cookie (as after viewing any page)."""
    browser = TestClient(app, base_url=BASE, follow_redirects=False)
    browser.cookies.set(CSRF_COOKIE, NONCE)
    return browser


# --- requests ------------------------------------------------------------------------------


@dataclass
class Fill:
    """Values for a route's placeholders, made on demand (some write to the store)."""

    services: Services

    def __call__(self, value: str) -> str:
        if value == INVITATION:
            return invite_member(self.services.store, "bob").secret
        if value == BUILD:
            return _build_job(self.services.store, TRAIN)
        if value == "<current>":
            return notice_version(self.services.policy)
        return value


def _build_job(store: Store, purpose: str) -> str:
    """A finished build job's id, written directly: the tests need a job, not a build."""
    job_id = uuid.uuid4().hex
    now = datetime.now(UTC)
    with store.write() as conn:
        conn.execute(
            insert(BuildJob),
            [
                {
                    "id": job_id,
                    "purpose": purpose,
                    "out": "snapshots/none",
                    "state": "failed",
                    "requested_by": "test",
                    "requested_at": now,
                    "finished_at": now,
                    "snapshot_id": None,
                    "error": "not really built",
                }
            ],
        )
    return job_id


def url_of(key: tuple[str, str], params: dict[str, str]) -> str:
    """The route's path with ``params`` put in (URL-quoted)."""
    return re.sub(r"{(\w+)}", lambda m: quote(params[m.group(1)], safe=""), key[1])


def valid_request(
    key: tuple[str, str], services: Services, *, csrf: str | None = None
) -> dict[str, Any]:
    """Keyword arguments for ``TestClient.request`` making a valid request to ``key``
    (``csrf``: the form token to send; forms only)."""
    door, fill = ROUTES[key], Fill(services)
    params = {name: fill(value) for name, value in door.params.items()}
    request: dict[str, Any] = {"method": key[0], "url": url_of(key, params)}
    if door.form is not None:
        data = {name: fill(value) for name, value in door.form.items()}
        if csrf is not None:
            data["csrf"] = csrf
        request["data"] = data
    if door.body is not None:
        request["json"] = door.body
    return request


# --- what the store holds --------------------------------------------------------------------


def fingerprint(store: Store) -> dict[str, Any]:
    """Everything a refused request must leave as it was: the row count of every table (the
    ledger, the audit log, sessions, subjects, records...) and every account's password and
    invitation."""
    with store.read() as conn:
        counts = {
            table.name: conn.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }
        logins = conn.execute(
            select(Account.pk, Account.password_hash, Account.invite_sha256).order_by(Account.pk)
        ).all()
    return {"counts": counts, "accounts": [tuple(row) for row in logins]}


def refusals(store: Store) -> int:
    """How many ``api.refused`` events the audit log holds."""
    with store.read() as conn:
        found = conn.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == REFUSED)
        )
    return int(found or 0)


# --- 0. the table is complete ----------------------------------------------------------------


def test_every_route_is_classified(app: FastAPI) -> None:
    unclassified = served_routes(app) - set(ROUTES)
    assert not unclassified, (
        f"routes missing from ROUTES in {__file__}: {sorted(unclassified)}; classify each "
        "(public, member, officer or token) so that the security tests cover it"
    )


def test_the_table_names_only_served_routes(app: FastAPI) -> None:
    # A stale entry would make its generated tests test a 404 instead of the route.
    assert set(ROUTES) - served_routes(app) == set()


def test_the_member_and_officer_areas_are_where_the_table_says() -> None:
    # The path prefixes the redirect handler and the cookie logic rely on.
    for (_, path), door in ROUTES.items():
        if door.who is Who.OFFICER:
            assert path == "/admin" or path.startswith("/admin/")
        if door.who is Who.TOKEN:
            assert path.startswith("/api/v1/")
        if path.startswith("/me"):
            assert door.who is Who.MEMBER


# --- a. another member's data ----------------------------------------------------------------


@dataclass(frozen=True)
class Victim:
    """Alice, as Bob might name her, and what of hers must never reach him."""

    names: dict[str, str]  # what Bob could put in a request: label -> value
    secrets: list[str]  # never shown to Bob, whatever he sends
    words: list[str]  # her personal data: never shown to Bob


@pytest.fixture
def victim(services: Services, alice: TestClient) -> Victim:
    """Alice with an account, a session and a pending invitation (a new link, unused)."""
    store = services.store
    invitation = invite_member(store, "alice").secret
    with store.read() as conn:
        me = conn.execute(select(Subject.__table__).where(Subject.id == "alice")).one()
        records = conn.execute(
            select(Record.pk, Record.source_id).where(Record.subject_pk == me.pk)
        ).all()
        account = conn.scalar(select(Account.pk).where(Account.subject_pk == me.pk))
    session = alice.cookies[SESSION_COOKIE]
    names = {
        "id": "alice",
        "handle": "@alice",
        "subject_pk": str(me.pk),
        "account_pk": str(account),
        "pseudonym": me.pseudonym,
        "invitation": invitation,
        "session": session,
        **{f"record_{r.source_id}": r.source_id for r in records},
        **{f"record_pk_{r.source_id}": str(r.pk) for r in records},
    }
    return Victim(
        names=names,
        secrets=[me.pseudonym, invitation, session, digest(session)],
        words=[
            "Alice schreibt Beitrag",
            "Hallo Bob, privat",
            "1990-04-01",
            "alice",  # her id and handle, beyond an echo of what Bob sent (see _leaks)
        ],
    )


def _alice(store: Store) -> dict[str, Any]:
    """Alice's data and decisions, which nothing Bob does may change."""
    with store.read() as conn:
        me = conn.execute(select(Subject.__table__).where(Subject.id == "alice")).one_or_none()
        if me is None:
            return {"erased": True}
        records = conn.scalar(
            select(func.count()).select_from(Record).where(Record.subject_pk == me.pk)
        )
        decisions = {p: e.decision.value for p, e in state(conn, me.pseudonym).items()}
        account = conn.execute(
            select(Account.pk, Account.password_hash).where(Account.subject_pk == me.pk)
        ).one()
        sessions = conn.scalar(select(func.count()).where(WebSession.account_pk == account.pk))
    return {
        "subject": (me.id, me.handle, me.birth_date, me.country),
        "records": records,
        "decisions": decisions,
        "password": account.password_hash,
        "sessions": sessions,
    }


def _leaks(response: Response, victim: Victim, sent: list[str]) -> list[str]:
    """What of Alice's ``response`` shows (body and headers), apart from echoes of the values
    Bob ``sent``: a page may repeat "no such purpose 'alice'", which tells him nothing new.

    Only a marker that an echo contains (her id in "@alice") is looked for in the text with
    the echoes taken out; every other marker in the whole text, so that taking out a short
    echo (a record id like "1") cannot hide, say, her birth date."""
    text = response.text + "\n" + "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    text = text.lower()
    echoes = {e.lower() for v in sent for e in (v, quote(v, safe=""), quote(v, safe="/"))}
    stripped = text
    for echo in sorted(echoes, key=len, reverse=True):  # "@alice" before "alice"
        stripped = stripped.replace(echo, "")
    shown = []
    for marker in [*victim.secrets, *victim.words]:
        echoed = any(marker.lower() in echo for echo in echoes)
        if marker.lower() in (stripped if echoed else text):
            shown.append(marker)
    return shown


def _nosy_requests(
    key: tuple[str, str], services: Services, victim: Victim
) -> Iterator[tuple[dict[str, Any], list[str]]]:
    """Requests Bob might try on route ``key`` to reach Alice's data, each with the values it
    sent: every path parameter set to each of her names, and her names added to the query
    (and the form) under the names a handler might read."""
    names = victim.names
    extra = {
        "subject": names["id"],
        "subject_id": names["id"],
        "member": names["handle"],
        "handle": names["handle"],
        "account": names["account_pk"],
        "id": names["subject_pk"],
        "session": names["session"],
    }
    token = form_token(services)
    base = valid_request(key, services, csrf=token)
    params = re.findall(r"{(\w+)}", key[1])
    for value in names.values():
        if not params:
            break
        request = {**base, "url": url_of(key, dict.fromkeys(params, value))}
        yield request, [value]
    request = {**base, "params": extra}
    if "data" in base:
        request["data"] = {**extra, **base["data"]}
    yield request, list(extra.values())


@pytest.mark.parametrize("key", routes_of(Who.MEMBER), ids=_id)
def test_a_member_cannot_reach_another_members_data(
    key: tuple[str, str], services: Services, victim: Victim, bob: TestClient
) -> None:
    before = _alice(services.store)
    for request, sent in _nosy_requests(key, services, victim):
        response = bob.request(**request)
        assert response.status_code < 500, (request, response.text[:500])
        assert response.status_code in {200, 303, 400, 403, 404}, (request, response.status_code)
        assert _leaks(response, victim, sent) == [], (request, response.status_code)
        assert _alice(services.store) == before, f"{request} changed Alice's data"


@both
def test_bobs_pages_are_his_own(services: Services, victim: Victim, bob: TestClient) -> None:
    """The control of the test above: Bob's pages do show Bob's data (so an empty page
    would not pass as 'leaks nothing'), and none of Alice's."""
    report = bob.get("/me/report", params={"subject": "alice"})
    assert report.status_code == 200
    assert "Bob writes post number" in report.text
    assert _leaks(report, victim, ["alice"]) == []
    export = bob.post("/me/export", data={"csrf": form_token(services), "subject": "alice"})
    assert export.status_code == 200
    assert b"Bob writes post number" in _unzipped(export.content)
    assert b"Alice schreibt" not in _unzipped(export.content)
    assert b"1990-04-01" not in _unzipped(export.content)


def _unzipped(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return b"\n".join(archive.read(name) for name in archive.namelist())


# --- b. anonymous visitors -------------------------------------------------------------------


@pytest.mark.parametrize("key", routes_of(Who.MEMBER, Who.OFFICER), ids=_id)
def test_anonymous_visitors_are_sent_to_sign_in(
    key: tuple[str, str], services: Services, anonymous: TestClient
) -> None:
    before = fingerprint(services.store)
    response = anonymous.request(**valid_request(key, services, csrf=form_token(services)))
    sign_in = "/admin/signin" if ROUTES[key].who is Who.OFFICER else "/signin"
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == sign_in
    assert not location.netloc or location.netloc == "testserver"
    assert fingerprint(services.store) == before


@pytest.mark.parametrize("key", routes_of(Who.TOKEN), ids=_id)
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer pty_nope_nope", "Bearer not-a-token", "Basic Ym9iOmJvYg=="],
)
def test_api_calls_without_a_valid_token_get_401(
    key: tuple[str, str], authorization: str | None, services: Services, client: TestClient
) -> None:
    request = valid_request(key, services)
    headers = {"Authorization": authorization} if authorization else {}
    before = fingerprint(services.store)
    response = client.request(**request, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert fingerprint(services.store) == before


@both
def test_a_revoked_token_gets_401(services: Services, client: TestClient) -> None:
    from purposely.access import revoke_token

    headers = bearer(services, [TRAIN], ["read"])
    assert client.get(f"/api/v1/gate/{TRAIN}", headers=headers).status_code == 200
    token_id = headers["Authorization"].split("_")[1]
    revoke_token(services.store, token_id)
    assert client.get(f"/api/v1/gate/{TRAIN}", headers=headers).status_code == 401


# --- c. the wrong kind of session ------------------------------------------------------------


@pytest.mark.parametrize("key", routes_of(Who.OFFICER), ids=_id)
def test_members_cannot_use_the_officers_pages(
    key: tuple[str, str], services: Services, bob: TestClient
) -> None:
    response = bob.request(**valid_request(key, services, csrf=form_token(services)))
    assert response.status_code in {303, 403}
    if response.status_code == 303:
        assert urlsplit(response.headers["location"]).path == "/admin/signin"


@pytest.mark.parametrize("key", routes_of(Who.MEMBER), ids=_id)
def test_the_officer_cannot_use_a_members_pages(
    key: tuple[str, str], services: Services, officer: TestClient
) -> None:
    before = fingerprint(services.store)
    response = officer.request(**valid_request(key, services, csrf=form_token(services)))
    if key == ("POST", "/signout"):  # signing out ends any session: that is the officer's own
        assert response.status_code == 303
        return
    assert response.status_code in {303, 403}
    if response.status_code == 303:
        assert urlsplit(response.headers["location"]).path == "/signin"
    assert fingerprint(services.store) == before


@pytest.mark.parametrize("key", routes_of(Who.TOKEN), ids=_id)
def test_a_browser_session_opens_nothing_in_the_api(
    key: tuple[str, str], services: Services, bob: TestClient, officer: TestClient
) -> None:
    # The API takes no cookies: otherwise another site could call it with a member's session.
    for browser in (bob, officer):
        assert browser.request(**valid_request(key, services)).status_code == 401


# --- d. token scopes -------------------------------------------------------------------------


@pytest.mark.parametrize("key", routes_of(Who.TOKEN), ids=_id)
def test_a_token_works_within_its_scope(
    key: tuple[str, str], services: Services, client: TestClient
) -> None:
    """The control for the refusals below: the same request with the right scope passes."""
    operation = ROUTES[key].operation
    assert operation is not None
    headers = bearer(services, [TRAIN], [operation.value])
    response = client.request(**valid_request(key, services), headers=headers)
    assert response.status_code < 300, response.text


@pytest.mark.parametrize("key", routes_of(Who.TOKEN), ids=_id)
def test_a_token_for_another_purpose_is_refused_and_audited(
    key: tuple[str, str], services: Services, client: TestClient
) -> None:
    every_operation = [o.value for o in Operation]
    headers = bearer(services, [JOBS], every_operation)
    request = valid_request(key, services)
    before, refused = fingerprint(services.store), refusals(services.store)
    response = client.request(**request, headers=headers)
    assert response.status_code == 403, response.text
    assert refusals(services.store) == refused + 1
    after = fingerprint(services.store)
    after["counts"]["audit_events"] -= 1  # the refusal itself, and nothing else
    assert after == before


@pytest.mark.parametrize("key", routes_of(Who.TOKEN), ids=_id)
def test_a_token_without_the_operation_is_refused_and_audited(
    key: tuple[str, str], services: Services, client: TestClient
) -> None:
    needed = ROUTES[key].operation
    others = [o.value for o in Operation if o is not needed]
    headers = bearer(services, [TRAIN], others)
    refused = refusals(services.store)
    response = client.request(**valid_request(key, services), headers=headers)
    assert response.status_code == 403, response.text
    assert refusals(services.store) == refused + 1


@both
def test_a_refusal_names_the_token_not_its_secret(services: Services, client: TestClient) -> None:
    headers = bearer(services, [JOBS], ["read"])
    secret = headers["Authorization"].removeprefix("Bearer ")
    response = client.get(f"/api/v1/gate/{TRAIN}", headers=headers)
    assert response.status_code == 403
    assert secret not in response.text
    with services.store.read() as conn:
        event = conn.execute(
            select(AuditEvent.__table__)
            .where(AuditEvent.action == REFUSED)
            .order_by(AuditEvent.seq.desc())
        ).first()
    assert event is not None
    assert event.purpose == TRAIN
    assert event.caller.startswith(f"token:{secret.split('_')[1]}:")
    assert secret.split("_", 2)[2] not in str(event.details)


# --- e. CSRF -----------------------------------------------------------------------------------


def _browser_for(key: tuple[str, str], app: FastAPI, services: Services) -> TestClient:
    """A browser that may use ``key``: Bob for member pages, anyone else for public forms.
    Bob and the officer have accounts in either case (the sign-in forms need them)."""
    bob = signed_in(app, services, Role.MEMBER, "bob")
    signed_in(app, services, Role.OFFICER, "dpo")
    if ROUTES[key].who is Who.MEMBER:
        return bob
    browser = TestClient(app, base_url=BASE, follow_redirects=False)
    browser.cookies.set(CSRF_COOKIE, NONCE)
    return browser


CSRF_ATTACKS: dict[str, Callable[[Services, TestClient], str | None]] = {
    "missing": lambda svc, browser: None,
    "empty": lambda svc, browser: "",
    "wrong": lambda svc, browser: "0" * 64,
    "another browser's": lambda svc, browser: csrf_token(svc, "another browser's nonce"),
    # The right token, but the browser's own cookie is gone (as on a cross-site post when
    # the cookie is SameSite=Strict): the token alone proves nothing.
    "without the cookie": lambda svc, browser: _drop_cookie(svc, browser),
}


def _drop_cookie(svc: Services, browser: TestClient) -> str:
    browser.cookies.delete(CSRF_COOKIE)
    return csrf_token(svc, NONCE)


@pytest.mark.parametrize("attack", list(CSRF_ATTACKS))
@pytest.mark.parametrize("key", form_routes(), ids=_id)
def test_forms_without_the_browsers_csrf_token_are_refused(
    key: tuple[str, str], attack: str, app: FastAPI, services: Services
) -> None:
    browser = _browser_for(key, app, services)
    token = CSRF_ATTACKS[attack](services, browser)
    request = valid_request(key, services, csrf=token)
    before = fingerprint(services.store)
    response = browser.request(**request)
    assert response.status_code == 403, response.text[:300]
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    assert fingerprint(services.store) == before


@pytest.mark.parametrize("key", form_routes(), ids=_id)
def test_forms_with_the_browsers_csrf_token_are_accepted(
    key: tuple[str, str], app: FastAPI, services: Services
) -> None:
    """The control for the refusals above: the same forms with the right token do what they
    are for (so the refusals are about the token, not a malformed form)."""
    browser = _browser_for(key, app, services)
    request = valid_request(key, services, csrf=form_token(services))
    before = fingerprint(services.store)
    response = browser.request(**request)
    assert response.status_code in {200, 303}, response.text[:300]
    assert fingerprint(services.store) != before


def test_pages_with_forms_set_the_csrf_cookie_they_need(client: TestClient) -> None:
    fresh = TestClient(client.app, base_url=BASE, follow_redirects=False)
    page = fresh.get("/signin")
    assert page.status_code == 200
    cookie = page.cookies.get(CSRF_COOKIE)
    assert cookie
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert token is not None
    assert token.group(1) not in cookie  # the form carries a MAC of the nonce, not the nonce


# --- pages: escaping and headers --------------------------------------------------------------

# No "/" in it: a path parameter holding one would route elsewhere and test nothing.
PAYLOAD = "'\"><img src=x onerror=alert(1)><svg onload=alert(2)>"
DOCS = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}  # FastAPI's, not ours


def _pages() -> list[tuple[str, str]]:
    """Every page of the privacy center and the admin view (FastAPI's docs aside)."""
    return [k for k in routes_of(Who.PUBLIC, Who.MEMBER, Who.OFFICER) if k[1] not in DOCS]


def _browser_of(
    key: tuple[str, str], anonymous: TestClient, bob: TestClient, officer: TestClient
) -> TestClient:
    return {Who.PUBLIC: anonymous, Who.MEMBER: bob, Who.OFFICER: officer}[ROUTES[key].who]


@pytest.mark.parametrize("key", _pages(), ids=_id)
def test_what_a_request_sends_is_escaped_on_the_page(
    key: tuple[str, str],
    services: Services,
    anonymous: TestClient,
    bob: TestClient,
    officer: TestClient,
) -> None:
    """Reflected XSS: the payload in every path parameter, in the query parameters the
    pages read, and in every form field comes back escaped, if at all."""
    browser = _browser_of(key, anonymous, bob, officer)
    request = valid_request(key, services, csrf=form_token(services))
    params = re.findall(r"{(\w+)}", key[1])
    variants = [{**request, "url": url_of(key, dict.fromkeys(params, PAYLOAD))}] if params else []
    query = dict.fromkeys(("next", "done", "lang", "subject", "q"), PAYLOAD)
    variants.append({**request, "params": query})
    if "data" in request:
        fields = {name: PAYLOAD for name in request["data"] if name != "csrf"}
        variants.append({**request, "data": {**request["data"], **fields}})
    for variant in variants:
        response = browser.request(**variant)
        assert response.status_code < 500, variant
        assert "<img src=x" not in response.text, variant
        assert "<svg onload" not in response.text, variant


@pytest.mark.parametrize("key", [k for k in _pages() if k[0] == "GET"], ids=_id)
def test_pages_cannot_be_framed_or_sniffed(
    key: tuple[str, str],
    services: Services,
    anonymous: TestClient,
    bob: TestClient,
    officer: TestClient,
) -> None:
    browser = _browser_of(key, anonymous, bob, officer)
    response = browser.request(**valid_request(key, services))
    assert response.status_code in {200, 303}
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"  # invitation secrets in URLs


@pytest.mark.parametrize("key", routes_of(Who.MEMBER, Who.OFFICER, method="GET"), ids=_id)
def test_signed_in_pages_are_not_kept_by_the_browser(
    key: tuple[str, str], services: Services, bob: TestClient, officer: TestClient
) -> None:
    # On a shared computer, the back button after signing out must not show the pages.
    browser = bob if ROUTES[key].who is Who.MEMBER else officer
    response = browser.request(**valid_request(key, services))
    assert response.status_code == 200
    assert "no-store" in response.headers.get("cache-control", "")


# --- f. sessions -----------------------------------------------------------------------------


def _sign_in(services: Services, browser: TestClient, name: str = "@bob") -> Response:
    return browser.post(
        "/signin", data={"name": name, "password": PASSWORD, "csrf": form_token(services)}
    )


def _set_cookie_header(response: Response, name: str) -> str:
    for value in response.headers.get_list("set-cookie"):
        if value.startswith(f"{name}="):
            return str(value)
    raise AssertionError(f"no {name} cookie set; headers: {response.headers}")


@both
def test_session_and_csrf_cookies_are_httponly_and_samesite(
    services: Services, bob: TestClient, anonymous: TestClient
) -> None:
    response = _sign_in(services, anonymous)
    assert response.status_code == 303
    session = _set_cookie_header(response, SESSION_COOKIE).lower()
    assert "httponly" in session
    assert re.search(r"samesite=(lax|strict)", session)
    assert "secure" not in session  # served over plain HTTP in this test
    fresh = TestClient(anonymous.app, base_url=BASE)
    csrf = _set_cookie_header(fresh.get("/signin"), CSRF_COOKIE).lower()
    assert "httponly" in csrf
    assert "samesite=strict" in csrf


def test_cookies_are_secure_when_served_over_https(services: Services, bob: TestClient) -> None:
    from dataclasses import replace

    secure = replace(services, settings=replace(services.settings, secure_cookies=True))
    browser = TestClient(create_app(svc=secure), base_url="https://testserver")
    browser.cookies.set(CSRF_COOKIE, NONCE)
    signed = browser.post(
        "/signin",
        data={"name": "@bob", "password": PASSWORD, "csrf": form_token(services)},
        follow_redirects=False,
    )
    assert "secure" in _set_cookie_header(signed, SESSION_COOKIE).lower()
    fresh = TestClient(create_app(svc=secure), base_url="https://testserver")
    assert "secure" in _set_cookie_header(fresh.get("/signin"), CSRF_COOKIE).lower()


@both
def test_signing_out_ends_the_session_on_the_server(
    services: Services, bob: TestClient, app: FastAPI
) -> None:
    old = bob.cookies[SESSION_COOKIE]
    assert bob.get("/me").status_code == 200
    out = bob.post("/signout", data={"csrf": form_token(services)})
    assert out.status_code == 303
    # Another browser that kept a copy of the cookie (a stolen one) gets nothing any more.
    thief = TestClient(app, base_url=BASE, follow_redirects=False)
    thief.cookies.set(SESSION_COOKIE, old)
    response = thief.get("/me")
    assert response.status_code == 303
    assert urlsplit(response.headers["location"]).path == "/signin"
    with services.store.read() as conn:
        assert (
            conn.scalar(
                select(func.count())
                .select_from(WebSession)
                .where(WebSession.secret_sha256 == digest(old))
            )
            == 0
        )


@both
def test_erasure_ends_the_members_sessions_everywhere(
    services: Services, bob: TestClient, app: FastAPI
) -> None:
    # Bob is signed in on a second device too; erasing from one must close both, since the
    # account goes with the subject.
    other_device = signed_in(app, services, Role.MEMBER, "bob")
    assert other_device.get("/me").status_code == 200
    done = bob.post("/me/erase", data={"csrf": form_token(services), "confirm": "yes"})
    assert done.status_code == 200
    for browser in (bob, other_device):
        response = browser.get("/me")
        assert response.status_code == 303
        assert urlsplit(response.headers["location"]).path == "/signin"
    with services.store.read() as conn:
        assert conn.scalar(select(func.count()).select_from(WebSession)) == 0
        assert conn.scalar(select(func.count()).select_from(Account)) == 0
    # Nor can he sign in again: the account is gone with the subject.
    again = TestClient(app, base_url=BASE, follow_redirects=False)
    again.cookies.set(CSRF_COOKIE, NONCE)
    assert _sign_in(services, again).status_code == 401


@pytest.mark.parametrize(
    "cookie",
    ["forged", "", "a" * 43, "../../etc/passwd", "%00", "x" * 5000],
)
def test_a_forged_session_cookie_opens_nothing(cookie: str, app: FastAPI, bob: TestClient) -> None:
    browser = TestClient(app, base_url=BASE, follow_redirects=False)
    browser.cookies.set(SESSION_COOKIE, cookie)
    for path, sign_in in (("/me", "/signin"), ("/admin", "/admin/signin")):
        response = browser.get(path)
        assert response.status_code == 303
        assert urlsplit(response.headers["location"]).path == sign_in


@both
def test_an_expired_session_opens_nothing(services: Services, bob: TestClient) -> None:
    assert bob.get("/me").status_code == 200
    secret = bob.cookies[SESSION_COOKIE]
    with services.store.write() as conn:
        conn.execute(
            update(WebSession)
            .where(WebSession.secret_sha256 == digest(secret))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    response = bob.get("/me")
    assert response.status_code == 303
    assert urlsplit(response.headers["location"]).path == "/signin"


@both
def test_signing_in_issues_a_new_session_cookie(
    services: Services, bob: TestClient, anonymous: TestClient, app: FastAPI
) -> None:
    # Session fixation: a cookie planted before sign-in (by another site, or another person
    # at a shared computer who signed in earlier) must not be the session after it.
    planted = "planted-by-someone-else"
    anonymous.cookies.set(SESSION_COOKIE, planted)
    response = _sign_in(services, anonymous)
    assert response.status_code == 303
    issued = response.cookies.get(SESSION_COOKIE)
    assert issued and issued != planted
    # A browser where someone else (Bob) is signed in: his session ends, a new one starts.
    earlier = bob.cookies[SESSION_COOKIE]
    again = _sign_in(services, bob)
    assert again.cookies.get(SESSION_COOKIE) not in {None, earlier}
    holder = TestClient(app, base_url=BASE, follow_redirects=False)
    holder.cookies.set(SESSION_COOKIE, earlier)
    assert holder.get("/me").status_code == 303


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/me",
        "//evil.example/me",
        "/\\evil.example/me",
        "\\\\evil.example",
        "http:/evil.example",
        "/admin",
        "javascript:alert(1)",
    ],
)
def test_sign_in_never_sends_the_browser_elsewhere(
    target: str, services: Services, bob: TestClient, anonymous: TestClient
) -> None:
    response = anonymous.post(
        "/signin",
        data={"name": "@bob", "password": PASSWORD, "csrf": form_token(services), "next": target},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/me"


def test_sign_in_follows_a_local_next(
    services: Services, bob: TestClient, anonymous: TestClient
) -> None:
    """The control of the test above: a page of the member's own area is honoured."""
    response = anonymous.post(
        "/signin",
        data={
            "name": "@bob",
            "password": PASSWORD,
            "csrf": form_token(services),
            "next": "/me/report",
        },
    )
    assert response.headers["location"] == "/me/report"


@pytest.mark.parametrize(
    "referer",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example/phish",
        f"{BASE}.evil.example/phish",  # starts with the base URL, but is another host
    ],
)
def test_the_error_pages_back_link_stays_on_the_site(referer: str, bob: TestClient) -> None:
    # An error page links "back" to the referring page; a link to another site from a page
    # of the privacy center would lend it the center's credibility (phishing).
    response = bob.get("/me/purposes/no.such.purpose", headers={"Referer": referer})
    assert response.status_code == 404
    assert "Back" in response.text  # the error page, with its back link
    assert "evil.example" not in response.text


def test_a_wrong_password_and_an_unknown_name_look_the_same(
    services: Services, bob: TestClient, anonymous: TestClient
) -> None:
    wrong = anonymous.post(
        "/signin", data={"name": "@bob", "password": "wrong" * 4, "csrf": form_token(services)}
    )
    unknown = anonymous.post(
        "/signin", data={"name": "@nobody", "password": "wrong" * 4, "csrf": form_token(services)}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert SESSION_COOKIE not in wrong.headers.get("set-cookie", "")
    assert _without_names(wrong.text) == _without_names(unknown.text)


def _without_names(page: str) -> str:
    return page.replace("@bob", "").replace("@nobody", "")
