"""Gate speed: the decision and the stream of allowed records, on SQLite and PostgreSQL.

    .venv/bin/python bench/gate.py [--posts 1000000 --subjects 100000] [--repeat 3]

Builds a store of ``--posts`` posts (~10% private) of ``--subjects`` members with mixed
countries (consent in the EEA, UK and Switzerland and for unknown countries, legitimate
interest elsewhere), ~5% minors, ~3% of unknown age, and AI-training decisions (~40% none,
grants, grants later withdrawn, objections), bulk-loaded through ``purposely.store.bulk`` and
the consent ledger. Then times:

- the decision, ``Gate.ask("train_ai_system")``: counts by category and reason, subjects
  allowed, the audit event; records/s = records in the store / seconds;
- the stream, ``Gate.records(answer)``: every allowed record; records/s = records streamed
  / seconds.

Anchors, measured in the same run on the same store: a bare ``SELECT count(*) FROM records``
for the decision and a bare streaming ``SELECT`` of the same columns of every record (the
same SQLAlchemy connection, ``yield_per`` and mappings the gate uses) for the stream.

The answer is checked against counts computed independently in Python from the generated
population, so a faster gate that decides differently fails loudly.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import datagen

DECISION_GOAL = 1_000_000
PURPOSE = "train_ai_system"
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@contextmanager
def scratch_store(database: str, workdir: Path) -> Iterator[str]:
    """A URL to an empty database of kind ``database``, removed afterwards."""
    if database == "sqlite":
        yield f"sqlite:///{workdir / 'gate.db'}"
        return
    with datagen.pg_schema(datagen.pg_server(), "gate") as url:
        yield url


def load(url: str, people: datagen.Population) -> float:
    """Fill a new store at ``url`` with ``people``; return the seconds it took."""
    from sqlalchemy import select, text

    from purposely.consent import ledger
    from purposely.policy import load_policy
    from purposely.store import Store
    from purposely.store.bulk import upsert_columns
    from purposely.store.models import Record, Subject

    start = time.perf_counter()
    store = Store.init(url)
    policy = load_policy()
    now = datetime.now(UTC)
    members = people.members
    with store.write() as conn:
        upsert_columns(
            conn,
            Subject.__table__,  # type: ignore[arg-type]
            {
                "id": [m.id for m in members],
                "handle": [f"h{i}" for i in range(len(members))],
                "pseudonym": [store.pseudonym(m.id) for m in members],
                "birth_date": [m.birth_date for m in members],
                "born_no_later_than": [datagen.latest_birth(m.birth_date) for m in members],
                "country": [m.country for m in members],
                "source": ["bench"] * len(members),
                "created_at": [now] * len(members),
                "updated_at": [now] * len(members),
            },
            keys=["id"],
            update=["handle"],
        )
        t = Subject.__table__
        pk_of: dict[str, int] = dict(conn.execute(select(t.c.id, t.c.pk)).all())
        pks = [pk_of[m.id] for m in members]
        chunk = 50_000
        public = {"visibility": "public"}
        private = {"visibility": "private"}
        for first in range(0, len(people.posts), chunk):
            posts = people.posts[first : first + chunk]
            n = len(posts)
            upsert_columns(
                conn,
                Record.__table__,  # type: ignore[arg-type]
                {
                    "subject_pk": [pks[p[0]] for p in posts],
                    "source": ["bench"] * n,
                    "source_id": [f"p{first + i}" for i in range(n)],
                    "kind": ["post"] * n,
                    "category": [
                        "user.content.public" if p[3] else "user.content.private" for p in posts
                    ],
                    "text": [p[1] for p in posts],
                    "data": [public if p[3] else private for p in posts],
                    "lang": [p[2] for p in posts],
                    "created_at": [datagen.post_time(first + i) for i in range(n)],
                    "updated_at": [now] * n,
                },
                keys=["source", "source_id"],
                update=["text"],
            )
        ledger.append(
            conn,
            policy,
            [
                ledger.ConsentDecision(
                    subject_pseudonym=store.pseudonym(members[i].id),
                    purpose=PURPOSE,
                    decision=ledger.Decision(decision),
                    at=at,
                    notice_version="bench-1",
                    channel="bench",
                )
                for i, decision, at in people.decisions
            ],
        )
    if store.dialect == "postgresql":
        # What autovacuum does after a large load: statistics for the planner, and the
        # visibility map that lets the (subject_pk, category) index answer counts alone.
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE subjects, records, consent_events"))
    store.engine.dispose()
    return time.perf_counter() - start


def expected(people: datagen.Population, as_of: date) -> tuple[dict[str, int], dict[str, int]]:
    """Allowed per category and withheld per reason, computed in Python from the population.

    An independent reading of the default policy for AI training: private posts are
    withheld as private; then minors (unknown age counts as a minor), then the standing
    decision (latest by time), then no consent where the country needs opt-in.
    """
    from purposely.policy import load_policy

    policy = load_policy()
    table = policy.bases(PURPOSE)
    try:
        cutoff = as_of.replace(year=as_of.year - policy.minimum_age)
    except ValueError:  # 29 February
        cutoff = as_of.replace(year=as_of.year - policy.minimum_age, day=28)
    latest: dict[int, tuple[datetime, int, str]] = {}
    for seq, (i, decision, at) in enumerate(people.decisions, start=1):
        if i not in latest or (at, seq) >= latest[i][:2]:
            latest[i] = (at, seq, decision)
    verdict: list[str | None] = []
    for i, m in enumerate(people.members):
        born = datagen.latest_birth(m.birth_date)
        basis = table.for_country(m.country)
        decision = latest[i][2] if i in latest else None
        if born is None or born > cutoff:
            verdict.append("minor")
        elif basis.value == "never":
            verdict.append("no_legal_basis")
        elif decision == "object":
            verdict.append("objected")
        elif decision == "withdraw":
            verdict.append("withdrawn")
        elif basis.needs_opt_in and decision is None:
            verdict.append("no_consent")
        else:
            verdict.append(None)
    allowed: Counter[str] = Counter()
    withheld: Counter[str] = Counter()
    for i, _text, _lang, public in people.posts:
        if not public:
            withheld["private"] += 1
        elif verdict[i] is None:
            allowed["user.content.public"] += 1
        else:
            withheld[verdict[i] or ""] += 1
    return dict(allowed), dict(withheld)


@dataclass
class Timing:
    """Best and median seconds of a few runs of one thing, and what it returned."""

    best: float
    median: float
    result: Any


def timed(work: Callable[[], Any], repeat: int) -> Timing:
    """Run ``work`` ``repeat`` times; keep the last result."""
    seconds = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - start)
    return Timing(min(seconds), statistics.median(seconds), result)


def measure(url: str, people: datagen.Population, repeat: int) -> dict[str, Timing]:
    """Time the decision, the stream and both anchors on the store at ``url``."""
    from sqlalchemy import func, select

    from purposely.gate import Gate
    from purposely.policy import load_policy
    from purposely.store import Store
    from purposely.store.models import Record

    store = Store.open(url)
    gate = Gate(store, load_policy())
    r = Record.__table__

    def count() -> int:
        with store.read() as conn:
            return int(conn.scalar(select(func.count()).select_from(r)) or 0)

    def bare_stream() -> int:
        columns = select(
            r.c.pk, r.c.subject_pk, r.c.source, r.c.source_id, r.c.kind, r.c.category,
            r.c.text, r.c.data, r.c.lang, r.c.created_at,
        ).order_by(r.c.pk)  # fmt: skip
        n = 0
        with store.read() as conn:
            result = conn.execution_options(yield_per=10_000).execute(columns)
            for _row in result.mappings():
                n += 1
        return n

    def ask() -> Any:
        return gate.ask(PURPOSE, caller="bench")

    def stream() -> int:
        return sum(1 for _ in gate.records(answer))

    figures = {"count": timed(count, repeat), "ask": timed(ask, repeat)}
    answer = figures["ask"].result
    figures["bare_stream"] = timed(bare_stream, 1)
    figures["stream"] = timed(stream, 1)
    store.engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--subjects", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the decision; best shown")
    parser.add_argument("--only", choices=sorted(NAMES), action="append")
    args = parser.parse_args()
    os.environ["PURPOSELY_SECRET"] = datagen.SECRET
    for var in ("PURPOSELY_DB", "PURPOSELY_POLICY", "PURPOSELY_KEY_FILE"):
        os.environ.pop(var, None)

    databases = args.only or ["sqlite", "postgresql"]
    print(f"machine: {datagen.machine()}")
    if "postgresql" in databases and (why := datagen.pg_unavailable(datagen.pg_server())):
        print(f"PostgreSQL skipped: {why}")
        databases.remove("postgresql")

    start = time.perf_counter()
    people = datagen.population(args.subjects, args.posts)
    decisions = ", ".join(
        f"{n:,} {d}" for d, n in Counter(d for _, d, _ in people.decisions).items()
    )
    print(
        f"population: {args.subjects:,} subjects, {args.posts:,} posts, consent ledger "
        f"{len(people.decisions):,} entries ({decisions}); "
        f"generated in {time.perf_counter() - start:.1f} s"
    )
    want_allowed, want_withheld = expected(people, datetime.now(UTC).date())
    results: dict[str, dict[str, Timing]] = {}
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="purposely-bench-") as tmp:
        for database in databases:
            with scratch_store(database, Path(tmp)) as url:
                seconds = load(url, people)
                rate = (args.posts + args.subjects) / seconds
                print(f"{NAMES[database]}: loaded in {seconds:.1f} s ({rate:,.0f} rows/s)")
                figures = measure(url, people, args.repeat)
            results[database] = figures
            answer = figures["ask"].result
            if answer.allowed != want_allowed or answer.withheld != want_withheld:
                failures.append(
                    f"{NAMES[database]}: the gate answered allowed={answer.allowed} "
                    f"withheld={answer.withheld}, expected allowed={want_allowed} "
                    f"withheld={want_withheld}"
                )
            if figures["stream"].result != answer.records_allowed:
                failures.append(
                    f"{NAMES[database]}: streamed {figures['stream'].result:,} records, "
                    f"the answer allows {answer.records_allowed:,}"
                )
    report(results, args.posts)
    if failures:
        print("\nWRONG RESULTS:")
        for failure in failures:
            print(f"  {failure}")
        sys.exit(1)
    print("\nanswers match the counts computed independently from the population")


def report(results: dict[str, dict[str, Timing]], records: int) -> None:
    """The figures table and the goal."""
    print()
    header = (
        f"{'database':<11}{'operation':<34}{'records':>11}{'seconds':>9}{'records/s':>13}"
        f"{'anchor/s':>13}{'of anchor':>10}"
    )
    print(header)
    print("-" * len(header))
    for database, f in results.items():
        answer = f["ask"].result
        streamed = f["stream"].result
        rows = (
            ("decision: Gate.ask", records, f["ask"], records / f["count"].best),
            ("anchor: SELECT count(*)", records, f["count"], None),
            ("stream: Gate.records", streamed, f["stream"],
             f["bare_stream"].result / f["bare_stream"].best),
            ("anchor: bare streaming SELECT", f["bare_stream"].result, f["bare_stream"], None),
        )  # fmt: skip
        for name, n, timing, anchor in rows:
            rate = n / timing.best
            anchor_text = f"{anchor:>13,.0f}{rate / anchor:>10.0%}" if anchor else ""
            print(
                f"{NAMES[database]:<11}{name:<34}{n:>11,}{timing.best:>9.3f}{rate:>13,.0f}"
                f"{anchor_text}"
            )
        print(
            f"{'':<11}answer: {answer.records_allowed:,} allowed, "
            f"{answer.records_withheld:,} withheld {answer.withheld}, "
            f"{answer.subjects_allowed:,} subjects; median decision {f['ask'].median:.3f} s"
        )
    print()
    print("goal:")
    for database, f in results.items():
        rate = records / f["ask"].best
        verdict = "PASS" if rate >= DECISION_GOAL else "FAIL"
        print(
            f"  {NAMES[database]} decision >= {DECISION_GOAL:,} records/s: {rate:,.0f}  {verdict}"
        )


if __name__ == "__main__":
    main()
