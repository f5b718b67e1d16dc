"""Rebuild a stale snapshot without its stale samples, touching only the shards that held them.

Shards without a stale sample are copied byte for byte (and checked against the checksum
they were registered with); the others are read, filtered and written again with the same
settings. The new snapshot names its parent, and shares the lineage rows of the build it
descends from, minus the removed samples (listed, not copied: see ``lineage.held``).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
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
    """What leaves the snapshot: per shard, the sample ids; the reason of each; the legal
    bases they relied on, counted; and their subjects."""

    by_shard: dict[int, set[str]]
    reasons: dict[str, str]
    bases: Counter[str]
    subjects: set[int]


def rebuild(store: Store, policy: Policy, ref: str, out: Path, *, caller: str) -> str:
    """Write a copy of snapshot ``ref`` without its stale samples to ``out``; return its id."""
    staleness.refresh(store, policy)
    with store.read() as conn:
        old = lineage.info(conn, lineage.resolve(conn, ref), with_shards=True)
        removal = _removal(conn, old.id, old.lineage_of)
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
        _register(store, origin, out, counts, shards, digest, removal, caller, old)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)  # files without lineage are no snapshot
        raise
    return new_id


def _removal(conn: Connection, snapshot_id: str, lineage_of: str) -> _Removal:
    h = lineage.held(lineage_of)
    query = (
        select(h.c.shard, h.c.sample_id, StaleSample.reason, h.c.basis, h.c.subject_pk)
        .join(
            StaleSample,
            (StaleSample.snapshot_id == h.c.snapshot_id) & (StaleSample.sample_id == h.c.sample_id),
        )
        .where(h.c.snapshot_id == snapshot_id)
    )
    removal = _Removal({}, {}, Counter(), set())
    for shard, sample_id, reason, basis, subject_pk in conn.execute(query):
        removal.by_shard.setdefault(int(shard), set()).add(sample_id)
        removal.reasons[sample_id] = reason
        removal.bases[basis] += 1
        removal.subjects.add(int(subject_pk))
    return removal


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
    """Every shard of ``source`` into ``folder``, in order: copied, or filtered and written.

    One thread per core: Parquet reading, filtering and zstd writing run outside the GIL.
    """
    with ThreadPoolExecutor(os.cpu_count() or 1, thread_name_prefix="shards") as pool:
        done = list(
            pool.map(
                lambda shard: _write_shard(source, folder, shard, removal.by_shard.get(shard[0])),
                enumerate(shards),
            )
        )
    removed_langs: Counter[str] = Counter()
    for _, langs in done:
        removed_langs.update(langs)
    return [written for written, _ in done], removed_langs


def _write_shard(
    source: Path,
    folder: Path,
    shard: tuple[int, tuple[str, str, int, int]],
    drop: set[str] | None,
) -> tuple[ShardFile, Counter[str]]:
    """One shard copied (nothing to drop), or written without the samples ``drop`` names;
    and the languages of those samples."""
    _, (name, sha256, _rows, _bytes) = shard
    if not drop:
        return copy_shard(source, folder, name, sha256), Counter()
    table = read_shard(source, name)
    leaving = pc.is_in(table.column("sample_id"), value_set=pa.array(sorted(drop)))
    langs = Counter(lang or "unknown" for lang in table.filter(leaving).column("lang").to_pylist())
    return write_shard(folder, name, table.filter(pc.invert(leaving))), langs


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
    parent: lineage.SnapshotInfo,
) -> None:
    assert origin.parent is not None
    with store.write() as conn:
        _kept_counts(conn, counts, parent, removal)
        seq = audit.append(
            conn,
            audit.AuditEntry(
                caller=caller,
                action="dataset.rebuild",
                purpose=origin.purpose,
                categories=(),
                subjects=counts["subjects"],
                records=counts["included"],
                withheld=dict(Counter(removal.reasons.values())),
                watermark=origin.watermark,
                details={"snapshot": origin.snapshot_id, "parent": origin.parent},
            ),
        )
        lineage.register(
            conn,
            # Its samples are the parent's as just checked: the next check starts from there.
            lineage.snapshot_row(
                origin,
                out,
                counts,
                digest,
                seq,
                checked=parent.checked,
                lineage_of=parent.lineage_of,
            ),
            [(s.name, s.sha256, s.rows, s.bytes) for s in shards],
        )
        lineage.share_lineage(conn, origin.parent, origin.snapshot_id)


def _kept_counts(
    conn: Connection, counts: dict[str, Any], parent: lineage.SnapshotInfo, removal: _Removal
) -> None:
    """Set the samples' legal bases and subjects counted in ``counts``: the parent's, less
    what was removed (counting a million lineage rows again took a third of a rebuild).
    A parent built before snapshots counted their subjects has them counted in full."""
    by_basis = Counter(parent.counts["by_basis"])
    by_basis.subtract(removal.bases)
    counts["by_basis"] = {basis: n for basis, n in sorted(by_basis.items()) if n > 0}
    if "subjects" not in parent.counts:
        counts["subjects"] = lineage.subject_count(conn, parent.id, without_stale=True)
        return
    remaining = lineage.subjects_holding(conn, parent.id, removal.subjects, without_stale=True)
    counts["subjects"] = parent.counts["subjects"] - len(removal.subjects - remaining)
