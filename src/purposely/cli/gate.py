"""``purposely gate``: what the gate allows for a purpose, and what it withholds by reason."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from purposely.cli.common import (
    DbOption,
    JsonOption,
    PolicyOption,
    caller,
    emit,
    open_store,
    policy_from,
    stdout,
)
from purposely.gate import Answer, Gate
from purposely.taxonomy import label


def gate(
    purpose: Annotated[str, typer.Argument(help="A purpose of the policy, e.g. train_ai_system.")],
    subject: Annotated[
        str | None, typer.Option("--subject", "-s", help="Only this subject (id or @handle).")
    ] = None,
    watermark: Annotated[
        int | None, typer.Option(help="Consent ledger position to decide at (default: now).")
    ] = None,
    db: DbOption = None,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ask the gate what PURPOSE may use: records allowed per category, withheld per reason.

    The question is logged in the audit log like any other use.
    """
    answer = Gate(open_store(db), policy_from(policy)).ask(
        purpose, caller=caller(), subject=subject, watermark=watermark, list_ids=True
    )
    emit(as_json, answer_dict(answer), lambda: render_answer(answer))


def answer_dict(answer: Answer) -> dict[str, Any]:
    """An answer as plain data."""
    data: dict[str, Any] = {
        "purpose": answer.purpose,
        "watermark": answer.watermark,
        "as_of": answer.as_of,
        "policy": answer.policy_digest,
        "allowed": {
            "records": answer.records_allowed,
            "subjects": answer.subjects_allowed,
            "by_category": answer.allowed,
        },
        "withheld": {
            "records": answer.records_withheld,
            "by_reason": answer.withheld,
            "by_category": answer.withheld_by_category,
        },
        "audit_event": answer.audit_seq,
    }
    if answer.subject is not None:
        data["subject"] = {"id": answer.subject.id, "handle": answer.subject.handle}
        data["allowed"]["ids"] = [
            {"source": src, "id": rid} for src, rid in (answer.record_ids or ())
        ]
    return data


def render_answer(answer: Answer) -> None:
    """Print an answer as tables a person can read."""
    who = f" for {answer.subject.id}" if answer.subject is not None else ""
    stdout.print(
        f"[bold]{answer.purpose}[/] ({label(answer.purpose)}){who}: "
        f"{answer.records_allowed:,} records of {answer.subjects_allowed:,} subjects allowed, "
        f"{answer.records_withheld:,} withheld (watermark {answer.watermark}, "
        f"audit event {answer.audit_seq})"
    )
    allowed = Table("allowed category", "records", title=None, show_edge=False)
    for category, n in answer.allowed.items():
        allowed.add_row(f"{label(category)} [dim]{category}[/]", f"{n:,}")
    if answer.allowed:
        stdout.print(allowed)
    withheld = Table("withheld because", "records", show_edge=False)
    for reason, n in answer.withheld.items():
        withheld.add_row(reason, f"{n:,}")
    if answer.withheld:
        stdout.print(withheld)
    if answer.record_ids is not None:
        ids = ", ".join(rid for _src, rid in answer.record_ids) or "none"
        stdout.print(f"allowed record ids: {ids}", soft_wrap=True)
