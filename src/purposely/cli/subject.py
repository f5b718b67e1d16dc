"""``purposely subject``: a member's rights: access report, export, erasure."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from purposely.cli.common import (
    DbOption,
    JsonOption,
    PolicyOption,
    caller,
    emit,
    new_app,
    open_store,
    policy_from,
    stdout,
)
from purposely.errors import PurposelyError
from purposely.gate import Gate
from purposely.wire import dumps

app = new_app(
    "A member's rights: see everything stored (Art. 15), export it (Art. 20), erase it (Art. 17)."
)

SubjectArg = Annotated[str, typer.Argument(help="The subject's id, or @handle.")]
LangOption = Annotated[Literal["en", "de"], typer.Option("--lang", help="Language of the page.")]


@app.command()
def report(
    subject: SubjectArg,
    format: Annotated[
        Literal["json", "html"], typer.Option("--format", "-f", help="json, or html for a page.")
    ] = "json",
    lang: LangOption = "en",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file.")] = None,
    db: DbOption = None,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Everything stored about SUBJECT, what it may be used for, their decisions, the datasets
    and models holding their data, and who used or received it."""
    from purposely.rights.html import report_html
    from purposely.rights.report import access_report, report_dict

    rules = policy_from(policy)
    found = access_report(Gate(open_store(db), rules), subject, caller=caller())
    if format == "html" and not as_json:
        text = report_html(found, lang=lang, controller=rules.controller.name)
    else:
        text = dumps(report_dict(found)) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        stdout.print(f"wrote the report of {found.subject_id} to {out}")


@app.command()
def export(
    subject: SubjectArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="The ZIP file to write.")],
    db: DbOption = None,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Export SUBJECT's data as JSON files in a ZIP, with a README explaining each file."""
    from purposely.rights.export import export_zip

    rules = policy_from(policy)
    found = export_zip(
        Gate(open_store(db), rules), subject, out, caller=caller(), controller=rules.controller.name
    )
    emit(
        as_json,
        {"subject": found.subject_id, "out": str(out), "records": found.record_count},
        lambda: stdout.print(
            f"exported {found.record_count:,} records of {found.subject_id} to {out}"
        ),
    )


@app.command()
def erase(
    subjects: Annotated[list[str], typer.Argument(help="Subject ids or @handles to erase.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Erase every personal record of SUBJECTS; keep only the pseudonymous consent ledger and
    audit log as proof, and tombstones so a later import of the same data is skipped.

    Snapshots holding their samples turn stale; models trained on those are listed.
    """
    from purposely.rights.erase import erase as erase_subjects

    if not yes:
        if not sys.stdin.isatty():
            raise PurposelyError("erasure cannot be undone: pass --yes to confirm")
        names = ", ".join(subjects)
        typer.confirm(f"Erase everything stored about {names}? This cannot be undone", abort=True)
    done = erase_subjects(open_store(db), subjects, caller=caller())
    data = {
        "subjects": list(done.subjects),
        "records": done.records,
        "stale_snapshots": done.snapshots,
        "models_to_retrain": list(done.models),
        "audit_event": done.audit_seq,
    }

    def render() -> None:
        stdout.print(
            f"erased {len(done.subjects)} subject(s) and {done.record_count:,} records "
            f"(audit event {done.audit_seq}); the consent ledger keeps their "
            "decisions under a pseudonym that no longer resolves"
        )
        for snapshot_id, n in done.snapshots.items():
            stdout.print(
                f"snapshot {snapshot_id[:12]} is now stale ({n:,} erased samples): "
                f"purposely dataset rebuild {snapshot_id[:12]} --out DIR"
            )
        for model in done.models:
            stdout.print(f"model {model} needs retraining on a rebuilt snapshot")

    emit(as_json, data, render)
