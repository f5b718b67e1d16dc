"""Find a subject by id or ``@handle``. Identifies a subject; reads none of their records."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

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
    found = known_subjects(conn, [ref]).get(ref)
    if found is None:
        raise unknown_subject(ref)
    return found


def find_subjects(conn: Connection, refs: Sequence[str]) -> list[SubjectRef]:
    """The subjects named by ``refs`` (ids or ``@handles``), in order, found in a few queries;
    a clear error naming the first one the store does not hold."""
    known = known_subjects(conn, refs)
    missing = next((ref for ref in refs if ref not in known), None)
    if missing is not None:
        raise unknown_subject(missing)
    return [known[ref] for ref in refs]


def known_subjects(conn: Connection, refs: Sequence[str]) -> dict[str, SubjectRef]:
    """The subjects ``refs`` (ids or ``@handles``) name, by ref; unknown ones are left out.
    Ids and handles are asked apart (with an ``OR`` of the two, SQLite scans the table)."""
    t = Subject.__table__
    ids = {r for r in refs if not r.startswith("@")}
    handles = {r[1:] for r in refs if r.startswith("@")}
    found = {ref.id: ref for ref in _refs_where(conn, t.c.id, ids)}
    found.update((f"@{ref.handle}", ref) for ref in _refs_where(conn, t.c.handle, handles))
    return found


def subjects_by_pk(conn: Connection, pks: Sequence[int]) -> dict[int, SubjectRef]:
    """The subjects with these store keys, by key; keys of subjects gone (erased) are left
    out."""
    return {ref.pk: ref for ref in _refs_where(conn, Subject.__table__.c.pk, set(pks))}


def _refs_where(conn: Connection, column: Any, keys: Collection[Any]) -> Iterator[SubjectRef]:
    """The subjects whose ``column`` is one of ``keys``, asked a thousand keys at a time."""
    t = Subject.__table__
    wanted = sorted(keys)
    for start in range(0, len(wanted), 1000):
        query = select(t.c.pk, t.c.id, t.c.handle, t.c.pseudonym).where(
            column.in_(wanted[start : start + 1000])
        )
        for row in conn.execute(query):
            yield SubjectRef(int(row.pk), row.id, row.handle, row.pseudonym)


def unknown_subject(ref: str) -> UnknownSubjectError:
    """The error for a ``ref`` the store does not hold, saying how to name a handle."""
    if ref.startswith("@"):
        return UnknownSubjectError(f"no subject with handle {ref[1:]!r}")
    return UnknownSubjectError(f"no subject with id {ref!r} (use @name for a handle)")
