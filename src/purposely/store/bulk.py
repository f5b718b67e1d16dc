"""Bulk upserts: many rows per statement, on SQLite and PostgreSQL alike.

SQLAlchemy's "insertmanyvalues" turns one ``execute(stmt, rows)`` into a few multi-row
INSERTs, which is the bulk path on both databases (see bench/ingest.py for its figures).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def upsert(
    conn: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    keys: Sequence[str],
    update: Sequence[str],
) -> None:
    """Insert ``rows``; where ``keys`` match an existing row, overwrite its ``update`` columns.

    Rows must be unique on ``keys`` within one call (PostgreSQL refuses to touch a row twice
    in one statement); :func:`last_per_key` makes them so.
    """
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys), set_={col: stmt.excluded[col] for col in update}
    )
    conn.execute(stmt, list(rows))


def last_per_key(rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """``rows`` with only the last row for each key, in first-seen order of the keys."""
    latest: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        latest[tuple(row[k] for k in keys)] = row
    return list(latest.values())
