"""Export (GDPR Art. 20): the member's data as machine-readable JSON in a ZIP, with a README."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

from purposely.errors import PurposelyError
from purposely.gate import Gate
from purposely.rights.report import Report, access_report, report_dict
from purposely.taxonomy import TERMS
from purposely.wire import dumps

README = """\
# Your data from {controller}

Exported on {date} for member {subject}. Every file is JSON (UTF-8), times in UTC (RFC 3339).

| file | what it holds |
| --- | --- |
| `profile.json` | your member id, username, birth date and country, each with its data category |
{category_rows}| `consents.json` | every decision you took about a purpose, with the notice \
version you saw |
| `datasets.json` | datasets holding your posts, whether out of date, and models trained on \
them |
| `audit_events.json` | every time your data was asked for, released, exported or shown |
| `recipients.json` | who outside the platform received your data, and in which form |

Data categories are keys of the Fides taxonomy (https://ethyca.github.io/fideslang/), a
shared vocabulary, so another service can read this export.
"""


def export_zip(gate: Gate, subject: str, out: Path, *, caller: str, controller: str) -> Report:
    """Write ``subject``'s export to ``out`` (a ZIP), whole or not at all; return the report."""
    if out.exists():
        raise PurposelyError(f"{out} already exists: choose another --out")
    report = access_report(gate, subject, caller=caller, right="portability")
    data = report_dict(report)
    files = {
        "profile.json": data["profile"],
        "consents.json": data["consents"],
        "datasets.json": data["snapshots"],
        "audit_events.json": data["audit_events"],
        "recipients.json": data["recipients"],
    }
    rows = ""
    for section in data["categories"]:
        name = f"data/{section['category']}.json"
        files[name] = {
            "category": section["category"],
            "label": section["label"],
            "purposes": section["purposes"],
            "items": section["items"],
        }
        description = (
            TERMS[section["category"]].description_en if section["category"] in TERMS else ""
        )
        rows += f"| `{name}` | {section['count']} items: {section['label']}. {description} |\n"
    readme = README.format(
        controller=controller,
        date=report.generated_at.date().isoformat(),
        subject=report.subject_id,
        category_rows=rows,
    )
    _write_atomically(out, readme, files)
    return report


def _write_atomically(out: Path, readme: str, files: dict[str, Any]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.md", readme)
            for name, content in sorted(files.items()):
                archive.writestr(name, dumps(content) + "\n")
        partial.rename(out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
