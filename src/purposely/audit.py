"""The audit log: one hash-chained event per question asked of the gate.

Each event records who asked, for which purpose, which categories were released, how many
subjects and records, what was withheld by reason, and the consent watermark, together with
the ledger's hash at that watermark. ``verify`` checks both chains and that every watermark
an event names still exists in the ledger with the same hash (so a truncated ledger shows).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, or_, select

from purposely.consent.ledger import LEDGER
from purposely.hashchain import Broken, Chain
from purposely.store.models import AuditEvent, AuditSubject, ConsentEvent

AUDIT = Chain(AuditEvent.__table__, "audit log")  # type: ignore[arg-type]


@dataclass(frozen=True)
class AuditEntry:
    """What to log about one use of personal data."""

    caller: str
    action: str
    purpose: str
    categories: tuple[str, ...]
    subjects: int
    records: int
    withheld: Mapping[str, int]
    watermark: int
    details: Mapping[str, Any] = field(default_factory=dict)
    # Pseudonyms of the subjects a question was about or whose records it released, when
    # they are few (one member, a job search's candidates).
    subjects_named: tuple[str, ...] = ()


def append(conn: Connection, entry: AuditEntry) -> int:
    """Append ``entry`` inside the caller's write transaction; return its ``seq``."""
    ledger_hash = LEDGER.hash_at(conn, entry.watermark)
    if ledger_hash is None:
        raise ValueError(f"watermark {entry.watermark} is beyond the consent ledger")
    row = {
        "at": datetime.now(UTC),
        "caller": entry.caller,
        "action": entry.action,
        "purpose": entry.purpose,
        "categories": sorted(entry.categories),
        "subjects": entry.subjects,
        "records": entry.records,
        "withheld": dict(sorted(entry.withheld.items())),
        "watermark": entry.watermark,
        "ledger_hash": ledger_hash,
        "details": dict(entry.details),
    }
    seq = int(AUDIT.append(conn, [row])[0]["seq"])
    if entry.subjects_named:
        conn.execute(
            insert(AuditSubject),
            [{"audit_seq": seq, "subject_pseudonym": p} for p in sorted(set(entry.subjects_named))],
        )
    return seq


@dataclass(frozen=True)
class Verification:
    """Outcome of checking both chains."""

    ledger_entries: int
    audit_events: int
    problems: tuple[Broken, ...]

    @property
    def ok(self) -> bool:
        """True if both chains verify and agree."""
        return not self.problems


def verify(conn: Connection) -> Verification:
    """Check the consent ledger, the audit log, and the watermarks that link them."""
    problems = [p for p in (LEDGER.verify(conn), AUDIT.verify(conn), _watermarks(conn)) if p]
    return Verification(LEDGER.count(conn), AUDIT.count(conn), tuple(problems))


def _watermarks(conn: Connection) -> Broken | None:
    a, c = AuditEvent.__table__, ConsentEvent.__table__
    query = (
        select(a.c.seq, a.c.watermark)
        .select_from(a.outerjoin(c, c.c.seq == a.c.watermark))
        .where(a.c.watermark > 0, or_(c.c.hash.is_(None), c.c.hash != a.c.ledger_hash))
        .order_by(a.c.seq)
        .limit(1)
    )
    row = conn.execute(query).first()
    if row is None:
        return None
    return Broken(
        AUDIT.name,
        int(row.seq),
        f"names consent ledger entry {row.watermark}, which is gone or has changed since",
    )


def recent(conn: Connection, limit: int = 20) -> list[dict[str, Any]]:
    """The last ``limit`` events, newest first, as plain dicts."""
    t = AuditEvent.__table__
    rows = conn.execute(select(t).order_by(t.c.seq.desc()).limit(limit)).mappings()
    return [dict(row) for row in rows]
