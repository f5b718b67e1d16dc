"""Snapshots and their lineage in the store: sample -> record -> subject -> basis and consent.

The lineage never leaves the store: shards carry only an opaque ``sample_id``, a keyed hash
of the record it came from (so the same record gives the same id in every build of the same
store, and nobody without the installation secret can tell which record it was).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import (
    ColumnElement,
    Connection,
    Subquery,
    Table,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)

from purposely import __version__
from purposely.datasets.snapshot import Provenance
from purposely.errors import PurposelyError
from purposely.store import partitions
from purposely.store.bulk import analyze, insert_new_columns
from purposely.store.models import DroppedSample, Sample, Shard, Snapshot, StaleSample

SAMPLE_ID_BYTES = 12


def sample_ids(secret: bytes, purpose: str, record_pks: Sequence[int]) -> list[str]:
    """The opaque sample id of each record for ``purpose`` (keyed BLAKE2b, 24 hex digits)."""
    key = hashlib.blake2b(secret + purpose.encode(), digest_size=32).digest()
    prefix = hashlib.blake2b(key=key, digest_size=SAMPLE_ID_BYTES)
    ids = []
    for pk in record_pks:
        digest = prefix.copy()
        digest.update(pk.to_bytes(8, "big", signed=True))
        ids.append(digest.hexdigest())
    return ids


@dataclass(frozen=True)
class Checkpoint:
    """What a snapshot's samples were last checked against: the consent ledger's head, the
    time the check began, and the policy (``purposely.datasets.staleness``)."""

    watermark: int
    at: datetime
    policy_digest: str

    @classmethod
    def of(cls, snapshot: Any) -> Checkpoint | None:
        """A ``snapshots`` row's checkpoint; None if it was never checked."""
        if snapshot["checked_at"] is None:
            return None
        return cls(
            snapshot["checked_watermark"], snapshot["checked_at"], snapshot["checked_policy"]
        )

    def columns(self) -> dict[str, Any]:
        """The checkpoint as the ``snapshots`` columns that hold it."""
        return {
            "checked_watermark": self.watermark,
            "checked_at": self.at,
            "checked_policy": self.policy_digest,
        }


@dataclass(frozen=True)
class SnapshotInfo:
    """A snapshot as the store knows it, with its staleness."""

    id: str
    purpose: str
    policy_digest: str
    watermark: int
    as_of: date
    created_at: datetime
    path: str
    executor: str
    tool_version: str
    parent_id: str | None
    lineage_of: str
    counts: dict[str, Any]
    manifest_sha256: str
    audit_seq: int
    stale: dict[str, int]
    shards: tuple[tuple[str, str, int, int], ...] = ()
    checked: Checkpoint | None = None

    @property
    def state(self) -> str:
        """``stale`` if the gate would now withhold any of its samples, else ``ready``."""
        return "stale" if self.stale else "ready"


def snapshot_row(
    origin: Provenance,
    path: Path,
    counts: dict[str, Any],
    manifest_sha256: str,
    audit_seq: int,
    *,
    checked: Checkpoint | None,
    lineage_of: str | None = None,
) -> dict[str, Any]:
    """The ``snapshots`` row of a snapshot written to ``path``; ``checked``: what its samples
    were last checked against (a build's gate question, its parent's last check for a
    rebuild); ``lineage_of`` names the snapshot whose lineage rows it shares (by default,
    its own)."""
    checkpoint = (
        checked.columns()
        if checked is not None
        else dict.fromkeys(("checked_watermark", "checked_at", "checked_policy"))
    )
    return {
        **checkpoint,
        "id": origin.snapshot_id,
        "purpose": origin.purpose,
        "policy_digest": origin.policy_digest,
        "watermark": origin.watermark,
        "as_of": origin.as_of,
        "created_at": origin.created_at,
        "path": str(path.absolute()),
        "executor": origin.executor,
        "tool_version": __version__,
        "parent_id": origin.parent,
        "lineage_of": origin.snapshot_id if lineage_of is None else lineage_of,
        "counts": counts,
        "manifest_sha256": manifest_sha256,
        "audit_seq": audit_seq,
    }


def register(
    conn: Connection,
    snapshot: dict[str, Any],
    shards: Sequence[tuple[str, str, int, int]],
    lineage: pa.Table | None = None,
) -> None:
    """Store a new snapshot, its shards, and (if given) one lineage row per sample, in bulk.

    ``lineage`` has the columns of ``samples`` but ``snapshot_id``.
    """
    conn.execute(insert(Snapshot), [snapshot])
    _add_shards(conn, snapshot["id"], shards)
    if lineage is not None:
        _add_samples(conn, snapshot["id"], lineage)


def complete(
    conn: Connection,
    snapshot_id: str,
    manifest_sha256: str,
    shards: Sequence[tuple[str, str, int, int]],
) -> None:
    """Finish registering a snapshot whose row and lineage went in before its files were
    complete (a build writes both at once): its shards and its manifest's checksum."""
    conn.execute(
        update(Snapshot).where(Snapshot.id == snapshot_id).values(manifest_sha256=manifest_sha256)
    )
    _add_shards(conn, snapshot_id, shards)


def _add_shards(
    conn: Connection, snapshot_id: str, shards: Sequence[tuple[str, str, int, int]]
) -> None:
    if shards:
        conn.execute(
            insert(Shard),
            [
                {"snapshot_id": snapshot_id, "name": n, "sha256": h, "rows": r, "bytes": b}
                for n, h, r, b in shards
            ],
        )


# Lineage rows converted to Python values at a time: a million samples as Python objects
# would take a few hundred MB at once.
_SAMPLE_CHUNK = 100_000


def _add_samples(conn: Connection, snapshot_id: str, lineage: pa.Table) -> None:
    """The lineage rows, through the bulk path, a chunk at a time, then their statistics.

    On PostgreSQL into a partition of the snapshot's own, attached (and so indexed) once
    full (:mod:`purposely.store.partitions`). In sample id order: the primary key (snapshot,
    sample id) then grows at its end instead of at random places, which made the insert of
    a million-post build's lineage about 15% faster on SQLite (bench/build.py). Nothing
    reads samples in insertion order.
    """
    samples: Table = Sample.__table__  # type: ignore[assignment]
    target = samples
    if conn.dialect.name == "postgresql":
        target = partitions.new_partition(conn, samples, snapshot_id)
    lineage = lineage.sort_by("sample_id")
    for start in range(0, lineage.num_rows, _SAMPLE_CHUNK):
        chunk = lineage.slice(start, _SAMPLE_CHUNK)
        columns = {name: chunk.column(name).to_pylist() for name in chunk.column_names}
        columns["snapshot_id"] = [snapshot_id] * chunk.num_rows
        insert_new_columns(conn, target, columns)
    if target is not samples:
        partitions.attach(conn, samples, target, snapshot_id)
    # Only the new partition: analysing the partitioned table samples every partition.
    analyze(conn, target)


# The columns of a sample's lineage, as `held()` gives them besides the snapshot id.
LINEAGE_COLUMNS = ("sample_id", "shard", "record_pk", "subject_pk", "basis", "consent_seq")


def held(lineage_of: str | None = None) -> Subquery:
    """Every sample of every snapshot: ``snapshot_id`` (the snapshot holding it), and the
    lineage columns of ``samples``.

    The one way to read lineage: a rebuilt snapshot has no ``samples`` rows of its own but
    shares those of the build it descends from (``Snapshot.lineage_of``), minus its
    ``dropped_samples``. Filter it by ``snapshot_id`` or ``subject_pk`` as needed.

    ``lineage_of``: only the samples of that build's lineage. A caller that knows it (from
    the snapshot's row) should pass it: PostgreSQL then reads that build's partition alone
    and plans with its statistics, instead of planning for every partition at once.
    """
    s, sn, d = Sample.__table__, Snapshot.__table__, DroppedSample.__table__
    dropped = exists().where(d.c.snapshot_id == sn.c.id, d.c.sample_id == s.c.sample_id)
    query = (
        select(sn.c.id.label("snapshot_id"), *(s.c[c] for c in LINEAGE_COLUMNS))
        .select_from(sn.join(s, s.c.snapshot_id == sn.c.lineage_of))
        .where(~dropped)
    )
    if lineage_of is not None:
        query = query.where(s.c.snapshot_id == lineage_of)
    return query.subquery("held")


def _kept(snapshot_id: str, without_stale: bool) -> tuple[Subquery, ColumnElement[bool]]:
    h = held()
    condition = h.c.snapshot_id == snapshot_id
    if without_stale:
        stale = select(StaleSample.sample_id).where(StaleSample.snapshot_id == snapshot_id)
        condition = condition & h.c.sample_id.not_in(stale)
    return h, condition


def share_lineage(conn: Connection, parent: str, child: str) -> None:
    """Let ``child`` (registered with the parent's ``lineage_of``) hold the parent's samples
    but the parent's stale ones: it drops what the parent dropped, and those."""
    d = DroppedSample.__table__
    before = select(literal(child), d.c.sample_id).where(d.c.snapshot_id == parent)
    stale = select(literal(child), StaleSample.sample_id).where(StaleSample.snapshot_id == parent)
    picked = before.union(stale)
    conn.execute(insert(DroppedSample).from_select(["snapshot_id", "sample_id"], picked))


def subject_count(conn: Connection, snapshot_id: str, *, without_stale: bool) -> int:
    """How many subjects a snapshot's samples come from."""
    h, kept = _kept(snapshot_id, without_stale)
    query = select(func.count(func.distinct(h.c.subject_pk))).where(kept)
    return int(conn.scalar(query) or 0)


def subjects_holding(
    conn: Connection, snapshot_id: str, subject_pks: set[int], *, without_stale: bool
) -> set[int]:
    """Which of ``subject_pks`` still have samples in a snapshot."""
    h, kept = _kept(snapshot_id, without_stale)
    found: set[int] = set()
    pks = sorted(subject_pks)
    for start in range(0, len(pks), _SUBJECT_CHUNK):
        chunk = pks[start : start + _SUBJECT_CHUNK]
        query = select(h.c.subject_pk).where(kept, h.c.subject_pk.in_(chunk)).distinct()
        found.update(int(pk) for pk in conn.scalars(query))
    return found


# Subject pks per IN list: SQLite allows 32,766 bound parameters per statement.
_SUBJECT_CHUNK = 10_000


def resolve(conn: Connection, ref: str) -> str:
    """The full id of the snapshot whose id is or starts with ``ref``."""
    found = list(conn.scalars(select(Snapshot.id).where(Snapshot.id.startswith(ref)).limit(2)))
    if not found:
        raise PurposelyError(f"no snapshot {ref!r}: `purposely dataset list` shows them")
    if len(found) > 1:
        raise PurposelyError(f"{ref!r} names more than one snapshot: give more of its id")
    return found[0]


def info(conn: Connection, snapshot_id: str, *, with_shards: bool = False) -> SnapshotInfo:
    """One snapshot with its stale samples counted by reason."""
    t = Snapshot.__table__
    row = conn.execute(select(t).where(t.c.id == snapshot_id)).mappings().one()
    shards: tuple[tuple[str, str, int, int], ...] = ()
    if with_shards:
        query = select(Shard.name, Shard.sha256, Shard.rows, Shard.bytes).where(
            Shard.snapshot_id == snapshot_id
        )
        shards = tuple(
            (n, h, int(r), int(b)) for n, h, r, b in conn.execute(query.order_by(Shard.name))
        )
    return _info(dict(row), stale_counts(conn, snapshot_id), shards)


def all_snapshots(conn: Connection) -> list[SnapshotInfo]:
    """Every snapshot, newest first, with staleness."""
    t = Snapshot.__table__
    rows = conn.execute(select(t).order_by(t.c.created_at.desc(), t.c.id)).mappings()
    return [_info(dict(row), stale_counts(conn, row["id"]), ()) for row in rows]


def stale_counts(conn: Connection, snapshot_id: str) -> dict[str, int]:
    """Stale samples of a snapshot, counted by reason."""
    query = (
        select(StaleSample.reason, func.count())
        .where(StaleSample.snapshot_id == snapshot_id)
        .group_by(StaleSample.reason)
    )
    return {reason: int(n) for reason, n in conn.execute(query)}


def forget(conn: Connection, snapshot_id: str) -> None:
    """Remove a snapshot's rows (used when its files could not be put in place).

    Refused for a build whose lineage rebuilds share: they would lose theirs.
    """
    sharing = select(Snapshot.id).where(
        Snapshot.lineage_of == snapshot_id, Snapshot.id != snapshot_id
    )
    if conn.execute(sharing.limit(1)).first() is not None:
        raise PurposelyError(f"snapshot {snapshot_id} has rebuilds that share its lineage")
    conn.execute(delete(DroppedSample).where(DroppedSample.snapshot_id == snapshot_id))
    conn.execute(delete(StaleSample).where(StaleSample.snapshot_id == snapshot_id))
    if conn.dialect.name == "postgresql":
        partitions.drop(conn, snapshot_id)
    else:
        conn.execute(delete(Sample).where(Sample.snapshot_id == snapshot_id))
    conn.execute(delete(Shard).where(Shard.snapshot_id == snapshot_id))
    conn.execute(delete(Snapshot).where(Snapshot.id == snapshot_id))


def _info(
    row: dict[str, Any], stale: dict[str, int], shards: tuple[tuple[str, str, int, int], ...]
) -> SnapshotInfo:
    return SnapshotInfo(
        id=row["id"],
        purpose=row["purpose"],
        policy_digest=row["policy_digest"],
        watermark=int(row["watermark"]),
        as_of=row["as_of"],
        created_at=row["created_at"],
        path=row["path"],
        executor=row["executor"],
        tool_version=row["tool_version"],
        parent_id=row["parent_id"],
        lineage_of=row["lineage_of"] or row["id"],
        counts=row["counts"],
        manifest_sha256=row["manifest_sha256"],
        audit_seq=int(row["audit_seq"]),
        stale=stale,
        shards=shards,
        checked=Checkpoint.of(row),
    )
