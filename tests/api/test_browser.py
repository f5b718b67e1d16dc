"""The privacy center in a real browser: Debian's Chromium, driven by Playwright, against a
live ``purposely serve`` (uvicorn on a free loopback port).

What only a browser shows: the forms post what the server expects (hidden CSRF and notice
fields included), redirects land where they should, a download arrives as a file, and the
browser's language picks the page's. Each test uses its own member, so the tests may run in
any order and on any xdist worker (each worker starts its own server).

Without Chromium at /usr/bin/chromium (``make browser`` installs it) these tests are skipped
with that reason.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyarrow.parquet as pq
import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect, sync_playwright

from purposely.access import accept_invitation, invite_member
from purposely.api import Settings, create_app
from purposely.api.services import Services
from purposely.consent import state
from purposely.datasets.build import build
from purposely.gate import Gate
from purposely.ingest.jsonl import ingest_jsonl
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.subjects import find_subject
from tests.api.live import CHROMIUM, chromium_missing, live_server
from tests.factories import consent, post, subject, write_jsonl

# A loaded CI machine may be slow to answer; Playwright's 5 s default would make that a failure.
expect.set_options(timeout=20_000)
_NO_CHROMIUM = chromium_missing()
pytestmark = pytest.mark.skipif(_NO_CHROMIUM is not None, reason=_NO_CHROMIUM or "")

TRAIN = "train_ai_system"
PASSWORD = "a long browser passphrase"
# Distinct texts: near-duplicate removal would otherwise keep only one post per member.
ALICE_POSTS = [
    "Alice radelt am Sonntag von Leipzig nach Halle",
    "Alice backt heute Abend einen Apfelkuchen mit Zimt",
    "Alice liest ein Buch über die Geschichte der Eisenbahn",
]
BOB_POSTS = [
    "Bob sails his small boat across the lake at dawn",
    "Bob repairs an old radio he found at the flea market",
]
CARLA_POSTS = ["Carla pflanzt Tomaten und Basilikum auf ihrem Balkon"]


@dataclass(frozen=True)
class Live:
    """The running server and what the tests reach directly."""

    url: str
    services: Services
    root: Path


def _lines() -> list[dict[str, Any]]:
    return [
        subject("alice", handle="alice", country="DE", birth_date="1990-04-01"),
        subject("bob", handle="bob", country="US", birth_date="1985-01-01"),
        subject("carla", handle="carla", country="DE", birth_date="1979-09-09"),
        *[post(f"a{i}", "alice", text=t) for i, t in enumerate(ALICE_POSTS)],
        *[post(f"b{i}", "bob", text=t, lang="en") for i, t in enumerate(BOB_POSTS)],
        *[post(f"c{i}", "carla", text=t) for i, t in enumerate(CARLA_POSTS)],
        consent("alice", TRAIN),
        consent("bob", TRAIN),
        consent("carla", TRAIN),
    ]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, policy: Policy) -> Iterator[Live]:
    """A server on a SQLite store holding Alice, Bob and Carla (module-scoped: one server
    per module and worker, started in about a second)."""
    root = tmp_path_factory.mktemp("live")
    store = Store.init(f"sqlite:///{root / 'store.db'}", key_file=root / "store.key")
    ingest_jsonl(store, policy, write_jsonl(root / "platform.jsonl", _lines()))

    opened: list[Services] = []

    def make_app(base_url: str) -> FastAPI:
        settings = Settings(snapshots=root / "snapshots", base_url=base_url)
        opened.append(
            Services(settings=settings, store=store, policy=policy, gate=Gate(store, policy))
        )
        return create_app(svc=opened[0])

    with live_server(make_app) as url:
        yield Live(url=url, services=opened[0], root=root)
    store.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium (Playwright cannot download its own browsers here)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh English-speaking browser profile (no cookies) with one tab."""
    context = browser.new_context(locale="en-US", accept_downloads=True)
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def _member_with_password(live: Live, name: str) -> None:
    """Give ``name`` a password directly: for tests about what comes after signing in."""
    invitation = invite_member(live.services.store, name)
    accept_invitation(live.services.store, invitation.secret, PASSWORD)


def _sign_in(page: Page, live: Live, name: str) -> None:
    """Sign in through the sign-in form and land on the overview."""
    page.goto(f"{live.url}/signin")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me$"))


def _standing(live: Live, subject_id: str) -> str | None:
    """The member's standing decision about AI training, from the ledger."""
    with live.services.store.read() as conn:
        entry = state(conn, find_subject(conn, subject_id).pseudonym).get(TRAIN)
    return None if entry is None else entry.decision.value


def _build_texts(live: Live, name: str) -> list[str]:
    """Build an AI training snapshot in-process, as a service would, and read its texts back
    from the Parquet shards."""
    out = live.root / name
    build(live.services.store, live.services.policy, TRAIN, out, caller="test:browser")
    texts: list[str] = pq.read_table(out / "data").column("text").to_pylist()
    return texts


def test_a_member_who_withdraws_is_left_out_of_the_next_dataset(page: Page, live: Live) -> None:
    # Before: the dataset holds Alice's posts (so their absence below means something).
    before = _build_texts(live, "before")
    assert any(text in before for text in ALICE_POSTS)

    # Alice opens her invitation link, chooses a password and signs in.
    invitation = invite_member(live.services.store, "alice")
    page.goto(f"{live.url}/invite/{invitation.secret}")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(input[name=password2]) [type=submit]").click()
    if urlsplit(page.url).path != "/me":  # the invitation may hand over to the sign-in page
        _sign_in(page, live, "@alice")
    expect(page).to_have_url(re.compile(r"/me$"))

    # She opens the AI-training purpose from her overview and withdraws her consent.
    page.locator(f'a[href="/me/purposes/{TRAIN}"]').first.click()
    expect(page).to_have_url(re.compile(rf"/me/purposes/{TRAIN}$"))
    with page.expect_navigation():
        page.locator(f'form[action="/me/purposes/{TRAIN}/withdraw"] [type=submit]').click()
    assert page.url.startswith(live.url)  # the form posts to the server, not elsewhere
    assert _standing(live, "alice") == "withdraw"  # recorded before the page came back

    after = _build_texts(live, "after")
    assert not any(text in after for text in ALICE_POSTS), "her posts are still in the build"
    assert any(text in after for text in BOB_POSTS), "the build lost other members' posts"


def test_a_member_downloads_the_export(page: Page, live: Live, tmp_path: Path) -> None:
    _member_with_password(live, "bob")
    _sign_in(page, live, "@bob")
    page.goto(f"{live.url}/me/report")
    with page.expect_download() as download_info:
        page.locator('form[action="/me/export"] [type=submit]').first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    with zipfile.ZipFile(saved) as archive:
        assert archive.testzip() is None
        everything = "\n".join(
            archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()
        )
    for text in BOB_POSTS:
        assert text in everything
    for text in ALICE_POSTS + CARLA_POSTS:  # nobody else's posts
        assert text not in everything


def test_a_german_speaking_member_sees_german_pages(browser: Browser, live: Live) -> None:
    _member_with_password(live, "carla")
    context = browser.new_context(locale="de-DE")  # sends Accept-Language: de-DE
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        page.goto(f"{live.url}/")
        expect(page.locator("html")).to_have_attribute("lang", "de")
        expect(page.locator("h1")).to_contain_text("Datenschutz")

        _sign_in(page, live, "@carla")
        expect(page.locator("html")).to_have_attribute("lang", "de")
        expect(page.locator("body")).to_contain_text("Abmelden")

        # The language switch: English from now on, although the browser still asks for German.
        page.locator('a[href*="lang=en"]').first.click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("body")).to_contain_text("Sign out")
        page.goto(f"{live.url}/me")
        expect(page.locator("html")).to_have_attribute("lang", "en")
    finally:
        context.close()
