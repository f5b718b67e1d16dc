"""JSONL import speed and memory, on SQLite and PostgreSQL, against the bare driver.

    .venv/bin/python bench/ingest.py [--records 1000000] [--small 100000] [--repeat 1]
                                     [--extra 3000000] [--only sqlite|postgresql]

Generates a synthetic JSONL file (bench/datagen.py: 5% subjects, 5% consent decisions, 1%
career lines, the rest posts of 100 to 200 characters in German and English), then imports
it with ``purposely ingest jsonl FILE --json`` (the CLI's entry point, run in a child
process) into a fresh SQLite file and a fresh PostgreSQL schema. Every import runs in its own
process, so its peak RSS is its own (``os.wait4``). The same is done for a small file, to
show that memory does not grow with the file.

The anchor, measured in the same run: the same rows written by the driver alone into bare
tables with the same columns and no constraints or indexes (``sqlite3`` executemany in one
transaction; psycopg ``COPY``), timing only the driver calls. Records/s divided by the
anchor's says how close the import is to the driver's floor.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import datagen

GOALS = {"sqlite": 50_000, "postgresql": 30_000}
RSS_GOAL_MB = 500
BATCH = 5_000
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


# --- child processes: one import, or one anchor run -----------------------------------------


def child_ingest(url: str, path: Path) -> dict[str, Any]:
    """``purposely ingest jsonl PATH --db URL --json`` into a new store, run in this process.

    The store is created first (``purposely init``, not timed); the timed part is the CLI's
    entry point from argument parsing to the printed report, imports excluded.
    """
    import contextlib
    import io

    from purposely.cli import main
    from purposely.store import Store

    Store.init(url).engine.dispose()
    sys.argv = ["purposely", "ingest", "jsonl", str(path), "--db", url, "--json"]
    out = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out):
        try:
            main()
        except SystemExit as done:  # Typer exits when the command returns
            if done.code:
                raise
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "report": json.loads(out.getvalue())}


_STAMP = "%Y-%m-%d %H:%M:%S.%f"
_COLUMNS = {
    "subjects": (
        "id, handle, pseudonym, birth_date, born_no_later_than, country, source, "
        "created_at, updated_at"
    ),
    "records": (
        "subject_pk, source, source_id, kind, category, text, data, lang, created_at, updated_at"
    ),
    "consent_events": (
        "seq, subject_pseudonym, purpose, decision, explicit, categories, at, recorded_at, "
        "notice_version, channel, prev_hash, hash"
    ),
}
_SQLITE_TABLES = {
    "subjects": (
        "id VARCHAR(255), handle VARCHAR(255), pseudonym VARCHAR(64), birth_date VARCHAR(10), "
        "born_no_later_than DATE, country VARCHAR(2), source VARCHAR(32), created_at DATETIME, "
        "updated_at DATETIME"
    ),
    "records": (
        "subject_pk INTEGER, source VARCHAR(32), source_id VARCHAR(255), kind VARCHAR(32), "
        "category VARCHAR(128), text TEXT, data JSON, lang VARCHAR(16), created_at DATETIME, "
        "updated_at DATETIME"
    ),
    "consent_events": (
        "seq INTEGER, subject_pseudonym VARCHAR(64), purpose VARCHAR(128), "
        "decision VARCHAR(16), explicit BOOLEAN, categories JSON, at DATETIME, "
        "recorded_at DATETIME, notice_version VARCHAR(128), channel VARCHAR(64), "
        "prev_hash VARCHAR(64), hash VARCHAR(64)"
    ),
}
_PG_TABLES = {
    name: columns.replace("DATETIME", "TIMESTAMPTZ").replace("INTEGER", "BIGINT")
    for name, columns in _SQLITE_TABLES.items()
}


_CAREER = {"skill": "user.skills", "employment": "user.employment_history"}


def _anchor_rows(path: Path, sqlite: bool) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
    """The rows the import writes, per table, in batches of the import's size.

    Prepared in Python beforehand (outside the timed part): values already in the form the
    driver takes (text times for SQLite, ``datetime`` for psycopg; JSON as text).
    """
    now = datetime.now(UTC)

    def stamp(value: datetime) -> Any:
        return value.astimezone(UTC).strftime(_STAMP) if sqlite else value

    pks: dict[str, int] = {}
    seq = 0
    batch: dict[str, list[tuple[Any, ...]]] = {name: [] for name in _COLUMNS}
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            line = json.loads(raw)
            kind = line["type"]
            if kind == "subject":
                pks[line["id"]] = len(pks) + 1
                pseudonym = hashlib.sha256(line["id"].encode()).hexdigest()
                batch["subjects"].append(
                    (line["id"], line.get("handle"), pseudonym, line.get("birth_date"), None,
                     line.get("country"), "jsonl", stamp(now), stamp(now))
                )  # fmt: skip
            elif kind == "consent":
                seq += 1
                at = datetime.fromisoformat(line["at"])
                digest = hashlib.sha256(str(seq).encode()).hexdigest()
                batch["consent_events"].append(
                    (seq, digest, line["purpose"], line["decision"], False, None, stamp(at),
                     stamp(now), line["notice_version"], "import:jsonl", digest, digest)
                )  # fmt: skip
            else:
                created = line.get("created_at")
                if kind == "post":
                    data = {"visibility": line["visibility"]}
                    category = f"user.content.{line['visibility']}"
                else:
                    data = {k: v for k, v in line.items() if k not in ("type", "subject")}
                    category = _CAREER.get(kind, kind)
                batch["records"].append(
                    (pks[line["subject"]], "jsonl", line.get("id") or f"{kind}:{number}", kind,
                     category, line.get("text"), json.dumps(data), line.get("lang"),
                     stamp(datetime.fromisoformat(created)) if created else None, stamp(now))
                )  # fmt: skip
            if number % BATCH == 0:
                yield batch
                batch = {name: [] for name in _COLUMNS}
    yield batch


def child_anchor(url: str, path: Path) -> dict[str, Any]:
    """Write the same rows with the driver alone; time only the driver calls and commit."""
    seconds = 0.0
    if url.startswith("sqlite"):
        import sqlite3

        db = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        # The same settings the store's engine uses.
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        for name, columns in _SQLITE_TABLES.items():
            db.execute(f"CREATE TABLE {name} ({columns})")
        db.execute("BEGIN IMMEDIATE")
        statements = {
            name: f"INSERT INTO {name} ({cols}) VALUES ({', '.join('?' * len(cols.split(',')))})"
            for name, cols in _COLUMNS.items()
        }
        for batch in _anchor_rows(path, sqlite=True):
            start = time.perf_counter()
            for name, rows in batch.items():
                if rows:
                    db.executemany(statements[name], rows)
            seconds += time.perf_counter() - start
        start = time.perf_counter()
        db.execute("COMMIT")
        seconds += time.perf_counter() - start
        db.close()
        return {"seconds": seconds}

    import psycopg

    dsn, schema = datagen.pg_dsn(url)
    with psycopg.connect(dsn, options=f"-csearch_path={schema}") as pg:
        for name, columns in _PG_TABLES.items():
            pg.execute(f"CREATE TABLE {name} ({columns})")
        pg.commit()
        cursor = pg.cursor()
        for batch in _anchor_rows(path, sqlite=False):
            start = time.perf_counter()
            for name, rows in batch.items():
                if rows:
                    with cursor.copy(f"COPY {name} ({_COLUMNS[name]}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            seconds += time.perf_counter() - start
        start = time.perf_counter()
        pg.commit()
        seconds += time.perf_counter() - start
    return {"seconds": seconds}


# --- the parent: generate, run, report -----------------------------------------------------


@dataclass
class Run:
    """One measured child process."""

    seconds: float
    cpu: float
    rss_mb: float
    details: dict[str, Any]


def run_child(mode: str, url: str, path: Path) -> Run:
    """Run this script in ``mode`` in a new process; its own time, CPU and peak RSS."""
    env = {**os.environ, "PURPOSELY_SECRET": datagen.SECRET}
    for var in ("PURPOSELY_DB", "PURPOSELY_POLICY", "PURPOSELY_KEY_FILE"):
        env.pop(var, None)
    command = [sys.executable, __file__, "--child", mode, "--db", url, "--file", str(path)]
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{mode} into {url} failed (exit {child.returncode})")
    details = json.loads(out)
    # Linux reports ru_maxrss in KiB.
    return Run(details["seconds"], usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, details)


@dataclass
class Row:
    """One line of the results table."""

    database: str
    lines: int
    ingest: Run
    anchor: Run

    @property
    def rate(self) -> float:
        return self.lines / self.ingest.seconds

    @property
    def floor(self) -> float:
        return self.lines / self.anchor.seconds


def measure(database: str, path: Path, lines: int, workdir: Path, repeat: int) -> Row:
    """The best of ``repeat`` imports and anchor runs of ``path`` into ``database``."""
    best: dict[str, Run] = {}
    for mode in ("ingest", "anchor"):
        for attempt in range(repeat):
            if database == "sqlite":
                db_file = workdir / f"{mode}-{lines}-{attempt}.db"
                run = run_child(mode, f"sqlite:///{db_file}", path)
                for leftover in workdir.glob(f"{db_file.name}*"):
                    leftover.unlink()
            else:
                with datagen.pg_schema(datagen.pg_server(), mode) as url:
                    run = run_child(mode, url, path)
            if mode not in best or run.seconds < best[mode].seconds:
                best[mode] = run
    return Row(database, lines, best["ingest"], best["anchor"])


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000, help="lines in the big file")
    parser.add_argument("--small", type=int, default=100_000, help="lines in the small file")
    parser.add_argument(
        "--extra", type=int, action="append", default=[], help="more file sizes (memory only)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure; best is shown")
    parser.add_argument(
        "--only", choices=sorted(NAMES), action="append", help="database(s) to measure"
    )
    parser.add_argument("--child", choices=("ingest", "anchor"), help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        work = child_ingest if args.child == "ingest" else child_anchor
        print(json.dumps(work(args.db, args.file)))
        return

    databases = args.only or ["sqlite", "postgresql"]
    print(f"machine: {datagen.machine()}")
    if "postgresql" in databases and (why := datagen.pg_unavailable(datagen.pg_server())):
        print(f"PostgreSQL skipped: {why}")
        databases.remove("postgresql")

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="purposely-bench-") as tmp:
        workdir = Path(tmp)
        sizes = sorted({args.small, args.records, *args.extra})
        files: dict[int, Path] = {}
        for size in sizes:
            start = time.perf_counter()
            files[size] = workdir / f"records-{size}.jsonl"
            kinds = datagen.write_jsonl(files[size], size)
            mb = files[size].stat().st_size / 1e6
            mix = ", ".join(f"{n:,} {kind}" for kind, n in kinds.most_common())
            print(
                f"file: {size:,} lines, {mb:,.0f} MB ({mix}); "
                f"generated in {time.perf_counter() - start:.1f} s"
            )
        for database in databases:
            for size in sizes:
                row = measure(database, files[size], size, workdir, args.repeat)
                rows.append(row)
                print(
                    f"  {NAMES[database]:<10} {size:>9,} lines: {row.rate:>9,.0f} records/s "
                    f"({row.ingest.seconds:.1f} s, CPU {row.ingest.cpu:.1f} s, "
                    f"peak RSS {row.ingest.rss_mb:.0f} MB); driver floor {row.floor:,.0f}/s",
                    flush=True,
                )
    report(rows, args.records)


def report(rows: list[Row], big: int) -> None:
    """The results table and the goals, pass or fail."""
    print()
    header = (
        f"{'database':<11}{'lines':>10}{'seconds':>9}{'records/s':>11}{'CPU s':>7}"
        f"{'peak RSS':>10}{'driver/s':>11}{'of floor':>10}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{NAMES[r.database]:<11}{r.lines:>10,}{r.ingest.seconds:>9.1f}{r.rate:>11,.0f}"
            f"{r.ingest.cpu:>7.1f}{r.ingest.rss_mb:>7.0f} MB{r.floor:>11,.0f}"
            f"{r.rate / r.floor:>9.0%}"
        )
    print()
    print("goals:")
    for database, goal in GOALS.items():
        at_size = [r for r in rows if r.database == database and r.lines == big]
        if at_size:
            rate = at_size[0].rate
            print(
                f"  {NAMES[database]} >= {goal:,} records/s ({big:,} lines): "
                f"{rate:,.0f}  {verdict(rate >= goal)}"
            )
    if rows:
        peak = max(r.ingest.rss_mb for r in rows)
        print(f"  peak RSS < {RSS_GOAL_MB} MB at every size: max {peak:.0f} MB  "
              f"{verdict(peak < RSS_GOAL_MB)}")  # fmt: skip
        for database in NAMES:
            sized = sorted((r.lines, r.ingest.rss_mb) for r in rows if r.database == database)
            if len(sized) > 1:
                by_size = ", ".join(f"{lines:,} lines {mb:.0f} MB" for lines, mb in sized)
                print(f"  {NAMES[database]} peak RSS by file size: {by_size}")


if __name__ == "__main__":
    main()
