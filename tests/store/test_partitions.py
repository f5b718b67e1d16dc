"""PostgreSQL's lineage partitions: one per snapshot, attached whole, dropped whole."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Table, func, select
from sqlalchemy.exc import DBAPIError

from purposely.store import Store, partitions
from purposely.store.bulk import insert_new_columns
from purposely.store.models import Sample

# The tables in the test's own schema, on PostgreSQL.
OWN_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
SAMPLES: Table = Sample.__table__  # type: ignore[assignment]


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[Store]:
    store = Store.init(pg_url)
    yield store
    store.engine.dispose()


def rows(snapshot: str, count: int) -> dict[str, list[object]]:
    """Lineage rows of ``snapshot``, column by column."""
    return {
        "snapshot_id": [snapshot] * count,
        "sample_id": [f"{snapshot}-{i}" for i in range(count)],
        "shard": [0] * count,
        "record_pk": list(range(count)),
        "subject_pk": [i % 2 for i in range(count)],
        "basis": ["consent"] * count,
        "consent_seq": [None] * count,
    }


def add(conn: Connection, snapshot: str, count: int) -> None:
    """Copy ``count`` rows into a new partition for ``snapshot`` and attach it."""
    partition = partitions.new_partition(conn, SAMPLES, snapshot)
    insert_new_columns(conn, partition, rows(snapshot, count))
    partitions.attach(conn, SAMPLES, partition, snapshot)


def per_snapshot(conn: Connection) -> dict[str, int]:
    query = select(Sample.snapshot_id, func.count()).group_by(Sample.snapshot_id)
    return {snapshot: int(n) for snapshot, n in conn.execute(query)}


def test_attached_rows_are_read_through_samples_and_dropped_with_their_partition(
    pg_store: Store,
) -> None:
    with pg_store.write() as conn:
        add(conn, "a1", 3)
        add(conn, "b'2", 2)  # quoted in the partition's bound
    with pg_store.read() as conn:
        assert per_snapshot(conn) == {"a1": 3, "b'2": 2}
        by_subject = select(func.count()).where(Sample.subject_pk == 1)
        assert conn.scalar(by_subject) == 2  # a1-1 and b'2-1
    with pg_store.write() as conn:
        partitions.drop(conn, "a1")
        partitions.drop(conn, "never-built")  # nothing to drop: no error
    with pg_store.read() as conn:
        assert per_snapshot(conn) == {"b'2": 2}


def test_a_partition_holding_another_snapshots_rows_is_refused_and_nothing_stays(
    pg_store: Store,
) -> None:
    with pytest.raises(DBAPIError, match="violated by some row"), pg_store.write() as conn:
        partition = partitions.new_partition(conn, SAMPLES, "a1")
        insert_new_columns(conn, partition, rows("other", 1))
        partitions.attach(conn, SAMPLES, partition, "a1")
    with pg_store.read() as conn:
        assert per_snapshot(conn) == {}
        tables = conn.exec_driver_sql(OWN_TABLES).scalars().all()
        assert partitions.partition_name("a1") not in tables
