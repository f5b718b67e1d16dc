"""The consent ledger: append-only, hash-chained decisions of subjects about purposes.

A subject's state for a purpose as of watermark W is its latest decision (by decision time,
then ledger order) among the entries with ``seq <= W``. Entries name the subject by a keyed
pseudonym only, so they stay as proof after the subject is erased.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, select

from purposely.errors import PurposelyError
from purposely.hashchain import Chain
from purposely.policy import LegalBasis, Policy
from purposely.store.models import ConsentEvent
from purposely.taxonomy import covers

LEDGER = Chain(ConsentEvent.__table__, "consent ledger")  # type: ignore[arg-type]


class Decision(StrEnum):
    """What a subject decided about a purpose."""

    GRANT = "grant"
    WITHDRAW = "withdraw"
    OBJECT = "object"


@dataclass(frozen=True)
class ConsentDecision:
    """A decision to record. ``categories`` names what an explicit consent covers."""

    subject_pseudonym: str
    purpose: str
    decision: Decision
    at: datetime
    notice_version: str
    channel: str
    categories: tuple[str, ...] | None = None


@dataclass(frozen=True)
class LedgerEntry:
    """A decision as the ledger holds it."""

    seq: int
    purpose: str
    decision: Decision
    explicit: bool
    categories: tuple[str, ...] | None
    at: datetime
    recorded_at: datetime
    notice_version: str
    channel: str
    hash: str


def check_decision(policy: Policy, decision: ConsentDecision) -> bool:
    """Validate ``decision`` against the policy; return whether it is an explicit consent.

    A grant for a purpose that needs explicit consent anywhere must name every category
    the purpose uses; otherwise it is refused here rather than silently not counting.
    """
    rule = policy.rule(decision.purpose)
    named = set(decision.categories or ())
    explicit = bool(named) and all(any(covers(n, c) for n in named) for c in rule.categories)
    needs_explicit = LegalBasis.EXPLICIT_CONSENT in rule.legal_basis.values()
    if decision.decision is Decision.GRANT and needs_explicit and not explicit:
        wanted = ",".join(rule.categories)
        raise PurposelyError(
            f"consent to {decision.purpose} must be explicit: name the data it covers "
            f"(--categories {wanted})"
        )
    return explicit


def current_notice_version(policy: Policy) -> str:
    """The version a decision is given against when none is named: the version of the privacy
    notice generated from ``policy``, which is what the member was shown."""
    from purposely.notice.version import notice_version  # the notice is only needed here

    return notice_version(policy)


def watermark(conn: Connection) -> int:
    """The current watermark: the ``seq`` of the ledger's last entry (0 if empty)."""
    return LEDGER.head(conn)[0]


def append(conn: Connection, policy: Policy, decisions: Sequence[ConsentDecision]) -> list[int]:
    """Validate and append ``decisions`` in order; return their sequence numbers."""
    entries = [_entry(policy, d) for d in decisions]
    return [int(row["seq"]) for row in LEDGER.append(conn, entries)]


def append_new(
    conn: Connection, policy: Policy, decisions: Sequence[ConsentDecision]
) -> tuple[int, int]:
    """Append the decisions the ledger does not hold yet (for idempotent imports).

    A decision counts as held if an entry has the same subject, purpose, decision, time and
    notice version. Returns ``(appended, already_held)``.
    """
    held = _held(conn, decisions)
    fresh = [d for d in decisions if _identity(d) not in held]
    # The same decision twice in one batch is also only recorded once.
    unique = list({_identity(d): d for d in fresh}.values())
    append(conn, policy, unique)
    return len(unique), len(decisions) - len(unique)


def history(conn: Connection, pseudonym: str, until: int | None = None) -> list[LedgerEntry]:
    """Every decision of the subject, in ledger order, up to watermark ``until``."""
    t = ConsentEvent.__table__
    query = select(t).where(t.c.subject_pseudonym == pseudonym).order_by(t.c.seq)
    if until is not None:
        query = query.where(t.c.seq <= until)
    return [_from_row(row) for row in conn.execute(query).mappings()]


def state(conn: Connection, pseudonym: str, until: int | None = None) -> dict[str, LedgerEntry]:
    """The subject's standing decision per purpose as of watermark ``until`` (now if None)."""
    latest: dict[str, LedgerEntry] = {}
    for entry in history(conn, pseudonym, until):
        current = latest.get(entry.purpose)
        if current is None or (entry.at, entry.seq) >= (current.at, current.seq):
            latest[entry.purpose] = entry
    return latest


def _entry(policy: Policy, d: ConsentDecision) -> dict[str, Any]:
    explicit = check_decision(policy, d)
    return {
        "subject_pseudonym": d.subject_pseudonym,
        "purpose": d.purpose,
        "decision": d.decision.value,
        "explicit": explicit,
        "categories": sorted(d.categories) if d.categories else None,
        "at": d.at,
        "recorded_at": datetime.now(UTC),
        "notice_version": d.notice_version,
        "channel": d.channel,
    }


def _identity(d: ConsentDecision) -> tuple[str, str, str, datetime, str]:
    return (d.subject_pseudonym, d.purpose, d.decision.value, d.at, d.notice_version)


def _held(
    conn: Connection, decisions: Iterable[ConsentDecision]
) -> set[tuple[str, str, str, datetime, str]]:
    """The identities of ``decisions`` the ledger already holds.

    Asked by pseudonym alone (an indexed column) and narrowed to the purposes in Python: a
    row-value ``IN`` over (pseudonym, purpose) pairs makes SQLite scan the whole ledger.
    """
    t = ConsentEvent.__table__
    wanted = {(d.subject_pseudonym, d.purpose) for d in decisions}
    pseudonyms = sorted({pseudonym for pseudonym, _ in wanted})
    held: set[tuple[str, str, str, datetime, str]] = set()
    for start in range(0, len(pseudonyms), 1000):
        query = select(
            t.c.subject_pseudonym, t.c.purpose, t.c.decision, t.c.at, t.c.notice_version
        ).where(t.c.subject_pseudonym.in_(pseudonyms[start : start + 1000]))
        held |= {(r[0], r[1], r[2], r[3], r[4]) for r in conn.execute(query) if r[:2] in wanted}
    return held


def _from_row(row: Any) -> LedgerEntry:
    return LedgerEntry(
        seq=int(row["seq"]),
        purpose=row["purpose"],
        decision=Decision(row["decision"]),
        explicit=bool(row["explicit"]),
        categories=tuple(row["categories"]) if row["categories"] else None,
        at=row["at"],
        recorded_at=row["recorded_at"],
        notice_version=row["notice_version"],
        channel=row["channel"],
        hash=row["hash"],
    )
