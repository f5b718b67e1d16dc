"""Executors: where the per-batch work of a build runs.

Both run the same function over the same Arrow batches and return results in input order,
so a build gives the same samples whichever runs it:

- ``local``: this machine's cores, through a process pool (a forkserver, so workers never
  inherit the parent's database connections or threads);
- ``ray``: a Ray cluster, through Ray Data (``--ray-address``, or a local Ray instance).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import pyarrow as pa

from purposely.errors import PurposelyError

BatchFn = Callable[[pa.RecordBatch], pa.RecordBatch]
ORDINAL = "__ordinal"


class Executor(Protocol):
    """Runs ``fn`` over batches and yields the results in input order."""

    @property
    def name(self) -> str:
        """``local`` or ``ray``: recorded in the manifest."""
        ...

    def map(self, fn: BatchFn, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        """``fn(batch)`` for each batch, in order."""
        ...


@dataclass(frozen=True)
class LocalExecutor:
    """A pool of worker processes on this machine (all cores by default)."""

    workers: int | None = None
    name: str = "local"

    def map(self, fn: BatchFn, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        """Run ``fn`` in the pool; with one worker, inline."""
        workers = self.workers or os.cpu_count() or 1
        if workers == 1:
            yield from map(fn, batches)
            return
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["purposely.datasets.prepare"])
        with context.Pool(workers) as pool:
            # imap keeps input order; a small chunk keeps both cores busy on few batches.
            yield from pool.imap(fn, batches, chunksize=1)


@dataclass(frozen=True)
class RayExecutor:
    """Ray Data on the cluster at ``address`` (a fresh local instance if None)."""

    address: str | None = None
    name: str = "ray"

    def map(self, fn: BatchFn, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        """Ship the batches to Ray, map ``fn`` over them, and yield results in input order."""
        ray = _ray()
        if not ray.is_initialized():
            try:
                ray.init(
                    address=self.address,
                    include_dashboard=False,
                    log_to_driver=False,
                    configure_logging=False,
                )
            except (ConnectionError, RuntimeError, ValueError) as exc:
                where = self.address or "a local instance"
                raise PurposelyError(f"cannot start or reach Ray at {where}: {exc}") from None
        tables = [_numbered(batch, i) for i, batch in enumerate(batches)]
        if not tables:
            return
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        dataset = ray.data.from_arrow(tables).map_batches(
            _keep_ordinal(fn), batch_format="pyarrow", batch_size=None, zero_copy_batch=True
        )
        results = sorted(
            (t for t in dataset.iter_batches(batch_format="pyarrow", batch_size=None)),
            key=lambda t: t.column(ORDINAL)[0].as_py() if t.num_rows else -1,
        )
        for table in results:
            if table.num_rows:
                yield _strip(table)


def _ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:  # pragma: no cover - ray is a declared dependency
        raise PurposelyError("the ray executor needs Ray: pip install 'ray[data]'") from None
    return ray


def _numbered(batch: pa.RecordBatch, index: int) -> pa.Table:
    ordinal = pa.array([index] * batch.num_rows, type=pa.int64())
    return pa.Table.from_batches([batch]).append_column(ORDINAL, ordinal)


def _keep_ordinal(fn: BatchFn) -> Callable[[pa.Table], pa.Table]:
    def run(table: pa.Table) -> pa.Table:
        ordinal = table.column(ORDINAL)
        body = table.drop_columns([ORDINAL]).combine_chunks().to_batches()
        out = fn(body[0]) if body else fn(pa.RecordBatch.from_pylist([], schema=table.schema))
        return pa.Table.from_batches([out]).append_column(ORDINAL, ordinal.combine_chunks())

    return run


def _strip(table: pa.Table) -> pa.RecordBatch:
    body = table.drop_columns([ORDINAL]).combine_chunks()
    return body.to_batches()[0]


def executor_named(
    name: str, *, workers: int | None = None, ray_address: str | None = None
) -> Executor:
    """The executor called ``name`` (``local`` or ``ray``)."""
    if name == "local":
        return LocalExecutor(workers)
    if name == "ray":
        return RayExecutor(ray_address)
    raise PurposelyError(f"unknown executor {name!r}: use local or ray")
