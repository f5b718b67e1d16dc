"""``purposely ingest``: import JSONL, an X archive, or a Mastodon export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from purposely.cli.common import (
    DbOption,
    JsonOption,
    PolicyOption,
    byte_progress,
    emit,
    new_app,
    open_store,
    policy_from,
    stdout,
)
from purposely.errors import InputError
from purposely.ingest.report import ImportReport
from purposely.policy import Policy
from purposely.store import Store
from purposely.taxonomy import label

app = new_app("Import personal data; each import is atomic and ends with a report.")

SubjectOption = Annotated[
    str | None,
    typer.Option(
        "--subject",
        help="Subject id to file the archive under, when the archive does not name its owner.",
    ),
]


def _size(path: Path) -> int:
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


Importer = Callable[[Store, Policy, Path, Callable[[int], None]], ImportReport]


def _run(
    importer: Importer, path: Path, db: str | None, policy: Path | None, as_json: bool
) -> None:
    """Open store and policy, import ``path`` with a progress bar, print the report."""
    store, rules = open_store(db), policy_from(policy)
    started = datetime.now(UTC)
    with byte_progress(f"importing {path.name}", _size(path), as_json) as progress:
        report = importer(store, rules, path, progress)
    # Deletions, posts turned private and consent lines can reach snapshots already built.
    from purposely.datasets.staleness import refresh

    stale = refresh(store, rules, since=started)
    emit(
        as_json,
        {**report.as_dict(), "stale_snapshots": stale},
        lambda: render_report(report, stale),
    )


@app.command()
def jsonl(
    file: Annotated[Path, typer.Argument(help="JSONL file, one object per line (DESIGN.md).")],
    db: DbOption = None,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import a JSONL file: subjects, posts, messages, career data, jobs, consents, deletes."""
    from purposely.ingest.jsonl import ingest_jsonl

    _run(ingest_jsonl, file, db, policy, as_json)


@app.command("x-archive")
def x_archive(
    archive: Annotated[
        Path, typer.Argument(help="An X 'Download your data' ZIP, or its unpacked folder.")
    ],
    subject: SubjectOption = None,
    db: DbOption = None,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import an X (Twitter) archive: account, profile, tweets, DMs, age, phone, inferences."""
    from purposely.ingest.x_archive import ingest_x_archive

    _run(partial(ingest_x_archive, subject=subject), archive, db, policy, as_json)


@app.command()
def mastodon(
    export: Annotated[
        Path, typer.Argument(help="A Mastodon export (ZIP or .tar.gz), or its unpacked folder.")
    ],
    subject: SubjectOption = None,
    db: DbOption = None,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import a Mastodon export: actor.json and outbox.json, visibility from addressing."""
    from purposely.ingest.mastodon import ingest_mastodon

    _run(partial(ingest_mastodon, subject=subject), export, db, policy, as_json)


def render_report(report: ImportReport, stale: dict[str, dict[str, int]] | None = None) -> None:
    """Print what an import stored and skipped, and the snapshots it made stale."""
    stdout.print(
        f"imported {report.source} ({report.format}): {report.subjects:,} subjects, "
        f"{report.records:,} records, {report.jobs:,} jobs, {report.deleted:,} deleted, "
        f"consent decisions {report.consents_recorded:,} recorded "
        f"({report.consents_already_held:,} already held)",
        soft_wrap=True,
    )
    if report.stored:
        table = Table("stored under category", "records", show_edge=False)
        for category, n in sorted(report.stored.items()):
            table.add_row(f"{label(category)} [dim]{category}[/]", f"{n:,}")
        stdout.print(table)
    if report.skipped:
        table = Table("skipped because", "count", show_edge=False)
        for reason, n in sorted(report.skipped.items()):
            table.add_row(reason, f"{n:,}")
        stdout.print(table)
    if report.files:
        table = Table("file", "stored", "skipped / note", show_edge=False)
        for note in report.files:
            stored = ", ".join(f"{n:,} {c}" for c, n in sorted(note.stored.items())) or "-"
            skipped = "; ".join(f"{n:,} {r}" for r, n in sorted(note.skipped.items()))
            table.add_row(note.name, stored, "; ".join(x for x in (skipped, note.note or "") if x))
        stdout.print(table)
    for snapshot_id, reasons in (stale or {}).items():
        held = ", ".join(f"{n:,} {reason}" for reason, n in reasons.items())
        stdout.print(f"snapshot {snapshot_id[:12]} is now stale ({held})")
