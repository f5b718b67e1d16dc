"""What an import stored, under which category, and what it skipped and why.

Every importer ends with one of these, so nothing is ever dropped silently.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class FileNote:
    """What happened to one file of an archive."""

    name: str
    stored: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "file": self.name,
            "stored": dict(sorted(self.stored.items())),
            "skipped": dict(sorted(self.skipped.items())),
            "note": self.note,
        }


@dataclass
class ImportReport:
    """Totals of one import, and per file for archives."""

    source: str
    format: str
    subjects: int = 0
    stored: Counter[str] = field(default_factory=Counter)
    jobs: int = 0
    deleted: int = 0
    consents_recorded: int = 0
    consents_already_held: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    files: list[FileNote] = field(default_factory=list)

    @property
    def records(self) -> int:
        """Records written (new or replacing an earlier version)."""
        return sum(self.stored.values())

    def file(self, name: str) -> FileNote:
        """The note for ``name``, created on first use."""
        for note in self.files:
            if note.name == name:
                return note
        note = FileNote(name)
        self.files.append(note)
        return note

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "source": self.source,
            "format": self.format,
            "subjects": self.subjects,
            "records": self.records,
            "stored": dict(sorted(self.stored.items())),
            "jobs": self.jobs,
            "deleted": self.deleted,
            "consents": {
                "recorded": self.consents_recorded,
                "already_held": self.consents_already_held,
            },
            "skipped": dict(sorted(self.skipped.items())),
            "files": [note.as_dict() for note in self.files],
        }
