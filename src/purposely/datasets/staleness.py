"""Propagation: when the gate would no longer release a sample, its snapshot goes stale.

A member withdraws or objects, a post is deleted or turned private, a subject is erased:
each snapshot holding an affected sample is marked stale, with the reason per sample. The
reasons come from the gate itself (:meth:`purposely.gate.Gate.recheck`), asked again about
the snapshot's samples with today's policy, ledger and data, so propagation can never
disagree with what a new build would release.

A full re-check of a million samples took most of a rebuild, so each snapshot remembers what
its last check saw (:class:`~purposely.datasets.lineage.Checkpoint`) and the next one asks
the gate only about the samples of subjects that changed since: with consent ledger entries
after the checked watermark, or with a change in ``change_log``, where database triggers
note every record deleted or moved to another category, kind or subject, whoever writes it,
and the importers' writer every change of a subject's country or age. Changes stamped up to
``LAG`` before the last check are looked at again, for transactions that began before it and
committed after. A snapshot never checked, or checked under another policy, is checked in full.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, delete, exists, func, select, union, update

from purposely.consent.ledger import watermark as ledger_head
from purposely.datasets.lineage import Checkpoint, held, sample_ids
from purposely.gate import Gate
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.bulk import many_keys, upsert_columns
from purposely.store.models import (
    ChangeLog,
    ConsentEvent,
    Sample,
    Snapshot,
    StaleSample,
    Subject,
)

# How far before a snapshot's last check logged changes are looked at again: a change is
# stamped when its transaction began, and may commit (and become visible) only later.
LAG = timedelta(minutes=15)
# Logged changes older than this before the oldest last check are deleted: no check reads
# them again (a build checkpoints at its start, so this also covers builds under a day).
KEEP_CHANGES = timedelta(days=1)


def refresh(
    store: Store,
    policy: Policy,
    *,
    subject_pks: Collection[int] | None = None,
    since: datetime | None = None,
) -> dict[str, dict[str, int]]:
    """Re-check the samples of every snapshot that may have changed (of ``subject_pks``
    only, if given: then the snapshots' checkpoints stay where they are).

    ``since``: changes logged from then on are looked at too, whenever the snapshots were
    last checked. An import passes its start: its changes are stamped while its transaction
    runs, which may be longer than ``LAG`` before a check made meanwhile.

    Returns the samples newly found stale, per snapshot and reason.
    """
    with store.read() as conn:
        snapshots = list(conn.execute(select(Snapshot.__table__)).mappings())
        if not snapshots or (subject_pks is not None and not _holds_any(conn, subject_pks)):
            return {}
        # Read before checking: whatever changes during the check is seen by the next one.
        now = Checkpoint(ledger_head(conn), datetime.now(UTC), policy.digest)
    gate = Gate(store, policy)
    found: dict[str, dict[str, int]] = {}
    for snapshot in snapshots:
        subjects = (
            list(subject_pks)
            if subject_pks is not None
            else _changed_subjects(store, snapshot, now, since)
        )
        if subjects == []:
            continue
        scope = _fresh_samples(snapshot["id"], snapshot["lineage_of"], subjects)
        withheld = gate.recheck(snapshot["purpose"], scope, subjects=subjects)
        if withheld:
            _mark(store, snapshot["id"], snapshot["purpose"], withheld)
            per_reason: dict[str, int] = {}
            for reason in withheld.values():
                per_reason[reason] = per_reason.get(reason, 0) + 1
            found[snapshot["id"]] = per_reason
    if subject_pks is None:
        _advance(store, [s["id"] for s in snapshots], now)
    return found


def _holds_any(conn: Connection, subject_pks: Collection[int]) -> bool:
    held_by_any = Sample.subject_pk.in_(many_keys(subject_pks))
    return conn.execute(select(Sample.subject_pk).where(held_by_any).limit(1)).first() is not None


def _changed_subjects(
    store: Store, snapshot: Any, now: Checkpoint, since: datetime | None
) -> list[int] | None:
    """The subjects whose samples may have changed since the snapshot's last check (or
    logged a change since ``since``): their pks; None when all must be checked.

    Read into a list first, not joined into the re-check as a query: a list of values is
    estimated from the lineage's statistics, so PostgreSQL looks the few members up
    through the index on members; joined, it guessed a third of all samples and read
    every one of them with its record (a rebuild's re-check took 3x as long).
    """
    last = Checkpoint.of(snapshot)
    if last is None or last.policy_digest != now.policy_digest:
        return None
    logged_since = last.at - LAG if since is None else min(last.at - LAG, since)
    ledger = (
        select(Subject.pk)
        .join(ConsentEvent, ConsentEvent.subject_pseudonym == Subject.pseudonym)
        .where(ConsentEvent.seq > last.watermark)
    )
    logged = select(ChangeLog.subject_pk).where(ChangeLog.changed_at >= logged_since)
    changed = union(ledger, logged).subquery("changed")
    with store.read() as conn:
        return sorted(int(pk) for pk in conn.scalars(select(*changed.c)))


def _fresh_samples(
    snapshot_id: str, lineage_of: str, subjects: Select[Any] | list[int] | None
) -> Select[Any]:
    """The record pks of a snapshot's samples not yet known to be stale (of ``subjects``
    only, if given: subject pks, or a query of them). ``lineage_of``: the snapshot's."""
    h = held(lineage_of)
    known = exists().where(
        StaleSample.snapshot_id == h.c.snapshot_id, StaleSample.sample_id == h.c.sample_id
    )
    query = select(h.c.record_pk).where(h.c.snapshot_id == snapshot_id, ~known)
    if subjects is not None:
        listed = subjects if isinstance(subjects, Select) else many_keys(subjects)
        query = query.where(h.c.subject_pk.in_(listed))
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


def _advance(store: Store, snapshot_ids: list[str], now: Checkpoint) -> None:
    """Record ``now`` as the snapshots' last check; forget changes no check will need.

    Snapshots never checked are checked in full and need no log."""
    with store.write() as conn:
        conn.execute(update(Snapshot).where(Snapshot.id.in_(snapshot_ids)).values(**now.columns()))
        oldest = conn.scalar(select(func.min(Snapshot.checked_at))) or now.at
        conn.execute(delete(ChangeLog).where(ChangeLog.changed_at < oldest - KEEP_CHANGES))
