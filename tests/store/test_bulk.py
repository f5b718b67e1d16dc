"""Bulk upserts: what the fast driver paths store is what SQLAlchemy would store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError, StatementError

from purposely.store import Store
from purposely.store.bulk import last_per_key, upsert
from purposely.store.models import Record, Subject

T0 = datetime(2024, 5, 1, 12, 30, 15, 250000, tzinfo=UTC)


def subject_pk(store: Store) -> int:
    """A subject to hang records on."""
    with store.write() as conn:
        conn.execute(
            insert(Subject),
            [{"id": "u1", "pseudonym": "p", "source": "t", "created_at": T0, "updated_at": T0}],
        )
        return int(conn.scalar(select(Subject.pk)) or 0)


def record(pk: int, source_id: str, **fields: Any) -> dict[str, Any]:
    """A record row as the writer hands it to upsert."""
    return {
        "subject_pk": pk,
        "source": "t",
        "source_id": source_id,
        "kind": "post",
        "category": "user.content.public",
        "text": f"text {source_id}",
        "data": None,
        "lang": "de",
        "created_at": T0,
        "updated_at": T0,
        **fields,
    }


UPDATE = ["kind", "category", "text", "data", "lang", "created_at", "updated_at"]


def stored(store: Store) -> list[tuple[Any, ...]]:
    """Records in primary-key order."""
    t = Record.__table__
    with store.read() as conn:
        query = select(t.c.source_id, t.c.text, t.c.data, t.c.created_at).order_by(t.c.pk)
        return [tuple(row) for row in conn.execute(query)]


def test_new_rows_keep_their_order_and_resent_rows_replace(store: Store) -> None:
    pk = subject_pk(store)
    table = Record.__table__
    with store.write() as conn:
        upsert(
            conn,
            table,
            [record(pk, f"r{i}") for i in (3, 1, 2)],
            keys=["source", "source_id"],
            update=UPDATE,
        )
    with store.write() as conn:
        upsert(
            conn,
            table,
            [record(pk, "r1", text="edited"), record(pk, "r0")],
            keys=["source", "source_id"],
            update=UPDATE,
        )
    assert [(sid, text) for sid, text, _d, _c in stored(store)] == [
        ("r3", "text r3"),
        ("r1", "edited"),
        ("r2", "text r2"),
        ("r0", "text r0"),
    ]


def test_values_round_trip_exactly(store: Store) -> None:
    pk = subject_pk(store)
    cest = timezone(timedelta(hours=2))
    rows = [
        record(pk, "a", data={"flag": True}, created_at=T0.astimezone(cest)),
        record(pk, "b", data={"flag": 1}, text='ümlaut ✓ "quotes"\ttab'),
        record(pk, "c", data={"nested": [1, "x", None]}, created_at=None, text=None),
    ]
    with store.write() as conn:
        upsert(conn, Record.__table__, rows, keys=["source", "source_id"], update=UPDATE)
    got = {sid: (text, data, at) for sid, text, data, at in stored(store)}
    assert got["a"][1] == {"flag": True} and got["a"][2] == T0  # same instant, read in UTC
    assert got["b"][1] == {"flag": 1} and got["b"][1]["flag"] is not True  # 1 is not True
    assert got["b"][0] == 'ümlaut ✓ "quotes"\ttab'
    assert got["c"] == (None, {"nested": [1, "x", None]}, None)


def test_naive_times_are_refused_on_the_bulk_path(store: Store) -> None:
    pk = subject_pk(store)
    with pytest.raises(StatementError, match="naive"), store.write() as conn:
        upsert(
            conn,
            Record.__table__,
            [record(pk, "a", created_at=datetime(2024, 1, 1))],
            keys=["source", "source_id"],
            update=UPDATE,
        )
    assert stored(store) == []


def test_constraint_violations_surface_as_database_errors(store: Store) -> None:
    with pytest.raises(DBAPIError), store.write() as conn:  # no such subject: foreign key
        upsert(
            conn,
            Record.__table__,
            [record(999, "a")],
            keys=["source", "source_id"],
            update=UPDATE,
        )
    assert stored(store) == []


def test_last_per_key_keeps_the_last_version_in_first_seen_order() -> None:
    rows = [{"k": 1, "v": "a"}, {"k": 2, "v": "b"}, {"k": 1, "v": "c"}]
    assert last_per_key(rows, ["k"]) == [{"k": 1, "v": "c"}, {"k": 2, "v": "b"}]
