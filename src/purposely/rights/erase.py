"""Erasure (GDPR Art. 17): every personal record of a subject goes, and stays gone.

What is deleted: the subject row and all their records. What stays, as the law requires proof
of what was decided: the consent ledger and the audit log, which name the subject only by a
keyed pseudonym that nothing resolves once the subject row is gone. What is added: tombstones
(keyed hashes of the subject id and of every record id) so a later import of the same data
is skipped and says so, and ``erased`` marks on every sample the subject had in a snapshot,
so those snapshots turn stale and the models trained on them show as needing retraining.
Everything happens in one transaction, for one subject or a thousand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, exists, func, insert, literal, select

from purposely import audit
from purposely.consent.ledger import watermark
from purposely.datasets import lineage, registry
from purposely.rights import tombstones
from purposely.store import Store
from purposely.store.models import Record, StaleSample, Subject
from purposely.store.subjects import SubjectRef, find_subjects

ACTION = "subject.erase"
_CHUNK = 1_000


@dataclass(frozen=True)
class Erasure:
    """What an erasure removed, and what it reached."""

    subjects: tuple[str, ...]
    records: dict[str, int]
    snapshots: dict[str, int]
    models: tuple[str, ...]
    audit_seq: int

    @property
    def record_count(self) -> int:
        """Records deleted."""
        return sum(self.records.values())


def erase(store: Store, refs: Sequence[str], *, caller: str) -> Erasure:
    """Erase the subjects named by ``refs`` (ids or ``@handles``), all in one transaction."""
    with store.write() as conn:
        subjects = list({s.pk: s for s in find_subjects(conn, refs)}.values())
        pks = [s.pk for s in subjects]
        records = _records_by_category(conn, pks)
        _bury(conn, store.secret, subjects)
        snapshots = _mark_samples(conn, pks)
        for chunk in _chunks(pks):
            conn.execute(delete(Record).where(Record.subject_pk.in_(chunk)))
            conn.execute(delete(Subject).where(Subject.pk.in_(chunk)))
        models = tuple(registry.trained_on(conn, sorted(snapshots)))
        seq = audit.append(
            conn,
            audit.AuditEntry(
                caller=caller,
                action=ACTION,
                purpose="-",
                categories=tuple(sorted(records)),
                subjects=len(subjects),
                records=sum(records.values()),
                withheld={},
                watermark=watermark(conn),
                details={"snapshots": sorted(snapshots), "models": list(models)},
                subjects_named=tuple(s.pseudonym for s in subjects),
            ),
        )
    return Erasure(
        subjects=tuple(s.id for s in subjects),
        records=dict(sorted(records.items())),
        snapshots=dict(sorted(snapshots.items())),
        models=models,
        audit_seq=seq,
    )


def _chunks(values: Sequence[int]) -> list[list[int]]:
    return [list(values[i : i + _CHUNK]) for i in range(0, len(values), _CHUNK)]


def _records_by_category(conn: Connection, pks: Sequence[int]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for chunk in _chunks(pks):
        query = (
            select(Record.category, func.count())
            .where(Record.subject_pk.in_(chunk))
            .group_by(Record.category)
        )
        counts.update({category: int(n) for category, n in conn.execute(query)})
    return counts


def _bury(conn: Connection, secret: bytes, subjects: Sequence[SubjectRef]) -> None:
    """Tombstones for the subjects' ids and for every record they have."""
    keys = [(tombstones.subject_key(secret, s.id), tombstones.SUBJECT) for s in subjects]
    tombstones.bury(conn, keys)
    for chunk in _chunks([s.pk for s in subjects]):
        query = select(Record.source, Record.source_id).where(Record.subject_pk.in_(chunk))
        for rows in conn.execute(query).partitions(10_000):
            tombstones.bury(
                conn,
                [(tombstones.record_key(secret, src, sid), tombstones.RECORD) for src, sid in rows],
            )


def _mark_samples(conn: Connection, pks: Sequence[int]) -> dict[str, int]:
    """Mark the subjects' samples ``erased``; return how many, per snapshot."""
    marked: Counter[str] = Counter()
    now = datetime.now(UTC)
    h = lineage.held()
    for chunk in _chunks(pks):
        already = exists().where(
            StaleSample.snapshot_id == h.c.snapshot_id,
            StaleSample.sample_id == h.c.sample_id,
        )
        fresh = (
            select(h.c.snapshot_id, h.c.sample_id)
            .where(h.c.subject_pk.in_(chunk), ~already)
            .subquery()
        )
        counted = select(fresh.c.snapshot_id, func.count()).group_by(fresh.c.snapshot_id)
        for snapshot_id, n in conn.execute(counted):
            marked[snapshot_id] += int(n)
        stamp = literal(now, StaleSample.__table__.c.detected_at.type)
        picked = select(h.c.snapshot_id, h.c.sample_id, literal("erased"), stamp).where(
            h.c.subject_pk.in_(chunk), ~already
        )
        conn.execute(
            insert(StaleSample).from_select(
                ["snapshot_id", "sample_id", "reason", "detected_at"], picked
            )
        )
    return dict(marked)
