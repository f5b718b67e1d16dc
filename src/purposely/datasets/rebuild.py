"""Rebuild a stale snapshot without its stale samples, touching only the shards that held them.

Shards without a stale sample are copied byte for byte (and checked against the checksum
they were registered with); the others are read, filtered and written again with the same
settings. The new snapshot names its parent, and shares the lineage rows of the build it
descends from, minus the removed samples (listed, not copied: see ``lineage.held``).
"""

from __future__ import annotations

import shutil
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, select

from purposely import audit
from purposely.consent.ledger import watermark as ledger_head
from purposely.datasets import lineage, staleness
from purposely.datasets.snapshot import (
    MANIFEST,
    Provenance,
    ShardFile,
    copy_shard,
    make_manifest,
    read_manifest,
    read_shard,
    sha256_of,
    staging,
    write_shard,
    write_snapshot_files,
)
from purposely.errors import PurposelyError
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.models import StaleSample


@dataclass(frozen=True)
class _Removal:
    """What leaves the snapshot: per shard, the sample ids; and the reason of each."""

    by_shard: dict[int, set[str]]
    reasons: dict[str, str]


def rebuild(store: Store, policy: Policy, ref: str, out: Path, *, caller: str) -> str:
    """Write a copy of snapshot ``ref`` without its stale samples to ``out``; return its id."""
    staleness.refresh(store, policy)
    with store.read() as conn:
        old = lineage.info(conn, lineage.resolve(conn, ref), with_shards=True)
        removal = _removal(conn, old.id)
    source = Path(old.path)
    _check_source(source, old.manifest_sha256)
    parent_manifest = read_manifest(source)
    new_id = uuid.uuid4().hex
    with store.read() as conn:
        head = ledger_head(conn)
    origin = Provenance(
        snapshot_id=new_id,
        purpose=old.purpose,
        policy_digest=policy.digest,
        watermark=head,
        as_of=datetime.now(UTC).date(),
        created_at=datetime.now(UTC),
        executor="rebuild",
        parent=old.id,
        preparation=parent_manifest.get("preparation", {}),
    )
    with staging(out) as folder:
        shards, removed_langs = _write_shards(source, folder, old.shards, removal)
        counts = _counts(old.counts, removal, removed_langs)
        manifest = make_manifest(origin, counts, shards)
        digest = write_snapshot_files(folder, manifest)
    try:
        _register(store, origin, out, counts, shards, digest, removal, caller, old.lineage_of)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)  # files without lineage are no snapshot
        raise
    return new_id


def _removal(conn: Connection, snapshot_id: str) -> _Removal:
    h = lineage.held()
    query = (
        select(h.c.shard, h.c.sample_id, StaleSample.reason)
        .join(
            StaleSample,
            (StaleSample.snapshot_id == h.c.snapshot_id) & (StaleSample.sample_id == h.c.sample_id),
        )
        .where(h.c.snapshot_id == snapshot_id)
    )
    by_shard: dict[int, set[str]] = {}
    reasons: dict[str, str] = {}
    for shard, sample_id, reason in conn.execute(query):
        by_shard.setdefault(int(shard), set()).add(sample_id)
        reasons[sample_id] = reason
    return _Removal(by_shard, reasons)


def _check_source(source: Path, manifest_sha256: str) -> None:
    if not (source / MANIFEST).is_file():
        raise PurposelyError(
            f"the snapshot's files are gone from {source}: a rebuild copies its shards"
        )
    if sha256_of(source / MANIFEST) != manifest_sha256:
        raise PurposelyError(f"{source / MANIFEST} was changed after the snapshot was built")


def _write_shards(
    source: Path,
    folder: Path,
    shards: tuple[tuple[str, str, int, int], ...],
    removal: _Removal,
) -> tuple[list[ShardFile], Counter[str]]:
    written: list[ShardFile] = []
    removed_langs: Counter[str] = Counter()
    for index, (name, sha256, _rows, _bytes) in enumerate(shards):
        drop = removal.by_shard.get(index)
        if not drop:
            written.append(copy_shard(source, folder, name, sha256))
            continue
        table = read_shard(source, name)
        leaving = pc.is_in(table.column("sample_id"), value_set=pa.array(sorted(drop)))
        for lang in table.filter(leaving).column("lang").to_pylist():
            removed_langs[lang or "unknown"] += 1
        written.append(write_shard(folder, name, table.filter(pc.invert(leaving))))
    return written, removed_langs


def _counts(old: dict[str, Any], removal: _Removal, removed_langs: Counter[str]) -> dict[str, Any]:
    counts = {**old, "excluded": dict(old.get("excluded", {}))}
    counts["included"] = old["included"] - len(removal.reasons)
    for reason in removal.reasons.values():
        counts["excluded"][reason] = counts["excluded"].get(reason, 0) + 1
    languages = Counter(old.get("languages", {}))
    languages.subtract(removed_langs)
    counts["languages"] = {lang: n for lang, n in sorted(languages.items()) if n > 0}
    return counts


def _register(
    store: Store,
    origin: Provenance,
    out: Path,
    counts: dict[str, Any],
    shards: list[ShardFile],
    digest: str,
    removal: _Removal,
    caller: str,
    lineage_of: str,
) -> None:
    assert origin.parent is not None
    with store.write() as conn:
        counts["by_basis"] = lineage.basis_counts(conn, origin.parent, without_stale=True)
        seq = audit.append(
            conn,
            audit.AuditEntry(
                caller=caller,
                action="dataset.rebuild",
                purpose=origin.purpose,
                categories=(),
                subjects=lineage.subject_count(conn, origin.parent, without_stale=True),
                records=counts["included"],
                withheld=dict(Counter(removal.reasons.values())),
                watermark=origin.watermark,
                details={"snapshot": origin.snapshot_id, "parent": origin.parent},
            ),
        )
        lineage.register(
            conn,
            lineage.snapshot_row(origin, out, counts, digest, seq, lineage_of=lineage_of),
            [(s.name, s.sha256, s.rows, s.bytes) for s in shards],
        )
        lineage.share_lineage(conn, origin.parent, origin.snapshot_id)
