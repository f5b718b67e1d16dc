"""The data map as the notice and the exports read it: which stored field holds which category.

Subject columns name their category in ``info["category"]`` (``store/models.py``); a record
carries its category in ``records.category``, which may be any category of the taxonomy (the
gate refuses a record whose category the taxonomy does not know).
"""

from __future__ import annotations

from dataclasses import dataclass

from purposely.store.models import Record, Subject
from purposely.taxonomy import CATEGORIES

# The root category says only "personal data"; a record always carries a narrower one.
_ROOT = "user"


@dataclass(frozen=True)
class MappedField:
    """One stored field and the data category it holds."""

    table: str
    column: str
    categories: tuple[str, ...]


def subject_fields() -> list[MappedField]:
    """The columns of ``subjects`` that hold personal data, with their category."""
    return [
        MappedField(Subject.__tablename__, column.name, (str(column.info["category"]),))
        for column in Subject.__table__.columns
        if "category" in column.info
    ]


def record_categories() -> tuple[str, ...]:
    """Every category a record may carry, sorted."""
    return tuple(sorted(c for c in CATEGORIES if c != _ROOT))


def record_fields() -> list[MappedField]:
    """The columns of ``records`` that hold the personal data itself."""
    categories = record_categories()
    return [MappedField(Record.__tablename__, column, categories) for column in ("text", "data")]
