"""Erasure speed: one member with 10,000 records, and 1,000 members in one call, in a store of
1,000,000 records.

    .venv/bin/python bench/erase.py [--records 1000000] [--only sqlite|postgresql]

Measures ``purposely.rights.erase.erase`` (what ``purposely subject erase`` runs): it deletes
the records and subject rows, writes a tombstone per record and per subject, marks samples
stale and appends an audit event, in one transaction. Anchor, in the same run on the same
store: a bare ``DELETE`` of another 1,000 members' records and subject rows, the least any
erasure must do.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import datagen
import gate as gate_bench
from report import build_people

MANY = 1_000


def erase_timed(url: str, subjects: list[str]) -> tuple[float, int]:
    """Seconds to erase ``subjects`` in one call, and records erased."""
    from purposely.rights.erase import erase
    from purposely.store import Store

    store = Store.open(url)
    started = time.perf_counter()
    done = erase(store, subjects, caller="bench")
    seconds = time.perf_counter() - started
    store.engine.dispose()
    return seconds, done.record_count


def bare_delete(url: str, subjects: list[str]) -> tuple[float, int]:
    """Seconds for a bare DELETE of ``subjects``' records and rows, and records deleted."""
    from sqlalchemy import delete, select

    from purposely.store import Store
    from purposely.store.models import Record, Subject

    store = Store.open(url)
    started = time.perf_counter()
    with store.write() as conn:
        pks = list(conn.scalars(select(Subject.pk).where(Subject.id.in_(subjects))))
        gone = conn.execute(delete(Record).where(Record.subject_pk.in_(pks))).rowcount
        conn.execute(delete(Subject).where(Subject.pk.in_(pks)))
    seconds = time.perf_counter() - started
    store.engine.dispose()
    return seconds, int(gone)


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    os.environ.setdefault("PURPOSELY_SECRET", datagen.SECRET)
    print(datagen.machine())
    people, heavy, _light = build_people(args.records)
    ids = [m.id for m in people.members]
    many, others = ids[2 : 2 + MANY], ids[2 + MANY : 2 + 2 * MANY]
    databases = [args.only] if args.only else ["sqlite", "postgresql"]
    print("| database | erased | records | seconds | records/s | bare DELETE s | erase / bare |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for database in databases:
        if database == "postgresql" and (why := datagen.pg_unavailable(datagen.pg_server())):
            print(f"PostgreSQL skipped: {why}")
            continue
        with (
            tempfile.TemporaryDirectory() as tmp,
            gate_bench.scratch_store(database, Path(tmp)) as url,
        ):
            gate_bench.load(url, people)
            one_s, one_n = erase_timed(url, [heavy])
            many_s, many_n = erase_timed(url, many)
            bare_s, bare_n = bare_delete(url, others)
            print(f"| {database} | 1 member | {one_n:,} | {one_s:.3f} | {one_n / one_s:,.0f} | | |")
            print(
                f"| {database} | {MANY:,} members | {many_n:,} | {many_s:.3f} | "
                f"{many_n / many_s:,.0f} | {bare_s:.3f} ({bare_n:,} records) | "
                f"{many_s / bare_s:.1f}x |",
                flush=True,
            )


if __name__ == "__main__":
    main()
