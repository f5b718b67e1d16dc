"""``purposely consent``: record a subject's decision, and show their standing decisions."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table

from purposely.cli.common import (
    DbOption,
    JsonOption,
    PolicyOption,
    emit,
    new_app,
    open_store,
    policy_from,
    stdout,
)
from purposely.consent import Decision, history, state
from purposely.consent.ledger import current_notice_version
from purposely.store.subjects import find_subject
from purposely.taxonomy import label

app = new_app("Record and show consent decisions (the append-only consent ledger).")

SubjectArg = Annotated[str, typer.Argument(help="The subject's id, or @handle.")]
PurposeArg = Annotated[str, typer.Argument(help="A purpose of the policy, e.g. train_ai_system.")]
NoticeOption = Annotated[
    str | None,
    typer.Option("--notice", help="Version of the notice the decision was given against."),
]
ChannelOption = Annotated[str, typer.Option(help="Where the decision was taken.")]


def _record(
    decision: Decision,
    subject: str,
    purpose: str,
    notice: str | None,
    categories: list[str] | None,
    channel: str,
    db: str | None,
    policy_file: Any,
    as_json: bool,
) -> None:
    from purposely.rights.decisions import record_decision  # heavy: only when recording

    policy = policy_from(policy_file)
    done = record_decision(
        open_store(db),
        policy,
        subject,
        purpose,
        decision,
        notice_version=notice or current_notice_version(policy),
        channel=channel,
        categories=tuple(categories) if categories else None,
    )
    ref, seq, entry, stale = done.subject, done.seq, done.decision, done.stale
    data = {
        "subject": ref.id,
        "purpose": purpose,
        "decision": decision.value,
        "ledger_entry": seq,
        "notice_version": entry.notice_version,
        "stale_snapshots": stale,
    }

    def render() -> None:
        stdout.print(
            f"recorded: {ref.id} {decision.value}s {purpose} ({label(purpose)}), "
            f"ledger entry {seq}; it applies from the next question to the gate"
        )
        for snapshot_id, reasons in stale.items():
            held = ", ".join(f"{n:,} {reason}" for reason, n in reasons.items())
            stdout.print(
                f"snapshot {snapshot_id[:12]} is now stale ({held}): "
                f"purposely dataset rebuild {snapshot_id[:12]} --out DIR"
            )

    emit(as_json, data, render)


@app.command()
def grant(
    subject: SubjectArg,
    purpose: PurposeArg,
    notice: NoticeOption = None,
    categories: Annotated[
        list[str] | None,
        typer.Option(
            "--categories",
            help="Data the consent covers; required (and makes it explicit) for purposes "
            "on explicit consent, such as identity verification. Repeat or comma-separate.",
        ),
    ] = None,
    channel: ChannelOption = "cli",
    db: DbOption = None,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record that SUBJECT opts in to PURPOSE."""
    flat = [c.strip() for item in categories or [] for c in item.split(",") if c.strip()]
    _record(Decision.GRANT, subject, purpose, notice, flat, channel, db, policy, as_json)


@app.command()
def withdraw(
    subject: SubjectArg,
    purpose: PurposeArg,
    notice: NoticeOption = None,
    channel: ChannelOption = "cli",
    db: DbOption = None,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record that SUBJECT withdraws an earlier consent to PURPOSE."""
    _record(Decision.WITHDRAW, subject, purpose, notice, None, channel, db, policy, as_json)


@app.command("object")
def object_(
    subject: SubjectArg,
    purpose: PurposeArg,
    notice: NoticeOption = None,
    channel: ChannelOption = "cli",
    db: DbOption = None,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record that SUBJECT objects to PURPOSE (GDPR Art. 21), whatever its legal basis."""
    _record(Decision.OBJECT, subject, purpose, notice, None, channel, db, policy, as_json)


@app.command()
def show(
    subject: SubjectArg,
    watermark: Annotated[
        int | None, typer.Option(help="Show the state as of this ledger position.")
    ] = None,
    db: DbOption = None,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show SUBJECT's standing decision per purpose, and the full history."""
    store, rules = open_store(db), policy_from(policy)
    with store.read() as conn:
        ref = find_subject(conn, subject)
        standing = state(conn, ref.pseudonym, watermark)
        past = history(conn, ref.pseudonym, watermark)
    rows = [
        {
            "purpose": purpose,
            "decision": standing[purpose].decision.value if purpose in standing else None,
            "since": standing[purpose].at if purpose in standing else None,
            "ledger_entry": standing[purpose].seq if purpose in standing else None,
            "notice_version": standing[purpose].notice_version if purpose in standing else None,
        }
        for purpose in sorted(set(rules.purposes) | set(standing))
    ]
    data = {
        "subject": ref.id,
        "watermark": watermark,
        "purposes": rows,
        "history": [
            {
                "seq": e.seq,
                "purpose": e.purpose,
                "decision": e.decision.value,
                "at": e.at,
                "notice_version": e.notice_version,
                "channel": e.channel,
                "explicit": e.explicit,
            }
            for e in past
        ],
    }

    def render() -> None:
        table = Table(title=f"consent of {ref.id}", box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column("purpose", overflow="fold")
        table.add_column("decision")
        table.add_column("since", no_wrap=True)
        table.add_column("entry", justify="right")
        for purpose in sorted(set(rules.purposes) | set(standing)):
            e = standing.get(purpose)
            table.add_row(
                purpose,
                e.decision.value if e else "[dim]none[/]",
                e.at.strftime("%Y-%m-%d") if e else "",
                str(e.seq) if e else "",
            )
        stdout.print(table)
        stdout.print(f"{len(past)} decisions in the ledger for this subject; --json shows them all")

    emit(as_json, data, render)
