"""Build a dataset snapshot from what the gate allows.

1. Ask the gate (one audit event) and stream the allowed records as Arrow batches.
2. Prepare each batch on an executor (links, mentions, personal data, sketches).
3. Spill the prepared batches to a scratch file; cluster duplicates over all sketches.
4. Write the kept samples in record order as zstd Parquet shards, then the manifest and the
   dataset card; all inside a staging folder renamed into place at the end.
5. Register the snapshot and its lineage (sample -> record -> subject -> basis, consent).

Memory stays bounded by a few batches, one shard, the sketches (144 bytes per post) and the
lineage (about 60 bytes per sample).

Where the time goes (bench/build.py has the figures): the gate's stream runs on the driver
while the executor's workers prepare (the pool's feeder thread reads the stream, so the two
overlap); what follows the last batch runs on the driver alone. There, the lineage insert
(one row per sample, in the database's own bulk path) is the longest step, so it runs on
the driver's main thread while a second thread writes the shards: Parquet encoding,
compression and hashing release the GIL, and the write transaction that holds the lineage
commits only once the snapshot's files are in place, as before.
"""

from __future__ import annotations

import shutil
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from purposely.datasets import lineage
from purposely.datasets.dedup import Deduplicator
from purposely.datasets.executors import executor_named
from purposely.datasets.minhash import Sketch
from purposely.datasets.prepare import (
    NUM_PERM,
    SHINGLE,
    Settings,
    prepare_batch,
    redaction_field,
)
from purposely.datasets.snapshot import (
    Provenance,
    ShardFile,
    make_manifest,
    shard_name,
    staging,
    write_shard,
    write_snapshot_files,
)
from purposely.errors import PurposelyError
from purposely.gate import Answer, Gate
from purposely.policy import Policy
from purposely.store import Store

SPILL = ".prepared.arrow"
SMALL_BUILD = 20_000


class Progress(Protocol):
    """Told how many records a build will read, then how many it has read so far."""

    def start(self, total: int) -> None:
        """The build will read ``total`` records."""

    def advance(self, records: int) -> None:
        """``records`` more were read."""


@dataclass(frozen=True)
class BuildOptions:
    """How to run a build."""

    executor: str = "local"
    ray_address: str | None = None
    workers: int | None = None
    shard_rows: int = 100_000
    batch_rows: int = 20_000
    watermark: int | None = None


@dataclass
class _Tally:
    """What the build counted on its way."""

    redactions: Counter[str]
    no_text: int = 0


def build(
    store: Store,
    policy: Policy,
    purpose: str,
    out: Path,
    *,
    caller: str,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
) -> str:
    """Build a snapshot for ``purpose`` into ``out``; return its id."""
    options = options or BuildOptions()
    rule = policy.rule(purpose)
    if rule.release != "records":
        raise PurposelyError(
            f"{purpose} releases only differentially private aggregates, never records: "
            "no dataset of samples can be built for it"
        )
    executor = executor_named(
        options.executor, workers=options.workers, ray_address=options.ray_address
    )
    # Workers start (and import what they need) while the gate decides.
    executor.start()
    gate = Gate(store, policy)
    started = datetime.now(UTC)  # later changes to the store are the next check's to find
    answer = gate.ask(purpose, caller=caller, watermark=options.watermark)
    checked = lineage.Checkpoint(answer.watermark, started, policy.digest)
    if progress is not None:
        progress.start(answer.records_allowed)
    settings = Settings.from_policy(rule.preparation)
    origin = Provenance(
        snapshot_id=uuid.uuid4().hex,
        purpose=purpose,
        policy_digest=policy.digest,
        watermark=answer.watermark,
        as_of=answer.as_of,
        created_at=datetime.now(UTC),
        executor=executor.name,
        parent=None,
        preparation=rule.preparation.model_dump(mode="json"),
    )
    # The write transaction opens before the staging folder is renamed into place and
    # commits after: the lineage goes in while the shards are written, and the store never
    # lists a snapshot whose files are not all in place.
    with ExitStack() as transaction:
        with staging(out) as folder:
            spill = folder / SPILL
            batches = _texts(gate.record_batches(answer, batch_size=options.batch_rows), progress)
            tally, sketch = _prepare(
                executor.map(partial(prepare_batch, settings=settings), batches.batches),
                spill,
                settings,
                partial(lineage.sample_ids, store.secret, purpose),
            )
            tally.no_text = batches.skipped
            keep, duplicates = _deduplicate(sketch, rule.preparation.near_duplicates)
            del sketch
            samples = _lineage(spill, keep, options.shard_rows)
            counts = _counts(answer, tally, duplicates, samples)
            conn = transaction.enter_context(store.write())
            with ThreadPoolExecutor(1, thread_name_prefix="shards") as writer:
                written = writer.submit(_write_shards, folder, spill, keep, options)
                # The snapshot row first (the lineage refers to it); its manifest checksum is
                # known only once the shards are written, and set in the same transaction.
                lineage.register(
                    conn,
                    lineage.snapshot_row(
                        origin, out, counts, "", answer.audit_seq, checked=checked
                    ),
                    [],
                    samples.drop_columns(["lang"]),
                )
                shards = written.result()
            spill.unlink()
            digest = write_snapshot_files(folder, make_manifest(origin, counts, shards))
        try:
            files = [(s.name, s.sha256, s.rows, s.bytes) for s in shards]
            lineage.complete(conn, origin.snapshot_id, digest, files)
            transaction.close()  # commits
        except BaseException:
            shutil.rmtree(out, ignore_errors=True)  # files without lineage are no snapshot
            raise
    return origin.snapshot_id


@dataclass
class _TextBatches:
    """The gate's batches with text-less records dropped (and counted)."""

    source: Iterator[pa.RecordBatch]
    progress: Progress | None
    skipped: int = 0

    @property
    def batches(self) -> Iterator[pa.RecordBatch]:
        for batch in self.source:
            has_text = pc.and_(
                pc.is_valid(batch.column("text")),
                pc.greater(pc.utf8_length(batch.column("text")), 0),
            )
            kept = batch.filter(has_text)
            self.skipped += batch.num_rows - kept.num_rows
            if self.progress is not None:
                self.progress.advance(batch.num_rows)
            if kept.num_rows:
                yield kept


def _texts(source: Iterator[pa.RecordBatch], progress: Progress | None) -> _TextBatches:
    return _TextBatches(source, progress)


def _prepare(
    prepared: Iterator[pa.RecordBatch],
    spill: Path,
    settings: Settings,
    sample_ids: Callable[[list[int]], list[str]],
) -> tuple[_Tally, Sketch]:
    """Spill prepared batches (without sketches, with their sample ids) to disk; keep the
    sketches in memory.

    The sample ids are made here, while the workers prepare the next batches, not once the
    duplicates are known, when the build has nothing else to do meanwhile (0.4 s for a
    million-post build); those of duplicates go unused.
    """
    tally = _Tally(Counter())
    exact: list[np.ndarray[Any, Any]] = []
    signatures: list[np.ndarray[Any, Any]] = []
    writer: pa.ipc.RecordBatchFileWriter | None = None
    for batch in prepared:
        exact.append(_fixed(batch.column("exact"), 2, np.uint64))
        signatures.append(_fixed(batch.column("signature"), NUM_PERM, np.uint16))
        for entity in settings.entities:
            tally.redactions[entity] += int(
                pc.sum(batch.column(redaction_field(entity))).as_py() or 0
            )
        body = batch.select(
            ["pk", "subject_pk", "text", "lang", "created_at", "basis", "consent_seq"]
        )
        ids = pa.array(sample_ids(body.column("pk").to_pylist()), pa.string())
        body = body.append_column("sample_id", ids)
        if writer is None:
            writer = pa.ipc.new_file(spill, body.schema)
        writer.write_batch(body)
    if writer is None:
        writer = pa.ipc.new_file(spill, _SPILL_SCHEMA)
    writer.close()
    if not exact:
        return tally, Sketch(np.zeros((0, 2), np.uint64), np.zeros((0, NUM_PERM), np.uint16))
    return tally, Sketch(np.concatenate(exact), np.concatenate(signatures))


_SPILL_SCHEMA = pa.schema(
    [
        ("pk", pa.int64()),
        ("subject_pk", pa.int64()),
        ("text", pa.string()),
        ("lang", pa.string()),
        ("created_at", pa.timestamp("us", tz="UTC")),
        ("basis", pa.string()),
        ("consent_seq", pa.int64()),
        ("sample_id", pa.string()),
    ]
)
_EMPTY_LINEAGE = pa.schema(
    [
        ("sample_id", pa.string()),
        ("shard", pa.int32()),
        ("record_pk", pa.int64()),
        ("subject_pk", pa.int64()),
        ("basis", pa.string()),
        ("consent_seq", pa.int64()),
        ("lang", pa.string()),
    ]
).empty_table()


def _fixed(column: pa.Array, width: int, dtype: type[np.generic]) -> np.ndarray[Any, Any]:
    """A fixed-size binary column as a 2-D numpy array of ``width`` numbers per row."""
    buffer = column.buffers()[1]
    itemsize = np.dtype(dtype).itemsize
    start = column.offset * width * itemsize
    data = np.frombuffer(buffer, dtype=dtype, count=len(column) * width, offset=start)
    return data.reshape(len(column), width).copy()


def _deduplicate(
    sketch: Sketch, threshold: float | None
) -> tuple[np.ndarray[Any, Any], Counter[str]]:
    """Which posts to keep (the first of each group, in record order), and how many
    duplicates of each kind were dropped. Without a threshold, exact duplicates only."""
    n = len(sketch)
    if threshold is None:
        rows = np.ascontiguousarray(sketch.exact).view(np.dtype((np.void, 16))).ravel()
        _, first = np.unique(rows, return_index=True)
        keep = np.zeros(n, dtype=bool)
        keep[first] = True
        return keep, Counter({"duplicate_exact": n - int(keep.sum())})
    found = Deduplicator(threshold=threshold, num_perm=NUM_PERM, shingle=SHINGLE).cluster(
        sketch.signatures, sketch.exact
    )
    counts = found.counts()
    return found.of < 0, Counter(
        {"duplicate_exact": counts["exact"], "duplicate_near": counts["near"]}
    )


def _lineage(spill: Path, keep: np.ndarray[Any, Any], shard_rows: int) -> pa.Table:
    """One row per kept post, in record order: its sample id, shard, record, subject, basis,
    consent and language (the spill's columns but the text, which stays on disk)."""
    columns = ["sample_id", "pk", "subject_pk", "basis", "consent_seq", "lang"]
    with pa.memory_map(str(spill)) as source:
        reader = pa.ipc.open_file(source)
        parts = [reader.get_batch(i).select(columns) for i in range(reader.num_record_batches)]
        schema = pa.schema([_SPILL_SCHEMA.field(name) for name in columns])
        table = pa.Table.from_batches(parts, schema=schema)
        kept = table.filter(pa.array(keep)).combine_chunks()
    if not kept.num_rows:
        return _EMPTY_LINEAGE
    return pa.table(
        {
            "sample_id": kept.column("sample_id"),
            "shard": pa.array(np.arange(kept.num_rows, dtype=np.int64) // shard_rows, pa.int32()),
            "record_pk": kept.column("pk"),
            "subject_pk": kept.column("subject_pk"),
            "basis": kept.column("basis"),
            "consent_seq": kept.column("consent_seq"),
            "lang": kept.column("lang"),
        }
    )


def _write_shards(
    folder: Path, spill: Path, keep: np.ndarray[Any, Any], options: BuildOptions
) -> list[ShardFile]:
    """Write the kept posts, in record order, as shards of ``shard_rows``, with their
    sample ids. Reads the spill batch by batch: one shard's rows are in memory at a time."""
    total = max(1, -(-int(np.count_nonzero(keep)) // options.shard_rows))
    shards: list[ShardFile] = []
    pending: list[pa.Table] = []
    pending_rows = 0
    with pa.memory_map(str(spill)) as source:
        reader = pa.ipc.open_file(source)
        offset = 0
        for index in range(reader.num_record_batches):
            batch = reader.get_batch(index)
            mask = keep[offset : offset + batch.num_rows]
            offset += batch.num_rows
            kept = pa.Table.from_batches([batch.filter(pa.array(mask))])
            while kept.num_rows:
                room = options.shard_rows - pending_rows
                pending.append(kept.slice(0, room))
                pending_rows += min(room, kept.num_rows)
                kept = kept.slice(room)
                if pending_rows == options.shard_rows:
                    shards.append(_write_shard(folder, pending, len(shards), total))
                    pending, pending_rows = [], 0
    if pending_rows or not shards:
        shards.append(_write_shard(folder, pending, len(shards), total))
    return shards


def _write_shard(folder: Path, parts: list[pa.Table], index: int, total: int) -> ShardFile:
    """Write shard ``index`` of ``total`` from ``parts`` (kept rows of the spill)."""
    table = pa.concat_tables(parts) if parts else _SPILL_SCHEMA.empty_table()
    rows = pa.table(
        {
            "sample_id": table.column("sample_id"),
            "text": table.column("text"),
            "lang": table.column("lang"),
            "created_at": table.column("created_at"),
        }
    )
    return write_shard(folder, shard_name(index, total), rows)


def _counts(
    answer: Answer, tally: _Tally, duplicates: Counter[str], kept: pa.Table
) -> dict[str, Any]:
    excluded: Counter[str] = Counter(answer.withheld)
    excluded.update(duplicates)
    excluded["no_text"] += tally.no_text
    prepared_total = kept.num_rows
    return {
        "included": prepared_total,
        "subjects": pc.count_distinct(kept.column("subject_pk")).as_py(),
        "excluded": {reason: n for reason, n in excluded.items() if n},
        "redactions": {entity: n for entity, n in sorted(tally.redactions.items()) if n},
        "by_basis": _histogram(kept.column("basis")),
        "languages": _histogram(pc.fill_null(kept.column("lang"), "unknown")),
    }


def _histogram(column: pa.ChunkedArray) -> dict[str, int]:
    counts = pc.value_counts(column)
    return {str(v["values"]): int(v["counts"]) for v in counts.to_pylist()}
