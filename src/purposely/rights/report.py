"""The access report (GDPR Art. 15): everything stored about a member, and what became of it.

For each data category: the items, and the purposes that may use it with the legal basis in
the member's country and their own decision. Then the consent history with the notice
version of each decision, the snapshots holding the member's samples and the models trained
on them, the audit events that named the member or released their records, and who
received anything. The number of SQL statements does not grow with the number of records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, or_, select

from purposely.consent.ledger import Decision, LedgerEntry, history
from purposely.datasets import lineage
from purposely.gate import Disclosure, Gate, StoredRecord
from purposely.policy import LegalBasis, Policy
from purposely.policy.hard_rules import record_withheld_reason
from purposely.store.models import (
    AuditEvent,
    AuditSubject,
    ModelSnapshot,
    Snapshot,
    StaleSample,
    Subject,
)
from purposely.taxonomy import TERMS

# Audit actions whose caller received the member's data (filled by later capabilities).
SHARING_ACTIONS = {"jobs.candidates": "employment.recruitment"}


@dataclass(frozen=True)
class PurposeUse:
    """A purpose that may use a category, on which basis for this member, and their say."""

    purpose: str
    basis: LegalBasis
    decision: Decision | None


@dataclass(frozen=True)
class CategorySection:
    """The member's data of one category."""

    category: str
    items: list[StoredRecord]
    uses: list[PurposeUse]


@dataclass(frozen=True)
class ProfileField:
    """A field of the member's profile row (id, handle, birth date, country)."""

    name: str
    category: str
    value: Any


@dataclass(frozen=True)
class Holding:
    """A snapshot holding the member's samples."""

    snapshot_id: str
    purpose: str
    created_at: datetime
    path: str
    samples: int
    stale: dict[str, int]
    models: list[str]


@dataclass(frozen=True)
class Event:
    """An audit event that named the member or released their records."""

    seq: int
    at: datetime
    caller: str
    action: str
    purpose: str
    records: int


@dataclass(frozen=True)
class Report:
    """The whole access report."""

    subject_id: str
    handle: str | None
    generated_at: datetime
    policy_digest: str
    profile: list[ProfileField]
    categories: list[CategorySection]
    consents: list[LedgerEntry]
    snapshots: list[Holding]
    events: list[Event]
    recipients: list[dict[str, Any]]
    audit_seq: int

    @property
    def record_count(self) -> int:
        """How many records the store holds about the member."""
        return sum(len(c.items) for c in self.categories)


def access_report(gate: Gate, subject: str, *, caller: str, right: str = "access") -> Report:
    """The access report of ``subject`` (id or ``@handle``), disclosed through the gate for
    ``right`` (``access``, or ``portability`` for an export)."""
    disclosure = gate.disclose(subject, caller=caller, right=right)
    pseudonym = disclosure.subject.pseudonym
    with gate.store.read() as conn:
        consents = history(conn, pseudonym)
        holdings = _holdings(conn, disclosure.subject.pk)
        events = _events(conn, pseudonym, [h.snapshot_id for h in holdings])
    return Report(
        subject_id=disclosure.subject.id,
        handle=disclosure.subject.handle,
        generated_at=datetime.now(UTC),
        policy_digest=gate.policy.digest,
        profile=_profile(disclosure),
        categories=_categories(gate.policy, disclosure, consents),
        consents=consents,
        snapshots=holdings,
        events=events,
        recipients=_recipients(gate.policy, holdings, events),
        audit_seq=disclosure.audit_seq,
    )


def _profile(disclosure: Disclosure) -> list[ProfileField]:
    fields = []
    for column in Subject.__table__.columns:
        category = column.info.get("category")
        if category is not None:
            fields.append(ProfileField(column.name, category, disclosure.profile[column.name]))
    return fields


def _standing(consents: Iterable[LedgerEntry]) -> dict[str, LedgerEntry]:
    latest: dict[str, LedgerEntry] = {}
    for entry in consents:
        current = latest.get(entry.purpose)
        if current is None or (entry.at, entry.seq) >= (current.at, current.seq):
            latest[entry.purpose] = entry
    return latest


def _categories(
    policy: Policy, disclosure: Disclosure, consents: list[LedgerEntry]
) -> list[CategorySection]:
    standing = _standing(consents)
    country = disclosure.profile.get("country")
    by_category: dict[str, list[StoredRecord]] = {}
    for record in disclosure.records:
        by_category.setdefault(record.category, []).append(record)
    sections = []
    for category, items in sorted(by_category.items()):
        uses = [
            PurposeUse(
                purpose,
                policy.bases(purpose).for_country(country),
                standing[purpose].decision if purpose in standing else None,
            )
            for purpose, rule in policy.purposes.items()
            if rule.uses(category) and record_withheld_reason(purpose, category) is None
        ]
        sections.append(CategorySection(category, items, uses))
    return sections


def _holdings(conn: Connection, subject_pk: int) -> list[Holding]:
    h = lineage.held()
    held = (
        select(h.c.snapshot_id, func.count().label("n"))
        .where(h.c.subject_pk == subject_pk)
        .group_by(h.c.snapshot_id)
        .subquery()
    )
    snapshots = conn.execute(
        select(Snapshot.id, Snapshot.purpose, Snapshot.created_at, Snapshot.path, held.c.n)
        .join(held, held.c.snapshot_id == Snapshot.id)
        .order_by(Snapshot.created_at)
    ).all()
    stale: dict[str, dict[str, int]] = {}
    query = (
        select(StaleSample.snapshot_id, StaleSample.reason, func.count())
        .join(
            h,
            (h.c.snapshot_id == StaleSample.snapshot_id) & (h.c.sample_id == StaleSample.sample_id),
        )
        .where(h.c.subject_pk == subject_pk)
        .group_by(StaleSample.snapshot_id, StaleSample.reason)
    )
    for snapshot_id, reason, n in conn.execute(query):
        stale.setdefault(snapshot_id, {})[reason] = int(n)
    models: dict[str, list[str]] = {}
    ids = [row.id for row in snapshots]
    for snapshot_id, name in conn.execute(
        select(ModelSnapshot.snapshot_id, ModelSnapshot.model_name)
        .where(ModelSnapshot.snapshot_id.in_(ids))
        .order_by(ModelSnapshot.model_name)
    ):
        models.setdefault(snapshot_id, []).append(name)
    return [
        Holding(
            row.id,
            row.purpose,
            row.created_at,
            row.path,
            int(row.n),
            stale.get(row.id, {}),
            models.get(row.id, []),
        )
        for row in snapshots
    ]


def _events(conn: Connection, pseudonym: str, snapshot_ids: list[str]) -> list[Event]:
    a = AuditEvent.__table__
    named = select(AuditSubject.audit_seq).where(AuditSubject.subject_pseudonym == pseudonym)
    built = select(Snapshot.audit_seq).where(Snapshot.id.in_(snapshot_ids))
    query = (
        select(a.c.seq, a.c.at, a.c.caller, a.c.action, a.c.purpose, a.c.records)
        .where(or_(a.c.seq.in_(named), a.c.seq.in_(built)))
        .order_by(a.c.seq)
    )
    return [
        Event(int(r.seq), r.at, r.caller, r.action, r.purpose, int(r.records))
        for r in conn.execute(query)
    ]


def _recipients(
    policy: Policy, holdings: list[Holding], events: list[Event]
) -> list[dict[str, Any]]:
    """Who received the member's data: named receivers of purposes that used it, and callers
    of sharing actions (such as employers who found the member)."""
    found: list[dict[str, Any]] = []
    for purpose in sorted({h.purpose for h in holdings}):
        for recipient in policy.purposes[purpose].recipients if purpose in policy.purposes else []:
            found.append(
                {
                    "name": recipient.name,
                    "purpose": purpose,
                    "receives": recipient.receives,
                    "at": None,
                }
            )
    for event in events:
        if event.action in SHARING_ACTIONS:
            found.append(
                {
                    "name": event.caller,
                    "purpose": SHARING_ACTIONS[event.action],
                    "receives": "candidate_matches",
                    "at": event.at,
                }
            )
    return found


def label_of(key: str, lang: str) -> str:
    """The label of a taxonomy key in ``lang``, or the key."""
    term = TERMS.get(key)
    return term.label_de if term and lang == "de" else (term.label_en if term else key)


def report_dict(report: Report) -> dict[str, Any]:
    """The report as plain data (``--json`` and the export)."""
    return {
        "subject": {"id": report.subject_id, "handle": report.handle},
        "generated_at": report.generated_at,
        "policy": report.policy_digest,
        "records": report.record_count,
        "profile": [
            {"field": f.name, "category": f.category, "value": f.value} for f in report.profile
        ],
        "categories": [
            {
                "category": c.category,
                "label": label_of(c.category, "en"),
                "count": len(c.items),
                "purposes": [
                    {
                        "purpose": u.purpose,
                        "legal_basis": u.basis.value,
                        "your_decision": u.decision.value if u.decision else None,
                    }
                    for u in c.uses
                ],
                "items": [record_dict(item) for item in c.items],
            }
            for c in report.categories
        ],
        "consents": [
            {
                "seq": e.seq,
                "purpose": e.purpose,
                "decision": e.decision.value,
                "at": e.at,
                "notice_version": e.notice_version,
                "channel": e.channel,
            }
            for e in report.consents
        ],
        "snapshots": [
            {
                "snapshot_id": h.snapshot_id,
                "purpose": h.purpose,
                "created_at": h.created_at,
                "samples": h.samples,
                "stale": h.stale,
                "models": h.models,
            }
            for h in report.snapshots
        ],
        "audit_events": [
            {
                "seq": e.seq,
                "at": e.at,
                "caller": e.caller,
                "action": e.action,
                "purpose": e.purpose,
                "records": e.records,
            }
            for e in report.events
        ],
        "recipients": report.recipients,
    }


def record_dict(record: StoredRecord) -> dict[str, Any]:
    """One record as plain data."""
    return {
        "source": record.source,
        "id": record.source_id,
        "kind": record.kind,
        "text": record.text,
        "data": record.data,
        "lang": record.lang,
        "created_at": record.created_at,
    }
