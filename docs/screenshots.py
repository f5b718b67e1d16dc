"""Screenshots of the privacy center and the admin view, for the README (``make screenshots``).

Builds a small synthetic platform with the demo's generator (the same people and texts as
``purposely demo``, fewer of them), builds an AI training snapshot and registers a model on
it so the admin pages have something to show, serves it on a free loopback port, and lets
headless Debian Chromium (Playwright) sign in as the demo's example member and as the
privacy officer and photograph each page into ``docs/screenshots/``.

Run from the repository root: ``.venv/bin/python -m docs.screenshots [--out DIR]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright
from tests.api.live import CHROMIUM, chromium_missing, live_server

from purposely.access import accept_invitation, invite_member, invite_officer
from purposely.api import Settings, create_app
from purposely.api.services import Services
from purposely.datasets import registry
from purposely.datasets.build import build
from purposely.demo.platform import write_platform
from purposely.demo.run import ask_every_purpose
from purposely.gate import Gate
from purposely.ingest.jsonl import ingest_jsonl
from purposely.policy import load_policy
from purposely.store import Store
from purposely.taxonomy import TRAIN_AI

OUT = Path(__file__).resolve().parent / "screenshots"
VIEWPORT: ViewportSize = {"width": 1100, "height": 800}
PASSWORD = "screenshots-only passphrase"
OFFICER = "dpo"


@dataclass(frozen=True)
class Shot:
    """One page to photograph: its file name, its path, and who looks at it."""

    name: str
    path: str
    who: str  # "anonymous", "member" or "officer"
    lang: str = "en"


SHOTS = [
    Shot("landing", "/", "anonymous"),
    Shot("signin", "/signin", "anonymous"),
    Shot("overview", "/me", "member"),
    Shot("purpose", f"/me/purposes/{TRAIN_AI}", "member"),
    Shot("report", "/me/report", "member"),
    Shot("erase", "/me/erase", "member"),
    Shot("overview-de", "/me", "member", lang="de"),
    Shot("admin", "/admin", "officer"),
    Shot("admin-snapshots", "/admin/snapshots", "officer"),
    Shot("admin-audit", "/admin/audit", "officer"),
    Shot("admin-notice", "/admin/notice", "officer"),
    Shot("admin-notice-de", "/admin/notice", "officer", lang="de"),
]


def prepare(root: Path) -> tuple[Store, str]:
    """A store in ``root`` with the small demo platform, a snapshot, a model and the
    gate's answers in the audit log; return it and the example member's @handle."""
    policy = load_policy()
    summary = write_platform(root / "platform.jsonl", subjects=60, posts=900, policy=policy)
    store = Store.init(f"sqlite:///{root / 'store.db'}", key_file=root / "store.key")
    ingest_jsonl(store, policy, summary.path)
    ask_every_purpose(store, policy)
    snapshot = build(store, policy, TRAIN_AI, root / "train-snapshot", caller="screenshots")
    with store.write() as conn:
        registry.register(conn, "demo-chat-model", [snapshot], by="screenshots", note=None)
    member = f"@{summary.example_handle}"
    accept_invitation(store, invite_member(store, member).secret, PASSWORD)
    accept_invitation(store, invite_officer(store, OFFICER).secret, PASSWORD)
    return store, member


def sign_in(page: Page, url: str, form: str, name: str) -> None:
    """Sign in through the page at ``form`` (``/signin`` or ``/admin/signin``)."""
    page.goto(f"{url}{form}")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) [type=submit]").click()


def photograph(browser: Browser, url: str, member: str, out: Path) -> list[Path]:
    """Every page of :data:`SHOTS`, as PNG files in ``out``."""
    pages: dict[str, Page] = {}
    for who, form, name in (
        ("anonymous", "", ""),
        ("member", "/signin", member),
        ("officer", "/admin/signin", OFFICER),
    ):
        context = browser.new_context(viewport=VIEWPORT, locale="en-US")
        pages[who] = context.new_page()
        if form:
            sign_in(pages[who], url, form, name)
    written = []
    for shot in SHOTS:
        page = pages[shot.who]
        # ?lang= sets the language cookie: go back to English after a German page.
        page.goto(f"{url}{shot.path}?lang={shot.lang}")
        file = out / f"{shot.name}.png"
        page.screenshot(path=str(file))
        written.append(file)
    return written


def main(argv: list[str] | None = None) -> int:
    """Write the screenshots; 2 if Chromium is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the PNG files")
    args = parser.parse_args(argv)
    if (missing := chromium_missing()) is not None:
        print(missing, file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="purposely-screenshots-") as tmp:
        root = Path(tmp)
        store, member = prepare(root)
        policy = load_policy()

        def make_app(base_url: str) -> FastAPI:
            settings = Settings(snapshots=root / "snapshots", base_url=base_url)
            gate = Gate(store, policy)
            return create_app(svc=Services(settings, store, policy, gate))

        with live_server(make_app) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
            try:
                written = photograph(browser, url, member, args.out)
            finally:
                browser.close()
        store.engine.dispose()
    total = sum(f.stat().st_size for f in written)
    print(f"{len(written)} screenshots, {total // 1024} KiB, in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
