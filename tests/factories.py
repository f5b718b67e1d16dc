"""Small factories for test data in the JSONL interchange format (DESIGN.md section 5)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

T0 = "2024-01-15T12:00:00Z"


def subject(id: str, **fields: Any) -> dict[str, Any]:
    """A subject line; an adult in Germany unless told otherwise."""
    return {
        "type": "subject",
        "id": id,
        "handle": id,
        "birth_date": "1990-04-01",
        "country": "DE",
        **fields,
    }


def post(id: str, subject: str, text: str = "Guten Morgen", **fields: Any) -> dict[str, Any]:
    """A public post unless told otherwise."""
    return {
        "type": "post",
        "id": id,
        "subject": subject,
        "text": text,
        "visibility": "public",
        "lang": "de",
        "created_at": T0,
        **fields,
    }


def message(id: str, sender: str, recipients: list[str], text: str = "hi") -> dict[str, Any]:
    """A direct message."""
    return {
        "type": "message",
        "id": id,
        "sender": sender,
        "recipients": recipients,
        "text": text,
        "created_at": T0,
    }


def consent(
    subject: str, purpose: str, decision: str = "grant", at: str = T0, **fields: Any
) -> dict[str, Any]:
    """A consent decision."""
    return {
        "type": "consent",
        "subject": subject,
        "purpose": purpose,
        "decision": decision,
        "at": at,
        "notice_version": "test-1",
        **fields,
    }


def skill(subject: str, name: str) -> dict[str, Any]:
    """A skill of a subject."""
    return {"type": "skill", "subject": subject, "name": name}


def employment(
    subject: str, title: str = "Data Engineer", employer: str = "ACME", **fields: Any
) -> dict[str, Any]:
    """A position in a subject's employment history."""
    return {
        "type": "employment",
        "subject": subject,
        "title": title,
        "employer": employer,
        "start": "2019-01",
        "end": None,
        **fields,
    }


def write_jsonl(path: Path, lines: Iterable[dict[str, Any] | str]) -> Path:
    """Write ``lines`` (dicts, or raw strings for broken input) one per line."""
    with path.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write((line if isinstance(line, str) else json.dumps(line)) + "\n")
    return path


def education(subject: str, school: str = "TU Berlin", **fields: Any) -> dict[str, Any]:
    """An education entry of a subject."""
    return {"type": "education", "subject": subject, "school": school, **fields}


def job_preferences(
    subject: str,
    titles: list[str] | None = None,
    locations: list[str] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """What work a subject looks for."""
    return {
        "type": "job_preferences",
        "subject": subject,
        "titles": titles or [],
        "locations": locations or [],
        **fields,
    }


def job(id: str, title: str, employer: str = "ACME", **fields: Any) -> dict[str, Any]:
    """A job listing."""
    return {"type": "job", "id": id, "employer": employer, "title": title, **fields}
