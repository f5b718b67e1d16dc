"""Find a subject by id or ``@handle``. Identifies a subject; reads none of their records."""

from __future__ import annotations

from collections.abc import Sequence
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


def find_subjects(conn: Connection, refs: Sequence[str]) -> list[SubjectRef]:
    """The subjects named by ``refs`` (ids or ``@handles``), in order, found in a few queries;
    a clear error naming the first one the store does not hold."""
    t = Subject.__table__
    handles = sorted({r[1:] for r in refs if r.startswith("@")})
    ids = sorted({r for r in refs if not r.startswith("@")})
    by_handle: dict[str, SubjectRef] = {}
    by_id: dict[str, SubjectRef] = {}
    columns = (t.c.pk, t.c.id, t.c.handle, t.c.pseudonym)
    for start in range(0, max(len(handles), len(ids)), 1000):
        for row in conn.execute(
            select(*columns).where(t.c.handle.in_(handles[start : start + 1000]))
        ):
            by_handle[row.handle] = SubjectRef(int(row.pk), row.id, row.handle, row.pseudonym)
        for row in conn.execute(select(*columns).where(t.c.id.in_(ids[start : start + 1000]))):
            by_id[row.id] = SubjectRef(int(row.pk), row.id, row.handle, row.pseudonym)
    found = []
    for ref in refs:
        hit = by_handle.get(ref[1:]) if ref.startswith("@") else by_id.get(ref)
        if hit is None:
            find_subject(conn, ref)  # raises the error that names it
        else:
            found.append(hit)
    return found
