"""A snapshot on disk: Parquet shards, ``manifest.json`` and a dataset card, all or nothing.

Layout (DESIGN.md section 5)::

    OUT/manifest.json             what was built, from what, counts, shards with sha256
    OUT/data/train-*.parquet      sample_id, text, lang, created_at (zstd)
    OUT/README.md                 dataset card with a Hugging Face YAML header

A snapshot is written into a hidden staging folder beside ``OUT`` and renamed into place only
when every file is complete and synced: a build that crashes or is killed leaves no partial
snapshot under the final name. Staging folders of dead builds are removed by the next build.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from purposely import __version__
from purposely.datasets.card import dataset_card
from purposely.errors import PurposelyError

MANIFEST = "manifest.json"
CARD = "README.md"
DATA = "data"

# What every shard holds: no subject ids, no handles (DESIGN.md section 5).
SAMPLE_SCHEMA = pa.schema(
    [
        ("sample_id", pa.string()),
        ("text", pa.string()),
        ("lang", pa.string()),
        ("created_at", pa.timestamp("us", tz="UTC")),
    ]
)
# Fixed writer settings: the same rows always give the same bytes.
_PARQUET = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": ["lang"],
    "write_statistics": True,
    "row_group_size": 65_536,
}


@dataclass(frozen=True)
class ShardFile:
    """A written shard: its name under ``data/``, checksum, rows and size."""

    name: str
    sha256: str
    rows: int
    bytes: int


def shard_name(index: int, total: int) -> str:
    """The Hugging Face style name of shard ``index`` of ``total``."""
    return f"train-{index:05d}-of-{total:05d}.parquet"


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_shard(folder: Path, name: str, table: pa.Table) -> ShardFile:
    """Write ``table`` (in :data:`SAMPLE_SCHEMA`) as ``folder/data/name``."""
    path = folder / DATA / name
    path.parent.mkdir(exist_ok=True)
    pq.write_table(table.cast(SAMPLE_SCHEMA), path, **_PARQUET)
    return ShardFile(name, sha256_of(path), table.num_rows, path.stat().st_size)


def copy_shard(source: Path, folder: Path, name: str, expected_sha256: str) -> ShardFile:
    """Copy a shard unchanged, checking it still has the checksum it was registered with."""
    target = folder / DATA / name
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(source / DATA / name, target)
    found = sha256_of(target)
    if found != expected_sha256:
        raise PurposelyError(
            f"{source / DATA / name}: checksum {found[:12]} differs from the registered "
            f"{expected_sha256[:12]}: the snapshot was changed after it was built"
        )
    return ShardFile(name, found, pq.ParquetFile(target).metadata.num_rows, target.stat().st_size)


def read_shard(folder: Path, name: str) -> pa.Table:
    """A shard's rows."""
    return pq.read_table(folder / DATA / name, schema=SAMPLE_SCHEMA)


@dataclass(frozen=True)
class Provenance:
    """What a snapshot was built for and from."""

    snapshot_id: str
    purpose: str
    policy_digest: str
    watermark: int
    as_of: date
    created_at: datetime
    executor: str
    parent: str | None
    preparation: dict[str, Any]


def make_manifest(
    origin: Provenance, counts: dict[str, Any], shards: list[ShardFile]
) -> dict[str, Any]:
    """The content of ``manifest.json``."""
    return {
        "snapshot_id": origin.snapshot_id,
        "purpose": origin.purpose,
        "policy_digest": origin.policy_digest,
        "watermark": origin.watermark,
        "as_of": origin.as_of.isoformat(),
        "created_at": origin.created_at.isoformat(),
        "tool": {"name": "purposely", "version": __version__},
        "executor": origin.executor,
        "parent": origin.parent,
        "preparation": origin.preparation,
        "counts": counts,
        "columns": [field.name for field in SAMPLE_SCHEMA],
        "shards": [
            {"path": f"{DATA}/{s.name}", "sha256": s.sha256, "rows": s.rows, "bytes": s.bytes}
            for s in shards
        ],
    }


def write_snapshot_files(folder: Path, manifest: dict[str, Any]) -> str:
    """Write ``manifest.json`` and the dataset card into ``folder``; return the manifest hash."""
    digest = write_json(folder / MANIFEST, manifest)
    (folder / CARD).write_text(dataset_card(manifest), encoding="utf-8")
    return digest


def write_json(path: Path, data: dict[str, Any]) -> str:
    """Write ``data`` as stable, indented JSON; return its sha256."""
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    path.write_text(text, encoding="utf-8")
    return hashlib.sha256(text.encode()).hexdigest()


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of the snapshot in ``folder``."""
    try:
        data: dict[str, Any] = json.loads((folder / MANIFEST).read_text("utf-8"))
    except FileNotFoundError:
        raise PurposelyError(f"{folder}: no {MANIFEST} here: not a snapshot folder") from None
    return data


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A fresh staging folder beside ``out``, renamed to ``out`` when the block succeeds.

    ``out`` must not exist, or be an empty folder. On an error the staging folder is removed
    and ``out`` is left as it was.
    """
    out = out.absolute()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise PurposelyError(f"{out} already exists and is not empty: choose a new --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_dead_stagings(out)
    folder = out.parent / f".{out.name}.partial-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    try:
        yield folder
        _sync_tree(folder)
        if out.exists():
            out.rmdir()
        folder.rename(out)
        _sync_dir(out.parent)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _remove_dead_stagings(out: Path) -> None:
    """Remove staging folders for ``out`` whose build process is gone (killed, crashed)."""
    for candidate in out.parent.glob(f".{out.name}.partial-*"):
        pid = candidate.name.rsplit("partial-", 1)[1].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(candidate, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    for path in [folder, *[p for p in folder.rglob("*") if p.is_dir()]]:
        _sync_dir(path)


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
