"""The demo platform: deterministic, varied enough to show every rule, and importable."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from purposely.demo.platform import dumps, generate, write_platform
from purposely.gate import Gate
from purposely.ingest.fields import parse_partial_date
from purposely.ingest.jsonl import LINE, ingest_jsonl
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.models import Record
from purposely.taxonomy import IDENTITY_VERIFICATION

Line = dict[str, Any]

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?:\+\d{1,3}[ ]?(?:\(0\))?[ ]?\d|\b0\d{2,4}[ /])[\d /-]{6,}")
IBAN = re.compile(r"\b([A-Z]{2}\d{2}(?: ?[0-9]{4}){3,4}(?: ?[0-9]{1,3})?)\b")
ADDRESS = re.compile(
    r"\b(?:[A-ZÄÖÜ][\wäöüß]+(?:straße|weg|allee)|Am Marktplatz) \d+, \d{5} [A-ZÄÖÜ]"
    r"|\b\d+ [A-Z][a-z]+ (?:Street|Road|Lane|Grove|Avenue|Drive), [A-Z][a-z]+ M\d"
)
RFC3339_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@pytest.fixture(scope="module")
def lines() -> list[Line]:
    """The platform at its default size and seed, as the demo makes it."""
    return list(generate())


def of(lines: list[Line], kind: str) -> list[Line]:
    """The lines of one type."""
    return [line for line in lines if line["type"] == kind]


def first_posts(lines: list[Line]) -> list[Line]:
    """Each post as first sent (later lines with the same id are visibility changes)."""
    seen: dict[str, Line] = {}
    for post in of(lines, "post"):
        seen.setdefault(post["id"], post)
    return list(seen.values())


def iban_ok(iban: str) -> bool:
    """ISO 13616 check: move the first four characters to the end, read as a number, mod 97."""
    compact = iban.replace(" ", "")
    digits = "".join(str(int(c, 36)) for c in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def adult_today(birth: str) -> bool:
    """True if someone born on the latest day ``birth`` may mean is 18 or older today."""
    born = parse_partial_date(birth)
    today = datetime.now(UTC).date()
    return born <= date(today.year - 18, today.month, min(today.day, 28))


# --- determinism -------------------------------------------------------------------------------


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    a = write_platform(tmp_path / "a.jsonl", seed=7)
    b = write_platform(tmp_path / "b.jsonl", seed=7)
    c = write_platform(tmp_path / "c.jsonl", seed=8)
    assert a.path.read_bytes() == b.path.read_bytes()
    assert a.path.read_bytes() != c.path.read_bytes()
    assert a.lines == b.lines and a.example_handle == b.example_handle


def test_the_summary_counts_what_the_file_holds(tmp_path: Path) -> None:
    summary = write_platform(tmp_path / "p.jsonl", seed=3, subjects=50, posts=500)
    written = [LINE.validate_json(raw) for raw in summary.path.read_bytes().splitlines()]
    assert Counter(line.type for line in written) == summary.lines
    assert summary.bytes == summary.path.stat().st_size
    post_ids = [line.id for line in written if line.type == "post"]
    assert summary.made_private == len(post_ids) - len(set(post_ids)) > 0
    assert not list(tmp_path.glob(".*partial")), "the partial file is renamed into place"


def test_sizes_below_the_minimum_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 10 subjects"):
        generate(subjects=9)
    with pytest.raises(ValueError, match="at least 10 posts"):
        generate(posts=9)


# --- shape of every line -----------------------------------------------------------------------


def test_every_line_validates_and_names_its_type_first(lines: list[Line]) -> None:
    for line in lines:
        assert next(iter(line)) == "type"
        LINE.validate_json(dumps(line))


def test_timestamps_are_rfc3339_utc_in_2023_to_2025(lines: list[Line]) -> None:
    stamps = [
        line[key] for line in lines for key in ("created_at", "at", "posted_at") if key in line
    ]
    assert len(stamps) > 10_000
    for stamp in stamps:
        assert RFC3339_Z.match(stamp), stamp
        assert 2023 <= int(stamp[:4]) <= 2025, stamp


# --- members -----------------------------------------------------------------------------------


def test_members_live_around_the_world_some_nowhere_known(lines: list[Line]) -> None:
    subjects = of(lines, "subject")
    assert len(subjects) == 400
    assert len({s["id"] for s in subjects}) == len({s["handle"] for s in subjects}) == 400
    countries = Counter(s.get("country") for s in subjects)
    for code in ("DE", "FR", "AT", "NL", "IT", "ES", "PL", "SE", "GB", "CH", "US"):
        assert countries[code] > 0, code
    for code in ("BR", "IN", "JP", "CA", "NG"):
        assert countries[code] > 0, code
    assert 0.25 < countries["DE"] / 400 < 0.45
    assert 0 < countries[None] < 20


def test_ages_include_minors_partial_dates_and_unknown(lines: list[Line]) -> None:
    subjects = of(lines, "subject")
    births = [s.get("birth_date") for s in subjects]
    known = [b for b in births if b is not None]
    minors = [b for b in known if not adult_today(b)]
    assert 0.06 <= len(minors) / len(subjects) <= 0.10
    assert 0 < births.count(None) < 20
    assert any(len(b) == 4 for b in known), "some give only a birth year"
    assert any(len(b) == 7 for b in known), "some give a year and month"
    assert any(len(b) == 4 for b in minors) or any(len(b) == 7 for b in minors)


# --- posts and messages ------------------------------------------------------------------------


def test_ten_thousand_posts_in_german_and_english_some_private(lines: list[Line]) -> None:
    posts = first_posts(lines)
    assert len(posts) == 10_000
    langs = Counter(p["lang"] for p in posts)
    assert set(langs) == {"de", "en"}
    assert langs["de"] > 2_500 and langs["en"] > 2_500
    private = sum(p["visibility"] == "private" for p in posts) / len(posts)
    assert 0.12 < private < 0.18
    authors = {s["id"] for s in of(lines, "subject")}
    assert {p["subject"] for p in posts} <= authors
    assert len({p["text"] for p in posts}) > 5_000, "texts vary"


def test_german_posts_are_german_and_english_posts_english(lines: list[Line]) -> None:
    posts = first_posts(lines)
    german = " ".join(p["text"] for p in posts if p["lang"] == "de")
    english = " ".join(p["text"] for p in posts if p["lang"] == "en")
    for word in (" und ", " ist ", " mit ", "ü"):
        assert word in german
        assert german.count(word) > english.count(word) * 10
    for word in (" the ", " and ", " for "):
        assert english.count(word) > german.count(word) * 10


def test_posts_carry_mentions_hashtags_and_links(lines: list[Line]) -> None:
    texts = [p["text"] for p in first_posts(lines)]
    handles = {s["handle"] for s in of(lines, "subject")}
    # An @ after a letter or dot is an e-mail address, not a mention.
    mentions = [m for t in texts for m in re.findall(r"(?<![\w.])@([\w.]*\w)", t)]
    assert len(mentions) > 1_000
    assert set(mentions) <= handles
    assert sum("#" in t for t in texts) > 4_000
    assert sum("https://" in t for t in texts) > 800


def test_some_posts_carry_personal_data_for_redaction(lines: list[Line]) -> None:
    texts = [p["text"] for p in first_posts(lines)]
    found = {
        "email": [t for t in texts if EMAIL.search(t)],
        "phone": [t for t in texts if PHONE.search(t)],
        "iban": [m for t in texts for m in IBAN.findall(t)],
        "address": [t for t in texts if ADDRESS.search(t)],
    }
    for kind, hits in found.items():
        assert len(hits) >= 10, kind
    assert all(iban_ok(i) for i in found["iban"]), "IBANs have valid check digits"
    assert any(i.startswith("DE") for i in found["iban"])
    assert any(re.search(r"\+49|\b01[5-7]\d", t) for t in found["phone"]), "German numbers"
    assert any(re.search(r"\+(?:1|44|33)\b", t) for t in found["phone"]), "international ones"
    with_pii = {t for hits in found.values() for t in hits if t in texts}
    assert 0.02 < len(with_pii) / len(texts) < 0.06


def test_members_send_each_other_messages(lines: list[Line]) -> None:
    messages = of(lines, "message")
    members = {s["id"] for s in of(lines, "subject")}
    assert len(messages) >= 1_000
    for m in messages:
        assert m["sender"] in members and set(m["recipients"]) <= members
        assert m["sender"] not in m["recipients"]
    assert any(len(m["recipients"]) > 1 for m in messages), "group messages too"
    assert any(EMAIL.search(m["text"]) or PHONE.search(m["text"]) for m in messages)


def test_a_few_posts_are_deleted_and_a_few_made_private_later(lines: list[Line]) -> None:
    position = {id(line): i for i, line in enumerate(lines)}
    first = {p["id"]: p for p in first_posts(lines)}
    resent = [p for p in of(lines, "post") if first[p["id"]] is not p]
    assert 20 <= len(resent) <= 200
    for post in resent:
        original = first[post["id"]]
        assert original["visibility"] == "public" and post["visibility"] == "private"
        assert {**post, "visibility": "public"} == original
        assert position[id(post)] > position[id(original)]
    deletes = of(lines, "delete")
    messages = {m["id"]: m for m in of(lines, "message")}
    deleted_posts = [d for d in deletes if d["id"] in first]
    assert 20 <= len(deleted_posts) <= 200
    assert any(d["id"] in messages for d in deletes)
    for d in deletes:
        target = first.get(d["id"]) or messages[d["id"]]
        assert d["at"] >= target["created_at"]
        assert position[id(d)] > position[id(target)]


# --- careers and jobs --------------------------------------------------------------------------


def test_most_adults_have_a_career_profile_in_german_or_english(lines: list[Line]) -> None:
    subjects = of(lines, "subject")
    adults = {s["id"] for s in subjects if s.get("birth_date") and adult_today(s["birth_date"])}
    minors = {s["id"] for s in subjects if s.get("birth_date") and s["id"] not in adults}
    jobs = of(lines, "employment")
    with_history = {e["subject"] for e in jobs}
    assert len(with_history & adults) / len(adults) > 0.7
    assert not with_history & minors, "no child has a job"
    titles = {e["title"] for e in jobs}
    assert "Software Engineer" in titles
    assert {"Softwareentwicklerin", "Softwareentwickler"} <= titles
    assert "Pflegefachkraft" in titles and "Nurse" in titles
    for e in jobs:
        assert e["end"] is None or e["end"] >= e["start"]
    for kind in ("education", "skill", "job_preferences"):
        assert len({line["subject"] for line in of(lines, kind)}) > 100, kind
    listings = of(lines, "job")
    assert len(listings) >= 20
    assert any("(m/w/d)" in j["title"] for j in listings)
    assert any("(m/w/d)" not in j["title"] for j in listings)


# --- consents ----------------------------------------------------------------------------------


def stories(lines: list[Line]) -> dict[str, Counter[str]]:
    """Per purpose, how many members tell each decision story (by their ledger lines)."""
    decisions: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in of(lines, "consent"):
        decisions[(c["purpose"], c["subject"])].append(c["decision"])
    members = [s["id"] for s in of(lines, "subject")]
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for purpose in {p for p, _ in decisions}:
        for member in members:
            steps = decisions.get((purpose, member), [])
            out[purpose]["+".join(steps) or "none"] += 1
    return out


def test_every_purpose_meets_every_kind_of_decision(lines: list[Line], policy: Policy) -> None:
    told = stories(lines)
    assert set(told) == set(policy.purposes)
    for purpose, counts in told.items():
        for story in ("grant", "grant+withdraw", "object", "none", "grant+withdraw+grant"):
            assert counts[story] > 0, (purpose, story)
        assert set(counts) <= {"grant", "grant+withdraw", "object", "none", "grant+withdraw+grant"}


def test_consents_are_in_time_order_and_name_the_notice_then_in_force(lines: list[Line]) -> None:
    consents = of(lines, "consent")
    assert [c["at"] for c in consents] == sorted(c["at"] for c in consents)
    for c in consents:
        in_force = [version for version in ("2023-01", "2024-03", "2025-02") if version <= c["at"]]
        assert c["notice_version"] == in_force[-1]


def test_identity_consent_is_explicit_and_names_the_face_template(lines: list[Line]) -> None:
    identity = [c for c in of(lines, "consent") if c["purpose"] == IDENTITY_VERIFICATION]
    grants = [c for c in identity if c["decision"] == "grant"]
    assert grants and all(c["categories"] == ["user.biometric.face"] for c in grants)
    assert all("categories" not in c for c in identity if c["decision"] != "grant")
    others = [c for c in of(lines, "consent") if c["purpose"] != IDENTITY_VERIFICATION]
    assert all("categories" not in c for c in others)


def test_small_platforms_still_cover_every_decision(policy: Policy) -> None:
    told = stories(list(generate(seed=11, subjects=20, posts=50)))
    for counts in told.values():
        assert {"grant", "grant+withdraw", "object", "none"} <= set(counts)


# --- import ------------------------------------------------------------------------------------


def test_the_file_imports_whole_and_the_gate_finds_every_reason(
    tmp_path: Path, sqlite_store: Store, policy: Policy, lines: list[Line]
) -> None:
    summary = write_platform(tmp_path / "platform.jsonl")
    report = ingest_jsonl(sqlite_store, policy, summary.path)
    assert report.subjects == 400 and not report.skipped
    assert report.deleted == summary.lines["delete"]
    assert report.consents_recorded == summary.lines["consent"]
    assert report.jobs == summary.lines["job"]
    # What the store holds: each post as last sent, less the deleted posts and messages.
    final = {p["id"]: p["visibility"] for p in of(lines, "post")}
    final |= {m["id"]: "message" for m in of(lines, "message")}
    for d in of(lines, "delete"):
        del final[d["id"]]
    r = Record.__table__
    with sqlite_store.read() as conn:
        held = dict(
            conn.execute(
                select(r.c.category, func.count())
                .where(r.c.kind.in_(("post", "message")))
                .group_by(r.c.category)
            ).all()
        )
    assert held == {
        "user.content.public": Counter(final.values())["public"],
        "user.content.private": Counter(final.values())["private"],
        "user.content.private.message": Counter(final.values())["message"],
    }
    gate = Gate(sqlite_store, policy)
    training = gate.ask("train_ai_system", caller="test")
    assert set(training.withheld) == {
        "private",
        "category_not_allowed",
        "minor",
        "objected",
        "withdrawn",
        "no_consent",
    }
    assert training.records_allowed > 1_000
    example = gate.ask("train_ai_system", caller="test", subject=f"@{summary.example_handle}")
    assert example.records_allowed > 0 and example.subjects_allowed == 1
    for purpose in ("personalize.job_recommendations", "employment.recruitment"):
        assert gate.ask(purpose, caller="test").records_allowed > 0


def test_a_small_platform_imports_too(tmp_path: Path, sqlite_store: Store, policy: Policy) -> None:
    summary = write_platform(tmp_path / "small.jsonl", seed=1, subjects=10, posts=10)
    report = ingest_jsonl(sqlite_store, policy, summary.path)
    assert report.subjects == 10 and report.deleted == summary.lines["delete"] >= 1
