"""Find a subject by id or ``@handle``. Identifies a subject; reads none of their records."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from purposely.errors import UnknownSubjectError
from purposely.store.models import Subject


@dataclass(frozen=True)
class SubjectRef:
    """Who a subject is, without any of their data."""

    pk: int
    id: str
    handle: str | None
    pseudonym: str


def find_subject(conn: Connection, ref: str) -> SubjectRef:
    """The subject named by ``ref`` (its id, or ``@handle``); a clear error if there is none."""
    t = Subject.__table__
    column = t.c.handle if ref.startswith("@") else t.c.id
    key = ref[1:] if ref.startswith("@") else ref
    row = conn.execute(
        select(t.c.pk, t.c.id, t.c.handle, t.c.pseudonym).where(column == key)
    ).first()
    if row is None:
        kind = "handle" if ref.startswith("@") else "id (use @name for a handle)"
        raise UnknownSubjectError(f"no subject with {kind} {key!r}")
    return SubjectRef(int(row.pk), row.id, row.handle, row.pseudonym)
