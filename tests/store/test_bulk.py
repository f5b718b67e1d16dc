"""Bulk upserts: what the fast driver paths store is what SQLAlchemy would store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Table, insert, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError

from purposely.store import Store, partitions
from purposely.store.bulk import _plan, insert_new_columns, last_per_key, many_keys, upsert
from purposely.store.models import Record, Sample, Subject

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


def samples(snapshot: str, count: int, **fixed: Any) -> dict[str, list[Any]]:
    """Lineage rows of ``snapshot``, column by column, as a build hands them over."""
    columns: dict[str, list[Any]] = {
        "snapshot_id": [snapshot] * count,
        "sample_id": [f"s{i:04d}" for i in range(count)],
        "shard": [i % 3 for i in range(count)],
        "record_pk": [2**40 + i for i in range(count)],
        "subject_pk": [7] * count,
        "basis": ["consent"] * count,
        "consent_seq": [None if i % 2 else i for i in range(count)],
    }
    return {**columns, **{name: [value] * count for name, value in fixed.items()}}


def room_for(store: Store, snapshot: str) -> None:
    """On PostgreSQL, the (empty) partition of ``samples`` that ``snapshot``'s rows go to."""
    if store.engine.dialect.name == "postgresql":
        table: Table = Sample.__table__  # type: ignore[assignment]
        with store.write() as conn:
            partition = partitions.new_partition(conn, table, snapshot)
            partitions.attach(conn, table, partition, snapshot)


def stored_samples(store: Store) -> list[tuple[Any, ...]]:
    """Every lineage row, in key order."""
    t = Sample.__table__
    with store.read() as conn:
        query = select(*t.c).order_by(t.c.snapshot_id, t.c.sample_id)
        return [tuple(row) for row in conn.execute(query)]


def test_new_rows_go_in_exactly_as_given(store: Store) -> None:
    given = samples("snap", 5)
    room_for(store, "snap")
    with store.write() as conn:
        insert_new_columns(conn, Sample.__table__, given)
    names = [c.name for c in Sample.__table__.c]
    assert stored_samples(store) == list(zip(*(given[n] for n in names), strict=True))


def test_new_rows_that_exist_already_are_refused_whole(store: Store) -> None:
    room_for(store, "snap")
    with store.write() as conn:
        insert_new_columns(conn, Sample.__table__, samples("snap", 2))
    before = stored_samples(store)
    clash = samples("snap", 4)  # s0000 and s0001 exist; s0002 and s0003 do not
    with pytest.raises(IntegrityError), store.write() as conn:
        insert_new_columns(conn, Sample.__table__, clash)
    assert stored_samples(store) == before


def test_new_rows_keep_the_columns_length_limits(pg_url: str) -> None:
    # PostgreSQL only: SQLite does not enforce VARCHAR lengths.
    store = Store.init(pg_url)
    room_for(store, "snap")
    with pytest.raises(DBAPIError, match="too long"), store.write() as conn:
        insert_new_columns(conn, Sample.__table__, samples("snap", 2, basis="x" * 33))
    assert stored_samples(store) == []
    store.engine.dispose()


def test_a_direct_copy_refuses_json_columns() -> None:
    with pytest.raises(TypeError, match="JSON"):
        _plan(postgresql.dialect(), Record.__table__, ("source_id", "data"), (), (), direct=True)


def test_many_keys_go_into_the_sql_as_numbers_and_nothing_else(store: Store) -> None:
    known = subject_pk(store)
    absent = range(10**9, 10**9 + 70_000)  # more keys than either database binds
    with store.read() as conn:
        found = conn.scalars(select(Subject.id).where(Subject.pk.in_(many_keys([*absent, known]))))
        assert list(found) == ["u1"]
    with pytest.raises(ValueError):
        many_keys(["1) OR (1 = 1"])  # type: ignore[list-item]
