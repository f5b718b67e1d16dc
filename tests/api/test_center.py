"""The privacy center as a member uses it: through the real forms (GET the page, read its
CSRF token, POST), in English and German, with Alice (DE) and Bob (US) on each database."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select

from purposely.access import invite_member, invite_officer
from purposely.api.auth import SESSION_COOKIE
from purposely.api.services import Services
from purposely.consent import Decision, state
from purposely.consent.ledger import LedgerEntry
from purposely.errors import UnknownSubjectError
from purposely.notice import build_notice, layout, notice_version, section_html
from purposely.notice.text import Span
from purposely.store.models import Account, WebSession
from purposely.store.subjects import find_subject
from purposely.taxonomy import IDENTITY_VERIFICATION
from tests.api.conftest import PASSWORD, TRAIN, form_token

BASE = "http://testserver"
NEW_PASSWORD = "a brand new passphrase"


def browser(app: FastAPI) -> TestClient:
    """A fresh browser without cookies that shows redirects instead of following them."""
    return TestClient(app, base_url=BASE, follow_redirects=False)


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, "the page has no form token"
    return found.group(1)


def hidden(html: str, name: str) -> str:
    """The value of the first hidden field ``name`` on a page."""
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"the page has no hidden field {name}"
    return found.group(1)


def set_password(web: TestClient, secret: str, password: str = NEW_PASSWORD) -> Response:
    """Open an invitation link and set a password through its form."""
    page = web.get(f"/invite/{secret}")
    assert page.status_code == 200
    form = {"csrf": csrf_of(page.text), "password": password, "password2": password}
    return web.post(f"/invite/{secret}", data=form)


def sign_in(
    web: TestClient, name: str, password: str, path: str = "/signin", **extra: str
) -> Response:
    """Sign in through the sign-in form."""
    page = web.get(path)
    data = {"csrf": csrf_of(page.text), "name": name, "password": password, **extra}
    return web.post(path, data=data)


def ledger_state(services: Services, subject: str) -> dict[str, LedgerEntry]:
    """The subject's standing decisions, by purpose."""
    with services.store.read() as conn:
        return state(conn, find_subject(conn, subject).pseudonym)


# --- invitations and signing in ------------------------------------------------------------


def test_a_member_sets_a_password_from_the_invitation_and_signs_in(
    app: FastAPI, services: Services
) -> None:
    web = browser(app)
    done = set_password(web, invite_member(services.store, "alice").secret)
    assert done.status_code == 303 and done.headers["location"] == "/me"
    overview = web.get("/me")
    assert overview.status_code == 200
    assert f'href="/me/purposes/{TRAIN}"' in overview.text
    assert "Training AI models" in overview.text

    out = web.post("/signout", data={"csrf": csrf_of(overview.text)})
    assert out.status_code == 303 and out.headers["location"] == "/"
    assert urlsplit(web.get("/me").headers["location"]).path == "/signin"

    signed = sign_in(web, "@alice", NEW_PASSWORD)
    assert signed.status_code == 303 and signed.headers["location"] == "/me"
    assert web.get("/me").status_code == 200
    assert web.get("/signin").headers["location"] == "/me"  # signed in already
    by_id = browser(app)
    assert sign_in(by_id, "alice", NEW_PASSWORD).headers["location"] == "/me"


def test_the_session_cookie_is_httponly_samesite_and_lasts_a_session(
    app: FastAPI, services: Services, alice: TestClient
) -> None:
    signed = sign_in(browser(app), "@alice", PASSWORD)
    cookie = next(
        c for c in signed.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}=")
    ).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "max-age=43200" in cookie
    assert "secure" not in cookie  # plain HTTP here; Settings.secure_cookies adds it


def test_sign_in_goes_on_to_a_page_of_the_members_own_area_only(
    app: FastAPI, alice: TestClient
) -> None:
    assert (
        sign_in(browser(app), "@alice", PASSWORD, next="/me/report").headers["location"]
        == "/me/report"
    )
    for elsewhere in ("https://evil.example/me", "//evil.example/me", "/admin", "/mean"):
        response = sign_in(browser(app), "@alice", PASSWORD, next=elsewhere)
        assert response.headers["location"] == "/me", elsewhere


def test_a_page_that_needs_sign_in_comes_back_after_it(app: FastAPI, alice: TestClient) -> None:
    web = browser(app)
    first = web.get("/me/report")
    assert first.status_code == 303
    page = web.get(first.headers["location"])
    assert hidden(page.text, "next") == "/me/report"
    response = web.post(
        "/signin",
        data={
            "csrf": csrf_of(page.text),
            "name": "@alice",
            "password": PASSWORD,
            "next": hidden(page.text, "next"),
        },
    )
    assert response.headers["location"] == "/me/report"


def test_a_wrong_password_gets_one_generic_message(app: FastAPI, alice: TestClient) -> None:
    wrong = sign_in(browser(app), "@alice", "not her password at all")
    unknown = sign_in(browser(app), "@nobody", "not her password at all")
    invited = sign_in(browser(app), "@bob", "")  # Bob has no account: same answer
    for response in (wrong, unknown, invited):
        assert response.status_code == 401
        assert "The name and password do not match" in response.text
        assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    assert _problem(wrong.text) == _problem(unknown.text) == _problem(invited.text)


def _problem(html: str) -> str:
    found = re.search(r'<p class="problem"[^>]*>(.*?)</p>', html)
    assert found
    return found.group(1)


def test_sign_in_is_refused_for_a_while_after_five_failures(
    app: FastAPI, alice: TestClient
) -> None:
    web = browser(app)
    for _ in range(5):
        assert sign_in(web, "@alice", "wrong guess number x").status_code == 401
    blocked = sign_in(web, "@alice", PASSWORD)  # even the right password: no more guessing
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) == 900
    assert "15 minutes" in blocked.text
    assert SESSION_COOKIE not in blocked.headers.get("set-cookie", "")


def test_failures_count_per_address_and_per_name(app: FastAPI, alice: TestClient) -> None:
    guesser = browser(app)  # one address trying many names
    for i in range(5):
        assert sign_in(guesser, f"@someone{i}", "wrong guess number x").status_code == 401
    assert sign_in(guesser, "@alice", PASSWORD).status_code == 429

    # Many addresses trying one name (a botnet): the name is blocked, the others are not.
    for i in range(5):
        web = TestClient(app, base_url=BASE, follow_redirects=False, client=(f"10.0.0.{i}", 1))
        assert sign_in(web, "@carol", "wrong guess number x").status_code == 401
    fresh = TestClient(app, base_url=BASE, follow_redirects=False, client=("10.0.1.1", 1))
    assert sign_in(fresh, "carol", "wrong guess number x").status_code == 429
    assert sign_in(fresh, "@alice", PASSWORD).status_code == 303


def test_a_used_or_expired_invitation_is_not_found(app: FastAPI, services: Services) -> None:
    used = invite_member(services.store, "alice").secret
    assert set_password(browser(app), used).status_code == 303
    expired = invite_member(services.store, "bob", valid=timedelta(seconds=-1)).secret
    for secret in (used, expired, "no-such-secret"):
        web = browser(app)
        assert web.get(f"/invite/{secret}").status_code == 404
        token = csrf_of(web.get("/signin").text)
        form = {"csrf": token, "password": NEW_PASSWORD, "password2": NEW_PASSWORD}
        response = web.post(f"/invite/{secret}", data=form)
        assert response.status_code == 404
        assert "unknown, was already used, or has expired" in response.text


@pytest.mark.parametrize(
    ("password", "password2", "says"),
    [
        ("short", "short", "too short"),
        (NEW_PASSWORD, NEW_PASSWORD + "!", "not the same"),
    ],
)
def test_a_bad_password_is_refused_and_changes_nothing(
    app: FastAPI, services: Services, password: str, password2: str, says: str
) -> None:
    secret = invite_member(services.store, "alice").secret
    web = browser(app)
    page = web.get(f"/invite/{secret}")
    form = {"csrf": csrf_of(page.text), "password": password, "password2": password2}
    response = web.post(f"/invite/{secret}", data=form)
    assert response.status_code == 400 and says in response.text
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    with services.store.read() as conn:
        assert conn.scalar(select(Account.password_hash)) is None
    assert web.get(f"/invite/{secret}").status_code == 200  # the link still works


def test_an_officer_invitation_leads_to_the_admin_view(app: FastAPI, services: Services) -> None:
    web = browser(app)
    done = set_password(web, invite_officer(services.store, "dpo").secret)
    assert done.headers["location"] == "/admin"
    assert web.get("/admin").status_code == 200
    assert urlsplit(web.get("/me").headers["location"]).path == "/signin"  # not a member


def test_the_landing_page_sends_signed_in_browsers_on(
    client: TestClient, alice: TestClient, officer: TestClient
) -> None:
    page = client.get("/")
    assert page.status_code == 200 and 'href="/signin"' in page.text
    assert alice.get("/").headers["location"] == "/me"
    assert officer.get("/").headers["location"] == "/admin"


# --- purposes and decisions ----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_purpose_page_shows_the_exact_notice_text(
    services: Services, alice: TestClient, lang: str
) -> None:
    page = alice.get(f"/me/purposes/{TRAIN}?lang={lang}")
    assert page.status_code == 200
    document = layout(build_notice(services.policy), lang)  # type: ignore[arg-type]
    (section,) = [s for s in document.sections if Span(TRAIN, "code") in s.title.spans]
    assert section_html(section) in page.text
    assert hidden(page.text, "notice") == notice_version(services.policy)
    for decision in Decision:
        assert f'action="/me/purposes/{TRAIN}/{decision.value}"' in page.text


def test_withdrawing_on_the_purpose_page_reaches_the_gate(
    services: Services, alice: TestClient
) -> None:
    before = services.gate.ask(TRAIN, caller="test", subject="alice")
    assert before.records_allowed == 3
    page = alice.get(f"/me/purposes/{TRAIN}")
    shown = hidden(page.text, "notice")
    form = {"csrf": csrf_of(page.text), "notice": shown}
    response = alice.post(f"/me/purposes/{TRAIN}/withdraw", data=form)
    assert response.status_code == 303
    assert response.headers["location"] == f"/me/purposes/{TRAIN}?done=withdraw"

    entry = ledger_state(services, "alice")[TRAIN]
    assert entry.decision is Decision.WITHDRAW
    assert entry.channel == "web" and entry.notice_version == shown
    after = services.gate.ask(TRAIN, caller="test", subject="alice")
    assert after.records_allowed == 0 and after.withheld["withdrawn"] == 3
    confirmed = alice.get(response.headers["location"])
    assert "Your consent is withdrawn" in confirmed.text
    assert "You withdrew your consent on" in confirmed.text


def test_a_decision_against_an_old_notice_is_refused(services: Services, alice: TestClient) -> None:
    form = {"csrf": form_token(services), "notice": "an-old-version"}
    response = alice.post(f"/me/purposes/{TRAIN}/withdraw", data=form)
    assert response.status_code == 409
    assert "read it again" in response.text
    # The answer is the purpose page again, with the notice as it is now.
    assert hidden(response.text, "notice") == notice_version(services.policy)
    assert ledger_state(services, "alice")[TRAIN].decision is Decision.GRANT


def test_an_explicit_consent_names_the_data_it_covers(
    services: Services, alice: TestClient
) -> None:
    page = alice.get(f"/me/purposes/{IDENTITY_VERIFICATION}")
    assert 'name="categories" value="user.biometric.face"' in page.text
    form = {"csrf": csrf_of(page.text), "notice": hidden(page.text, "notice")}
    url = f"/me/purposes/{IDENTITY_VERIFICATION}/grant"
    refused = alice.post(url, data=form)
    assert refused.status_code == 400 and "tick each kind of data" in refused.text
    assert IDENTITY_VERIFICATION not in ledger_state(services, "alice")

    granted = alice.post(url, data={**form, "categories": ["user.biometric.face"]})
    assert granted.status_code == 303
    entry = ledger_state(services, "alice")[IDENTITY_VERIFICATION]
    assert entry.explicit and entry.categories == ("user.biometric.face",)


def test_an_unknown_purpose_or_decision_is_not_found(services: Services, alice: TestClient) -> None:
    form = {"csrf": form_token(services), "notice": notice_version(services.policy)}
    assert alice.get("/me/purposes/selling_data").status_code == 404
    assert alice.post("/me/purposes/selling_data/grant", data=form).status_code == 404
    assert alice.post(f"/me/purposes/{TRAIN}/maybe", data=form).status_code == 404


def test_a_decision_is_always_the_members_own(
    services: Services, alice: TestClient, bob: TestClient
) -> None:
    form = {
        "csrf": form_token(services),
        "notice": notice_version(services.policy),
        "subject": "bob",
        "subject_id": "bob",
    }
    assert alice.post(f"/me/purposes/{TRAIN}/object?subject=bob", data=form).status_code == 303
    assert ledger_state(services, "alice")[TRAIN].decision is Decision.OBJECT
    assert ledger_state(services, "bob")[TRAIN].decision is Decision.GRANT


def test_the_overview_lists_every_purpose_with_the_members_decision(
    services: Services, alice: TestClient
) -> None:
    page = alice.get("/me")
    for purpose in services.policy.purposes:
        assert f'href="/me/purposes/{purpose}"' in page.text
    assert "You agreed on 2024-01-15" in page.text  # her AI training grant
    assert "You have not decided yet" in page.text  # the others
    assert "train_ai_system" not in re.sub(r'href="[^"]*"', "", page.text)  # labels, not keys


# --- report, export, erasure ---------------------------------------------------------------


def test_the_report_shows_her_data_and_nobody_elses(alice: TestClient) -> None:
    page = alice.get("/me/report")
    assert page.status_code == 200
    assert "Alice schreibt Beitrag 0 über Rad" in page.text
    assert "Bob writes post" not in page.text
    assert 'href="/me/erase"' in page.text  # inside the center's navigation
    assert 'action="/me/export"' in page.text
    assert page.headers["cache-control"] == "no-store"


def test_the_export_is_a_zip_of_her_data(services: Services, alice: TestClient) -> None:
    page = alice.get("/me/export")
    response = alice.post("/me/export", data={"csrf": csrf_of(page.text)})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == (
        'attachment; filename="purposely-export.zip"'
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.testzip() is None
        assert "README.md" in archive.namelist()
        everything = b"\n".join(archive.read(n) for n in archive.namelist()).decode()
    assert "Alice schreibt Beitrag 2" in everything
    assert "Bob writes post" not in everything


def test_erasure_needs_the_box_ticked_then_erases_and_signs_out(
    app: FastAPI, services: Services, alice: TestClient
) -> None:
    page = alice.get("/me/erase")
    assert "What is kept" in page.text and 'name="confirm"' in page.text
    unticked = alice.post("/me/erase", data={"csrf": csrf_of(page.text)})
    assert unticked.status_code == 400 and "Nothing was erased" in unticked.text
    ledger_state(services, "alice")  # still there

    old_cookie = alice.cookies[SESSION_COOKIE]
    done = alice.post("/me/erase", data={"csrf": csrf_of(page.text), "confirm": "yes"})
    assert done.status_code == 200
    assert "Your data is erased" in done.text and "We erased 4 items" in done.text
    assert f'{SESSION_COOKIE}=""' in done.headers["set-cookie"]  # the browser forgets it
    with services.store.read() as conn:
        with pytest.raises(UnknownSubjectError):
            find_subject(conn, "alice")
        assert conn.scalar(select(func.count()).select_from(Account)) == 0
        assert conn.scalar(select(func.count()).select_from(WebSession)) == 0

    returning = browser(app)
    returning.cookies.set(SESSION_COOKIE, old_cookie)
    again = returning.get("/me")
    assert again.status_code == 303 and urlsplit(again.headers["location"]).path == "/signin"


# --- languages -----------------------------------------------------------------------------


def test_german_by_the_browsers_language(client: TestClient, alice: TestClient) -> None:
    page = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})
    assert '<html lang="de">' in page.text and "Datenschutz-Center" in page.text
    overview = alice.get("/me", headers={"Accept-Language": "de"})
    assert '<html lang="de">' in overview.text and "Ihr Datenschutz" in overview.text


def test_german_by_the_switch_which_sticks(alice: TestClient) -> None:
    switched = alice.get("/me?lang=de", headers={"Accept-Language": "en"})
    assert '<html lang="de">' in switched.text and "Abmelden" in switched.text
    later = alice.get(f"/me/purposes/{TRAIN}", headers={"Accept-Language": "en"})
    assert '<html lang="de">' in later.text and "Einwilligung widerrufen" in later.text
    back = alice.get("/me?lang=en")
    assert '<html lang="en">' in back.text and "Sign out" in back.text


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_member_page_renders_in_both_languages(
    services: Services, alice: TestClient, lang: str
) -> None:
    pages = ["/", "/notice", "/signin", "/me", "/me/report", "/me/export", "/me/erase"]
    pages += [f"/me/purposes/{p}" for p in services.policy.purposes]
    for path in pages:
        response = alice.get(f"{path}?lang={lang}")
        assert response.status_code in {200, 303}, path
        if response.status_code == 200:
            assert f'<html lang="{lang}">' in response.text, path
            assert 'name="csrf"' in response.text, path  # sign-out at least
