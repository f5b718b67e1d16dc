"""Propagation: when the gate would no longer release a sample, its snapshot goes stale.

A member withdraws or objects, a post is deleted or turned private, a subject is erased:
each snapshot holding an affected sample is marked stale, with the reason per sample. The
reasons come from the gate itself (:meth:`purposely.gate.Gate.recheck`), asked again about
the snapshot's samples with today's policy, ledger and data, so propagation can never
disagree with what a new build would release.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Select, exists, select

from purposely.datasets.lineage import held, sample_ids
from purposely.gate import Gate
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.bulk import upsert_columns
from purposely.store.models import Sample, Snapshot, StaleSample


def refresh(
    store: Store, policy: Policy, *, subject_pks: Collection[int] | None = None
) -> dict[str, dict[str, int]]:
    """Re-check the samples of every snapshot (of ``subject_pks`` only, if given).

    Returns the samples newly found stale, per snapshot and reason.
    """
    with store.read() as conn:
        snapshots = list(conn.execute(select(Snapshot.id, Snapshot.purpose)))
        if not snapshots or (subject_pks is not None and not _holds_any(conn, subject_pks)):
            return {}
    gate = Gate(store, policy)
    found: dict[str, dict[str, int]] = {}
    for snapshot_id, purpose in snapshots:
        withheld = gate.recheck(purpose, _fresh_samples(snapshot_id, subject_pks))
        if withheld:
            _mark(store, snapshot_id, purpose, withheld)
            per_reason: dict[str, int] = {}
            for reason in withheld.values():
                per_reason[reason] = per_reason.get(reason, 0) + 1
            found[snapshot_id] = per_reason
    return found


def _holds_any(conn: Connection, subject_pks: Collection[int]) -> bool:
    query = select(Sample.subject_pk).where(Sample.subject_pk.in_(list(subject_pks))).limit(1)
    return conn.execute(query).first() is not None


def _fresh_samples(snapshot_id: str, subject_pks: Collection[int] | None) -> Select[Any]:
    """The record pks of a snapshot's samples not yet known to be stale."""
    h = held()
    known = exists().where(
        StaleSample.snapshot_id == h.c.snapshot_id, StaleSample.sample_id == h.c.sample_id
    )
    query = select(h.c.record_pk).where(h.c.snapshot_id == snapshot_id, ~known)
    if subject_pks is not None:
        query = query.where(h.c.subject_pk.in_(list(subject_pks)))
    return query


def _mark(store: Store, snapshot_id: str, purpose: str, withheld: dict[int, str]) -> None:
    pks = list(withheld)
    ids = sample_ids(store.secret, purpose, pks)
    columns: dict[str, Sequence[Any]] = {
        "snapshot_id": [snapshot_id] * len(pks),
        "sample_id": ids,
        "reason": [withheld[pk] for pk in pks],
        "detected_at": [datetime.now(UTC)] * len(pks),
    }
    with store.write() as conn:  # a concurrent refresh may have marked some: keep theirs
        upsert_columns(
            conn,
            StaleSample.__table__,  # type: ignore[arg-type]
            columns,
            keys=["snapshot_id", "sample_id"],
            update=[],
        )
