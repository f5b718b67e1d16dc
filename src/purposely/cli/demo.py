"""``purposely demo``: a synthetic platform, imported and put to the gate, in one command."""

from __future__ import annotations

import os
import shlex
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table

from purposely.cli.common import (
    JsonOption,
    PolicyOption,
    byte_progress,
    emit,
    policy_from,
    stderr,
    stdout,
)
from purposely.cli.dataset import snapshot_dict
from purposely.demo.platform import MIN_POSTS, MIN_SUBJECTS, PlatformSummary, write_platform
from purposely.demo.run import (
    DemoFolder,
    ask_every_purpose,
    build_training_snapshot,
    fresh_store,
    prepare,
)
from purposely.gate import REASONS, Answer
from purposely.ingest.jsonl import ingest_jsonl
from purposely.ingest.report import ImportReport
from purposely.policy import Policy
from purposely.store.secret import KEY_FILE_ENV
from purposely.taxonomy import TRAIN_AI, label

if TYPE_CHECKING:
    from purposely.datasets.lineage import SnapshotInfo

# Purpose keys longer than this are shown broken after a dot, so the table fits a terminal.
KEY_WIDTH = 32


def demo(
    directory: Annotated[
        Path,
        typer.Option(
            "--dir",
            help="Folder for the platform file and the demo store; an earlier demo there "
            "is replaced, anything else is left alone.",
        ),
    ] = Path("purposely-demo"),
    seed: Annotated[int, typer.Option(help="Same seed, same platform, byte for byte.")] = 7,
    subjects: Annotated[
        int, typer.Option(min=MIN_SUBJECTS, help="Number of members on the platform.")
    ] = 400,
    posts: Annotated[int, typer.Option(min=MIN_POSTS, help="Number of posts they write.")] = 10_000,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Make a synthetic social platform, import it, and ask the gate about every purpose.

    The members, posts (German and English), messages, career profiles and consent
    decisions are generated from the seed; none of them is a real person.
    """
    started = time.perf_counter()
    rules = policy_from(policy)
    folder = prepare(directory)
    with _status("generating the demo platform", as_json):
        summary = write_platform(folder.platform, seed, subjects, posts, rules)
    store = fresh_store(folder)
    try:
        with byte_progress(f"importing {folder.platform.name}", summary.bytes, as_json) as bar:
            report = ingest_jsonl(store, rules, folder.platform, bar)
        with _status("asking the gate about every purpose", as_json):
            answers = ask_every_purpose(store, rules)
        with _status("building an AI training dataset from what the gate allows", as_json):
            snapshot_id = build_training_snapshot(store, rules, folder)
        snapshot = None
        if snapshot_id is not None:
            from purposely.datasets import lineage

            with store.read() as conn:
                snapshot = lineage.info(conn, snapshot_id, with_shards=True)
    finally:
        store.engine.dispose()
    hints = next_steps(
        folder, policy, rules, summary.example_handle, snapshot.id if snapshot else None
    )
    data = {
        "dir": str(directory),
        "db": folder.url,
        "platform": summary.as_dict(),
        "import": report.as_dict(),
        "purposes": [_answer_row(a) for a in answers],
        "snapshot": snapshot_dict(snapshot) if snapshot else None,
        "next": hints,
    }
    emit(
        as_json,
        data,
        lambda: _render(summary, report, folder, rules, answers, snapshot, hints, started),
    )


@contextmanager
def _status(message: str, quiet: bool) -> Iterator[None]:
    """A spinner on stderr while a step runs; nothing under ``--json`` or off a terminal."""
    if quiet or not stderr.is_terminal:
        yield
        return
    with stderr.status(message):
        yield


def _answer_row(answer: Answer) -> dict[str, Any]:
    return {
        "purpose": answer.purpose,
        "label": label(answer.purpose),
        "records_allowed": answer.records_allowed,
        "subjects_allowed": answer.subjects_allowed,
        "records_withheld": answer.records_withheld,
        "withheld": answer.withheld,
        "watermark": answer.watermark,
        "audit_event": answer.audit_seq,
    }


def next_steps(
    folder: DemoFolder,
    policy_file: Path | None,
    rules: Policy,
    handle: str,
    snapshot_id: str | None,
) -> dict[str, Any]:
    """What to try next: environment lines, then commands each with what it shows."""
    env = [f"export PURPOSELY_DB={shlex.quote(folder.url)}"]
    if os.environ.get(KEY_FILE_ENV):  # a key file set elsewhere would not open the demo store
        env.append(f"export {KEY_FILE_ENV}={shlex.quote(str(folder.key_file))}")
    if policy_file is not None:
        env.append(f"export PURPOSELY_POLICY={shlex.quote(str(policy_file))}")
    purpose = TRAIN_AI if TRAIN_AI in rules.purposes else next(iter(rules.purposes))
    who = f"@{handle}"
    gate = f"purposely gate {purpose} --subject {who}"
    steps = [
        (gate, f"what {purpose} may use of one member, {who}"),
        (f"purposely consent withdraw {who} {purpose}", "they change their mind ..."),
        (gate, "... and from now on the gate withholds their data"),
        *_snapshot_steps(folder, snapshot_id),
        (f"purposely consent show {who}", "their decisions, with the full history"),
        ("purposely audit log", "every question to the gate, logged"),
        ("purposely audit verify", "are the consent ledger and the audit log intact?"),
        (
            "purposely jobs list",
            "job listings; `jobs recommend` for a member, `jobs candidates` for a listing",
        ),
        (f"purposely member invite {who}", "a link for them to sign in to the privacy center"),
        ("purposely serve", "the privacy center, the admin view and the REST API (/docs)"),
        ("purposely --help", "everything else"),
    ]
    return {"env": env, "steps": [{"command": c, "shows": why} for c, why in steps]}


def _snapshot_steps(folder: DemoFolder, snapshot_id: str | None) -> list[tuple[str, str]]:
    if snapshot_id is None:
        return []
    short = snapshot_id[:12]
    again = shlex.quote(str(folder.snapshot.with_name(folder.snapshot.name + "-rebuilt")))
    return [
        ("purposely dataset list", "the training snapshot holding their posts is now stale"),
        (f"purposely dataset show {short}", "which samples, and why"),
        (f"purposely dataset rebuild {short} --out {again}", "a copy without them"),
    ]


def _render(
    summary: PlatformSummary,
    report: ImportReport,
    folder: DemoFolder,
    rules: Policy,
    answers: list[Answer],
    snapshot: SnapshotInfo | None,
    hints: dict[str, Any],
    started: float,
) -> None:
    stdout.print(
        f"[bold]purposely demo[/]: a synthetic social platform from seed {summary.seed} "
        "(none of its members is a real person)\n"
    )
    stdout.print(_what_was_done(summary, report, folder.url))
    stdout.print(
        "\nWhat may each purpose use? The gate's answers: records and members allowed, "
        "records withheld by reason (each question is in the audit log)."
    )
    stdout.print(_answers_table(answers))
    _legend(rules, answers)
    if snapshot is not None:
        _snapshot_summary(snapshot, folder)
    stdout.print("\n[bold]Try next[/] (copy and paste):")
    for line in hints["env"]:
        stdout.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
    for step in hints["steps"]:
        stdout.print(f"  [dim]# {escape(step['shows'])}[/]", highlight=False, soft_wrap=True)
        stdout.print(f"  {step['command']}", markup=False, highlight=False, soft_wrap=True)
    stdout.print(f"\ndone in {time.perf_counter() - started:.1f} s")


def _snapshot_summary(snapshot: SnapshotInfo, folder: DemoFolder) -> None:
    counts = snapshot.counts
    excluded = counts["excluded"]
    replaced = ", ".join(f"{n:,} {entity}" for entity, n in counts["redactions"].items())
    stdout.print(
        f"\n[bold]An AI training dataset[/] from what the gate allowed: "
        f"{counts['included']:,} samples in {folder.snapshot}/ (data/*.parquet, manifest.json, "
        f"README.md), snapshot {snapshot.id[:12]}. Personal data replaced by placeholders: "
        f"{replaced or 'none found'}. Duplicates removed: "
        f"{excluded.get('duplicate_exact', 0):,} exact, {excluded.get('duplicate_near', 0):,} "
        "near. The lineage of every sample (record, member, consent) stays in the store.",
        soft_wrap=False,
    )


def _what_was_done(summary: PlatformSummary, report: ImportReport, url: str) -> Table:
    lines = summary.lines
    career = sum(lines[k] for k in ("employment", "education", "skill", "job_preferences"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row(
        "wrote",
        f"{summary.path} ({summary.bytes / 1e6:.1f} MB): {lines['subject']:,} members, "
        f"{lines['post'] - summary.made_private:,} posts in German and English, "
        f"{lines['message']:,} direct messages, {career:,} career profile entries, "
        f"{lines['job']:,} job listings, {lines['consent']:,} consent decisions, "
        f"{summary.made_private:,} posts later made private, {lines['delete']:,} deletions",
    )
    grid.add_row(
        "imported", f"{report.subjects:,} members and {report.records:,} records into {url}"
    )
    return grid


def _answers_table(answers: list[Answer]) -> Table:
    """A column per reason if that fits the terminal, else the reasons listed in one column.

    Long purpose keys stay whole where there is room, else they break after a dot.
    """
    for table in (_wide_table(answers, 10_000), _wide_table(answers, KEY_WIDTH)):
        natural = Measurement.get(stdout, stdout.options.update(width=10_000), table).maximum
        if natural <= stdout.width:
            return table
    return _narrow_table(answers)


def _reasons(answers: list[Answer]) -> list[str]:
    """The reasons that occur in any answer, in the gate's order."""
    return [r for r in REASONS if any(r in a.withheld for a in answers)]


def _purpose_cell(answer: Answer, width: int) -> str:
    key = _break_at_dots(answer.purpose, width)
    return f"{escape(label(answer.purpose))}\n[dim]{escape(key)}[/]"


def _wide_table(answers: list[Answer], key_width: int) -> Table:
    """One row per purpose: allowed records and members, then withheld records per reason."""
    reasons = _reasons(answers)
    # Two spaces between columns rather than three: with a column per reason, width is scarce.
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 0, 0, 1))
    table.add_column("purpose")
    table.add_column("records\nallowed", justify="right", style="green")
    table.add_column("members\nallowed", justify="right", style="green")
    for reason in reasons:
        table.add_column(reason.replace("_", "\n"), justify="right", style="yellow")
    for a in answers:
        table.add_row(
            _purpose_cell(a, key_width),
            f"{a.records_allowed:,}",
            f"{a.subjects_allowed:,}",
            *(f"{a.withheld[r]:,}" if r in a.withheld else "-" for r in reasons),
            end_section=True,
        )
    return table


def _narrow_table(answers: list[Answer]) -> Table:
    """One row per purpose, with what it withholds listed reason by reason in one cell."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("purpose")
    table.add_column("allowed", style="green", no_wrap=True)
    table.add_column("withheld, by reason", no_wrap=True)
    for a in answers:
        withheld = "\n".join(
            f"{n:>7,} [yellow]{reason.replace('_', ' ')}[/]" for reason, n in a.withheld.items()
        )
        allowed = f"{a.records_allowed:,} records\nof {a.subjects_allowed:,} members"
        table.add_row(_purpose_cell(a, KEY_WIDTH), allowed, withheld or "-", end_section=True)
    return table


def _break_at_dots(key: str, width: int) -> str:
    """``key`` on lines of at most ``width`` characters, broken after dots where it can be."""
    lines = [""]
    for part in key.split("."):
        piece = part if not lines[-1] else f".{part}"
        if lines[-1] and len(lines[-1]) + len(piece) > width:
            lines[-1] += "."
            piece = part
            lines.append("")
        lines[-1] += piece
    return "\n".join(lines)


def _legend(rules: Policy, answers: list[Answer]) -> None:
    """Say in words what each reason that occurs means, and why a purpose found nothing."""
    minor = f"the member is under {rules.minimum_age}" + (
        " or of unknown age" if rules.unknown_age_is_minor else ""
    )
    meaning = {
        "private": "private posts and direct messages, which the purpose may not use",
        "category_not_allowed": "data of a kind the policy does not give the purpose",
        "minor": f"{minor}, and the purpose excludes minors",
        "no_legal_basis": "the policy gives the purpose no legal basis in the member's country",
        "objected": "the member objected to the purpose",
        "withdrawn": "the member withdrew an earlier consent",
        "no_consent": "the purpose needs consent, and the member never gave it",
    }
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="yellow", no_wrap=True)
    grid.add_column()
    for reason in _reasons(answers):
        grid.add_row(reason.replace("_", " "), meaning.get(reason, ""))
    stdout.print("\nWithheld because:")
    stdout.print(Padding(grid, (0, 0, 0, 2)))
    for a in answers:
        present = set(a.allowed) | set(a.withheld_by_category)
        rule = rules.rule(a.purpose)
        if not any(rule.uses(category) for category in present):
            stdout.print(
                f"\n{label(a.purpose)} has nothing to use: the demo platform holds no "
                f"{', '.join(rule.categories)} data, only the members' consent decisions."
            )
