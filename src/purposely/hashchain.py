"""Hash chains for append-only tables (the consent ledger and the audit log).

Each entry stores the hash of the entry before it and its own hash over its content plus
that previous hash, so an edited, removed, inserted or reordered entry breaks the chain
from there on. ``verify`` names the first entry that does not check out.

The hash is SHA-256 over canonical JSON (sorted keys, UTC times in RFC 3339), so it does not
depend on the database: a ledger copied from SQLite to PostgreSQL verifies the same.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, func, select, text

GENESIS = "0" * 64
_BATCH = 5_000


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    raise TypeError(f"cannot hash {type(value).__name__}")


def entry_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    """SHA-256 of ``prev_hash`` followed by the canonical JSON of ``content``."""
    body = json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_canonical
    )
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


@dataclass(frozen=True)
class Broken:
    """The first entry of a chain that does not verify, and why."""

    chain: str
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"{self.chain}: entry {self.seq} {self.reason}"


@dataclass(frozen=True)
class Chain:
    """An append-only table whose rows are hash-chained in ``seq`` order."""

    table: Table
    name: str

    @property
    def _content_columns(self) -> list[str]:
        return [c.name for c in self.table.columns if c.name not in ("prev_hash", "hash")]

    def lock(self, conn: Connection) -> None:
        """Serialise appenders. SQLite writers already hold the write lock (BEGIN IMMEDIATE)."""
        if conn.dialect.name == "postgresql":
            key = zlib.crc32(self.table.name.encode())
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    def head(self, conn: Connection) -> tuple[int, str]:
        """The last entry's ``seq`` and hash, or ``(0, GENESIS)`` for an empty chain."""
        t = self.table
        row = conn.execute(select(t.c.seq, t.c.hash).order_by(t.c.seq.desc()).limit(1)).first()
        return (0, GENESIS) if row is None else (int(row.seq), str(row.hash))

    def hash_at(self, conn: Connection, seq: int) -> str | None:
        """The hash of entry ``seq`` (GENESIS for 0), or None if there is no such entry."""
        if seq == 0:
            return GENESIS
        return conn.scalar(select(self.table.c.hash).where(self.table.c.seq == seq))

    def append(
        self, conn: Connection, entries: Sequence[Mapping[str, Any]]
    ) -> list[dict[str, Any]]:
        """Append ``entries`` (content without seq or hashes) and return them completed.

        Call inside a write transaction; the lock is taken here and held until commit.
        """
        if not entries:
            return []
        self.lock(conn)
        seq, prev = self.head(conn)
        rows: list[dict[str, Any]] = []
        for entry in entries:
            seq += 1
            content = {**entry, "seq": seq}
            digest = entry_hash(prev, content)
            rows.append({**content, "prev_hash": prev, "hash": digest})
            prev = digest
        conn.execute(self.table.insert(), rows)
        return rows

    def count(self, conn: Connection) -> int:
        """Number of entries."""
        return int(conn.scalar(select(func.count()).select_from(self.table)) or 0)

    def verify(self, conn: Connection) -> Broken | None:
        """Walk the chain in order; return the first broken entry, or None if all verify."""
        columns = self._content_columns
        expected_seq, prev = 1, GENESIS
        query = select(self.table).order_by(self.table.c.seq)
        for row in conn.execution_options(yield_per=_BATCH).execute(query).mappings():
            seq = int(row["seq"])
            if seq != expected_seq:
                return Broken(self.name, expected_seq, f"is missing (next entry is {seq})")
            if row["prev_hash"] != prev:
                return Broken(
                    self.name,
                    seq,
                    f"does not follow entry {seq - 1}: an entry was removed, inserted or replaced",
                )
            if entry_hash(prev, {c: row[c] for c in columns}) != row["hash"]:
                return Broken(self.name, seq, "was changed after it was written")
            prev = str(row["hash"])
            expected_seq += 1
        return None
