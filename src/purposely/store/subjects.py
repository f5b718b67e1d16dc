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
    Ids and handles are asked apart (with an ``OR`` of the two, SQLite scans the table), a
    thousand at a time."""
    t = Subject.__table__
    columns = (t.c.pk, t.c.id, t.c.handle, t.c.pseudonym)
    wanted = {
        t.c.id: sorted({r for r in refs if not r.startswith("@")}),
        t.c.handle: sorted({r[1:] for r in refs if r.startswith("@")}),
    }
    found: dict[str, SubjectRef] = {}
    for column, keys in wanted.items():
        for start in range(0, len(keys), 1000):
            query = select(*columns).where(column.in_(keys[start : start + 1000]))
            for row in conn.execute(query):
                ref = SubjectRef(int(row.pk), row.id, row.handle, row.pseudonym)
                found[row.id if column is t.c.id else f"@{row.handle}"] = ref
    return found


def subjects_by_pk(conn: Connection, pks: Sequence[int]) -> dict[int, SubjectRef]:
    """The subjects with these store keys, by key; keys of subjects gone (erased) are left
    out. A thousand at a time."""
    t = Subject.__table__
    wanted = sorted(set(pks))
    found: dict[int, SubjectRef] = {}
    for start in range(0, len(wanted), 1000):
        query = select(t.c.pk, t.c.id, t.c.handle, t.c.pseudonym).where(
            t.c.pk.in_(wanted[start : start + 1000])
        )
        for row in conn.execute(query):
            found[int(row.pk)] = SubjectRef(int(row.pk), row.id, row.handle, row.pseudonym)
    return found


def unknown_subject(ref: str) -> UnknownSubjectError:
    """The error for a ``ref`` the store does not hold, saying how to name a handle."""
    if ref.startswith("@"):
        return UnknownSubjectError(f"no subject with handle {ref[1:]!r}")
    return UnknownSubjectError(f"no subject with id {ref!r} (use @name for a handle)")
