"""Tombstones: what was erased, kept as keyed hashes so a later import of it is refused.

Erasure must stick: re-importing the same archive must not bring the member back. A tombstone
holds an HMAC (under the installation secret) of an erased subject id or record id, never
the id itself, so the store keeps no personal data of the erased member, yet recognises
their data when it comes back.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Connection, exists, select

from purposely.store.bulk import upsert_columns
from purposely.store.models import Tombstone

SUBJECT = "subject"
RECORD = "record"


def subject_key(secret: bytes, subject_id: str) -> str:
    """The tombstone key of a subject id."""
    return _key(secret, SUBJECT, subject_id)


def record_key(secret: bytes, source: str, source_id: str) -> str:
    """The tombstone key of a record, as its source names it."""
    return _key(secret, RECORD, f"{source}\x00{source_id}")


def _key(secret: bytes, kind: str, value: str) -> str:
    return hmac.new(secret, f"tombstone\x00{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()


def bury(conn: Connection, keys: Iterable[tuple[str, str]]) -> None:
    """Store tombstones for ``(key, kind)`` pairs (a key already buried stays as it was)."""
    pairs = list(dict(keys).items())
    if not pairs:
        return
    now = datetime.now(UTC)
    upsert_columns(
        conn,
        Tombstone.__table__,  # type: ignore[arg-type]
        {
            "key": [key for key, _ in pairs],
            "kind": [kind for _, kind in pairs],
            "erased_at": [now] * len(pairs),
        },
        keys=["key"],
        update=[],
    )


def any_buried(conn: Connection) -> bool:
    """True if anything was ever erased (imports skip the check otherwise)."""
    return bool(conn.scalar(select(exists().select_from(Tombstone))))


def buried(conn: Connection, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` have a tombstone."""
    wanted = sorted(set(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        found.update(conn.scalars(select(Tombstone.key).where(Tombstone.key.in_(chunk))))
    return found
