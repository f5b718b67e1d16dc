"""Access report speed: a member with 10,000 records in a store of 1,000,000.

    .venv/bin/python bench/report.py [--records 1000000] [--repeat 3] [--only sqlite|postgresql]

Measures ``purposely.rights.report.access_report`` (what ``purposely subject report`` runs)
for a heavy member (10,000 posts) and a light one (10 posts): seconds and the number of SQL
statements. Anchor, in the same run on the same store: a bare ``SELECT`` of the heavy
member's records through the same engine, the least any report must do.

Goals: under 1 s for the heavy member; the same statement count for heavy and light.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import datagen
import gate as gate_bench

GOAL_SECONDS = 1.0
HEAVY_POSTS = 10_000
LIGHT_POSTS = 10


def build_people(records: int) -> tuple[datagen.Population, str, str]:
    """The population: random posts, plus a heavy member (index 0) and a light one (1)."""
    subjects = max(100, records // 10)
    people = datagen.population(subjects, records - HEAVY_POSTS)
    light = next(i for i in range(1, subjects) if _posts_of(people, i) <= LIGHT_POSTS)
    people.posts.extend(
        (0, f"the heavy member writes post number {i}", "en", True) for i in range(HEAVY_POSTS)
    )
    return people, people.members[0].id, people.members[light].id


def _posts_of(people: datagen.Population, index: int) -> int:
    return sum(1 for post in people.posts if post[0] == index)


def measure(url: str, subject: str, repeat: int) -> tuple[float, int, int]:
    """Best seconds, SQL statements and records of the report of ``subject``."""
    from sqlalchemy import event

    from purposely.gate import Gate
    from purposely.policy import load_policy
    from purposely.rights.report import access_report
    from purposely.store import Store

    store = Store.open(url)
    gate = Gate(store, load_policy())
    statements = 0

    def counted(*_args: Any) -> None:
        nonlocal statements
        statements += 1

    best = float("inf")
    records = 0
    for attempt in range(repeat):
        if attempt == 0:
            event.listen(store.engine, "before_cursor_execute", counted)
        started = time.perf_counter()
        report = access_report(gate, subject, caller="bench")
        best = min(best, time.perf_counter() - started)
        if attempt == 0:
            event.remove(store.engine, "before_cursor_execute", counted)
        records = report.record_count
    store.engine.dispose()
    return best, statements, records


def anchor(url: str, subject: str, repeat: int) -> float:
    """Best seconds of a bare SELECT of the member's records."""
    from sqlalchemy import select

    from purposely.store import Store
    from purposely.store.models import Record, Subject

    store = Store.open(url)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        with store.read() as conn:
            pk = conn.scalar(select(Subject.pk).where(Subject.id == subject))
            conn.execute(select(Record.__table__).where(Record.subject_pk == pk)).all()
        best = min(best, time.perf_counter() - started)
    store.engine.dispose()
    return best


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    os.environ.setdefault("PURPOSELY_SECRET", datagen.SECRET)
    print(datagen.machine())
    people, heavy, light = build_people(args.records)
    databases = [args.only] if args.only else ["sqlite", "postgresql"]
    rows = []
    for database in databases:
        if database == "postgresql" and (why := datagen.pg_unavailable(datagen.pg_server())):
            print(f"PostgreSQL skipped: {why}")
            continue
        with (
            tempfile.TemporaryDirectory() as tmp,
            gate_bench.scratch_store(database, Path(tmp)) as url,
        ):
            seconds = gate_bench.load(url, people)
            print(f"{database}: loaded {len(people.posts):,} records in {seconds:.1f} s")
            heavy_s, heavy_n, heavy_records = measure(url, heavy, args.repeat)
            light_s, light_n, light_records = measure(url, light, args.repeat)
            bare = anchor(url, heavy, args.repeat)
            rows.append(
                (database, heavy_records, heavy_s, heavy_n, light_records, light_s, light_n, bare)
            )
    print()
    print(
        "| database | member | records | seconds | SQL statements | bare SELECT s | report / bare |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for db, hr, hs, hn, lr, ls, ln, bare in rows:
        print(f"| {db} | heavy | {hr:,} | {hs:.3f} | {hn} | {bare:.3f} | {hs / bare:.1f}x |")
        print(f"| {db} | light | {lr:,} | {ls:.3f} | {ln} | | |")
    print()
    for db, _hr, hs, hn, _lr, _ls, ln, _bare in rows:
        print(
            f"{db}: report under {GOAL_SECONDS:.0f} s: {hs:.3f} s "
            f"{'PASS' if hs < GOAL_SECONDS else 'FAIL'}; statements do not grow with records: "
            f"{hn} vs {ln} {'PASS' if hn == ln else 'FAIL'}"
        )


if __name__ == "__main__":
    main()
