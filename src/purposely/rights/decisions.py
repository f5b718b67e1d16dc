"""A member's decision about a purpose, recorded now: appended to the consent ledger, then
carried to the snapshots that hold the member's samples (``purposely consent`` and the
privacy center both record decisions this way; the REST API batches them, see
``purposely.api.decisions``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from purposely.consent import ConsentDecision, Decision, append
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.subjects import SubjectRef, find_subject


@dataclass(frozen=True)
class Recorded:
    """What recording a decision did: the subject, its ledger entry, the decision as
    appended, and the snapshots that went stale (per snapshot, samples per reason)."""

    subject: SubjectRef
    seq: int
    decision: ConsentDecision
    stale: dict[str, dict[str, int]]


def record_decision(
    store: Store,
    policy: Policy,
    subject: str,
    purpose: str,
    decision: Decision,
    *,
    notice_version: str,
    channel: str,
    categories: tuple[str, ...] | None = None,
) -> Recorded:
    """Append ``subject``'s (id or @handle) ``decision`` about ``purpose``, taken now against
    ``notice_version``; then mark stale the snapshots the gate would no longer release."""
    with store.write() as conn:
        ref = find_subject(conn, subject)
        entry = ConsentDecision(
            subject_pseudonym=ref.pseudonym,
            purpose=purpose,
            decision=decision,
            at=datetime.now(UTC),
            notice_version=notice_version,
            channel=channel,
            categories=categories,
        )
        (seq,) = append(conn, policy, [entry])
    from purposely.datasets.staleness import refresh  # pulls in pyarrow: only when deciding

    return Recorded(ref, seq, entry, refresh(store, policy, subject_pks=[ref.pk]))
