"""Lineage partitions: on PostgreSQL, ``samples`` holds one partition per snapshot.

A build copies its lineage into a new table without indexes and attaches it as the
snapshot's partition, which PostgreSQL indexes in one sorted pass: much quicker than
inserting row by row into B-trees shared with every other snapshot (migration 0012 has the
figures). Forgetting a snapshot drops its partition. Readers query ``samples`` as ever.
SQLite has no partitions: there ``samples`` is one plain table and these are not used.
"""

from __future__ import annotations

from sqlalchemy import Connection, MetaData, Table


def partition_name(snapshot_id: str) -> str:
    """The name of the partition of ``samples`` that holds ``snapshot_id``'s lineage."""
    return f"samples_{snapshot_id}"


def partition_bound(snapshot_id: str) -> str:
    """``FOR VALUES IN (...)`` for ``snapshot_id``, as SQL (DDL takes no parameters)."""
    literal = snapshot_id.replace("'", "''")  # standard_conforming_strings is on by default
    return f"FOR VALUES IN ('{literal}')"


def new_partition(conn: Connection, parent: Table, snapshot_id: str) -> Table:
    """A new, empty, unattached table shaped like ``parent`` for ``snapshot_id``'s rows."""
    name = partition_name(snapshot_id)
    quote = conn.dialect.identifier_preparer.quote
    conn.exec_driver_sql(f"CREATE TABLE {quote(name)} (LIKE {quote(parent.name)})")
    return parent.to_metadata(MetaData(), name=name)


def attach(conn: Connection, parent: Table, partition: Table, snapshot_id: str) -> None:
    """Attach ``partition`` to ``parent`` for ``snapshot_id``; PostgreSQL checks that every
    row belongs there and builds the partition's share of ``parent``'s indexes."""
    quote = conn.dialect.identifier_preparer.quote
    conn.exec_driver_sql(
        f"ALTER TABLE {quote(parent.name)} ATTACH PARTITION {quote(partition.name)} "
        + partition_bound(snapshot_id)
    )


def drop(conn: Connection, snapshot_id: str) -> None:
    """Drop ``snapshot_id``'s partition, and with it its rows, if it has one."""
    quote = conn.dialect.identifier_preparer.quote
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {quote(partition_name(snapshot_id))}")
