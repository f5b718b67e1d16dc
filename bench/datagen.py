"""Synthetic platform data for the benchmarks: members, posts in German and English, consents.

Everything is drawn from a seeded ``random.Random``, so the same arguments give the same file
and the same store on every run and machine. Nothing here is real personal data.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

# A member's country decides the legal basis for AI training: consent in the EEA, the UK and
# Switzerland, legitimate interest elsewhere, the strictest (consent) when unknown.
COUNTRIES = (
    ["DE"] * 30 + ["AT"] * 6 + ["CH"] * 4 + ["FR"] * 6 + ["GB"] * 6 + ["NL"] * 3
    + ["US"] * 20 + ["CA"] * 5 + ["BR"] * 5 + ["IN"] * 5 + [None] * 10
)  # fmt: skip

_DE_SENTENCES = (
    "heute morgen war ich mit dem Rad an der Spree unterwegs und habe an die Arbeit gedacht",
    "der neue Release ist endlich draußen danke an das ganze Team für die Geduld",
    "wer kennt ein gutes Café in Kreuzberg zum Arbeiten mit WLAN und Steckdosen",
    "die Bahn hatte wieder Verspätung aber das Buch war spannend genug",
    "am Wochenende geht es in die Berge hoffentlich hält das Wetter",
    "Datenschutz ist kein Hindernis sondern ein Qualitätsmerkmal für gute Software",
)
_EN_SENTENCES = (
    "just shipped a small fix that took three days to find and one line to change",
    "the conference talk is online now thanks to everyone who came and asked questions",
    "looking for recommendations on a quiet place to read near the river this weekend",
    "coffee first then the backlog then maybe a walk if the rain stops",
    "privacy by design means asking before using not apologising afterwards",
    "our team is hiring data engineers who like boring reliable pipelines",
)
_DE = [word for sentence in _DE_SENTENCES for word in sentence.split()]
_EN = [word for sentence in _EN_SENTENCES for word in sentence.split()]
_SKILLS = ("Python", "SQL", "Rust", "Kubernetes", "Statistik", "Projektmanagement", "Design")
_EMPLOYERS = ("ACME", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli")
_TITLES = ("Data Engineer", "Entwicklerin", "Designer", "Analyst", "Product Manager")
_T0 = datetime(2023, 1, 1, tzinfo=UTC)


def _dumps(line: dict[str, object]) -> str:
    return json.dumps(line, ensure_ascii=False)


def _text_pool(rng: random.Random, size: int) -> list[tuple[str, str]]:
    """``size`` posts of 100 to 200 characters, German or English, as (text, lang)."""
    pool = []
    for _ in range(size):
        lang = "de" if rng.random() < 0.5 else "en"
        words = _DE if lang == "de" else _EN
        target = rng.randint(100, 200)
        parts: list[str] = []
        length = 0
        while length < target:
            word = rng.choice(words)
            parts.append(word)
            length += len(word) + 1
        pool.append((" ".join(parts)[:target].rstrip(), lang))
    return pool


@dataclass(frozen=True)
class Member:
    """One synthetic subject."""

    id: str
    country: str | None
    birth_date: str | None


def member(rng: random.Random, index: int) -> Member:
    """Subject ``index``: ~5% minors, ~3% of unknown age, countries as in ``COUNTRIES``."""
    roll = rng.random()
    if roll < 0.05:
        birth = f"{rng.randint(2010, 2014)}-{rng.randint(1, 12):02d}"
    elif roll < 0.08:
        birth = None
    else:
        birth = f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return Member(f"u{index}", rng.choice(COUNTRIES), birth)


def train_ai_decisions(rng: random.Random) -> list[str]:
    """A member's decisions about AI training, oldest first: ~40% none, grants, withdrawals,
    objections (a withdrawal follows a grant, as it would on the platform)."""
    roll = rng.random()
    if roll < 0.40:
        return []
    if roll < 0.75:
        return ["grant"]
    if roll < 0.88:
        return ["grant", "withdraw"]
    return ["object"]


def post_time(number: int) -> datetime:
    """When post ``number`` of the gate benchmark was written."""
    return _T0 + timedelta(seconds=number * 7)


def stamp(offset_seconds: int) -> str:
    """An RFC 3339 time ``offset_seconds`` after 2023-01-01T00:00:00Z."""
    return (_T0 + timedelta(seconds=offset_seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def jsonl_lines(records: int, seed: int = 7) -> Iterator[str]:
    """``records`` JSONL lines: 5% subjects, 5% consents, 1% career lines, the rest posts.

    Each member's block starts with its subject line (records may only name known subjects),
    followed by its posts (about 90% public), career lines and consent decisions.
    """
    rng = random.Random(seed)
    pool = _text_pool(rng, 20_000)
    subjects = max(1, records // 20)
    consents_left = records // 20
    career_left = records // 100
    posts_left = records - subjects - consents_left - career_left
    post_no = 0
    for index in range(subjects):
        m = member(rng, index)
        line: dict[str, object] = {"type": "subject", "id": m.id, "handle": f"h{index}"}
        if m.birth_date is not None:
            line["birth_date"] = m.birth_date
        if m.country is not None:
            line["country"] = m.country
        yield _dumps(line)
        remaining = subjects - index
        # Spread what is left evenly over the members still to come, with some jitter.
        share = posts_left // remaining
        n_posts = share if remaining == 1 else rng.randint(share // 2, share + share // 2)
        n_posts = min(n_posts, posts_left)
        for _ in range(n_posts):
            text, lang = rng.choice(pool)
            post_no += 1
            yield _dumps(
                {
                    "type": "post",
                    "id": f"p{post_no}",
                    "subject": m.id,
                    "text": text,
                    "visibility": "public" if rng.random() < 0.9 else "private",
                    "lang": lang,
                    "created_at": stamp(post_no * 7),
                }
            )
        posts_left -= n_posts
        if career_left and (rng.random() < 0.2 or remaining <= career_left):
            career_left -= 1
            if rng.random() < 0.5:
                yield _dumps({"type": "skill", "subject": m.id, "name": rng.choice(_SKILLS)})
            else:
                yield _dumps(
                    {
                        "type": "employment",
                        "subject": m.id,
                        "title": rng.choice(_TITLES),
                        "employer": rng.choice(_EMPLOYERS),
                        "start": f"{rng.randint(2005, 2022)}-{rng.randint(1, 12):02d}",
                        "end": None,
                    }
                )
        n_consents = 1 if remaining > consents_left else consents_left // remaining
        for k in range(min(n_consents, consents_left)):
            decisions = train_ai_decisions(rng) or ["grant"]
            yield _dumps(
                {
                    "type": "consent",
                    "subject": m.id,
                    "purpose": "train_ai_system" if k == 0 else "personalize.job_recommendations",
                    "decision": decisions[-1],
                    "at": stamp(index * 11 + k),
                    "notice_version": "2023-09",
                }
            )
            consents_left -= 1


def write_jsonl(path: Path, records: int, seed: int = 7) -> Counter[str]:
    """Write ``records`` lines to ``path``; return how many of each ``type`` it holds."""
    kinds: Counter[str] = Counter()
    with path.open("w", encoding="utf-8") as out:
        buffer: list[str] = []
        for line in jsonl_lines(records, seed):
            kinds[line[10 : line.index('"', 10)]] += 1
            buffer.append(line)
            if len(buffer) >= 10_000:
                out.write("\n".join(buffer) + "\n")
                buffer.clear()
        if buffer:
            out.write("\n".join(buffer) + "\n")
    return kinds


@dataclass(frozen=True)
class Population:
    """The gate benchmark's platform: members, posts and AI-training decisions."""

    members: list[Member]
    # (subject index, text, lang, public) per post
    posts: list[tuple[int, str, str, bool]]
    # (subject index, decision, at) in ledger order
    decisions: list[tuple[int, str, datetime]]


def population(subjects: int, posts: int, seed: int = 11) -> Population:
    """``posts`` posts (~10% private) spread at random over ``subjects`` members."""
    rng = random.Random(seed)
    pool = _text_pool(rng, 20_000)
    members = [member(rng, i) for i in range(subjects)]
    owner = rng.choices(range(subjects), k=posts)
    items = []
    for i in owner:
        text, lang = rng.choice(pool)
        items.append((i, text, lang, rng.random() < 0.9))
    decisions = []
    for i in range(subjects):
        for k, decision in enumerate(train_ai_decisions(rng)):
            decisions.append((i, decision, _T0 + timedelta(days=k, seconds=i)))
    return Population(members, items, decisions)


def latest_birth(birth_date: str | None) -> date | None:
    """The latest day a partial birth date can mean (as the importer stores it)."""
    if birth_date is None:
        return None
    from purposely.ingest.fields import parse_partial_date

    return parse_partial_date(birth_date)


# --- where the benchmarks put their data ---------------------------------------------------

PG_ENV = "PURPOSELY_BENCH_PG"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
SECRET = "purposely-bench-secret"


def pg_server() -> str:
    """The PostgreSQL server the benchmarks use (``PURPOSELY_BENCH_PG`` or the local one)."""
    import os

    return os.environ.get(PG_ENV, DEFAULT_PG)


def pg_unavailable(server: str) -> str | None:
    """Why the PostgreSQL server cannot be used, or None if it can."""
    import psycopg

    try:
        with psycopg.connect(server, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


@contextmanager
def pg_schema(server: str, label: str) -> Iterator[str]:
    """A URL to a fresh, empty schema on ``server``; the schema is dropped afterwards."""
    import uuid

    import psycopg

    schema = f"bench_{label}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in server else "?"
    try:
        yield f"{server}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def pg_dsn(url: str) -> tuple[str, str]:
    """The psycopg DSN and schema name of a URL made by :func:`pg_schema`."""
    base, _, options = url.partition("?")
    schema = options.rsplit("%3D", 1)[1]
    return base, schema


def machine() -> str:
    """CPU count, model, memory and current load, for the record of a run."""
    import os
    import platform

    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 2**30:.0f} GiB RAM"
    except (ValueError, OSError):
        memory = "RAM unknown"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({model}), {memory}, Python {platform.python_version()}, "
        f"load average {load}"
    )
