"""Executors: where the per-batch work of a build runs.

Both run the same function over the same Arrow batches and return results in input order,
so a build gives the same samples whichever runs it:

- ``local``: this machine's cores, through a process pool (a forkserver, so workers never
  inherit the parent's database connections or threads);
- ``ray``: a Ray cluster, through Ray Data (``--ray-address``, or a local Ray instance).

Both read their input on a thread of their own, so the gate's stream (on the driver) runs
while workers prepare or Ray starts (bench/build.py has the figures).
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.forkserver
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pyarrow as pa

from purposely.errors import PurposelyError

BatchFn = Callable[[pa.RecordBatch], pa.RecordBatch]
ORDINAL = "__ordinal"
_PRELOAD = ["purposely.datasets.prepare"]
# Rows per block handed to Ray: consecutive batches travel together (each still goes through
# the function on its own), because every block costs Ray Data a task and an object-store
# round trip; a few blocks per CPU still keep the cores evenly busy at the end.
RAY_BLOCK_ROWS = 50_000
# Blocks per Ray Data run, at most: Ray prepares one window while the gate streams the next.
# Each run costs Ray Data a plan and an executor start (a few tenths of a second); a window
# holds the blocks that have arrived when Ray is ready for it, so Ray starts on the first
# block when the stream is slow, and takes a full window when it is ahead.
RAY_WINDOW_BLOCKS = 4


class Executor(Protocol):
    """Runs ``fn`` over batches and yields the results in input order."""

    @property
    def name(self) -> str:
        """``local`` or ``ray``: recorded in the manifest."""
        ...

    def start(self) -> None:
        """Begin getting workers ready, in the background, before ``map`` is called."""
        ...

    def map(self, fn: BatchFn, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        """``fn(batch)`` for each batch, in order."""
        ...


@dataclass(frozen=True)
class LocalExecutor:
    """A pool of worker processes on this machine (all cores by default)."""

    workers: int | None = None
    name: str = "local"

    def _count(self) -> int:
        return self.workers or os.cpu_count() or 1

    def start(self) -> None:
        """Start the fork server, which imports the preparation code while the gate decides."""
        if self._count() > 1:
            multiprocessing.get_context("forkserver").set_forkserver_preload(_PRELOAD)
            multiprocessing.forkserver.ensure_running()

    def map(self, fn: BatchFn, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        """Run ``fn`` in the pool; with one worker, inline."""
        workers = self._count()
        if workers == 1:
            yield from map(fn, batches)
            return
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        with context.Pool(workers) as pool:
            # imap keeps input order, and its feeder thread pulls the input (the gate's
            # stream) while the workers prepare; a small chunk keeps both cores busy.
            yield from pool.imap(fn, batches, chunksize=1)


@dataclass(frozen=True)
class RayExecutor:
    """Ray Data on the cluster at ``address`` (a fresh local instance if None)."""

    address: str | None = None
    name: str = "ray"
    _starting: list[_RayStart] = field(default_factory=list, compare=False, repr=False)

    def start(self) -> None:
        """Import Ray, join the cluster and warm its workers up, on a thread of its own.

        Not for a local instance: its processes are started with a signal to end them
        when the thread that started them ends (Linux's parent-death signal), so the
        build's own thread starts it, in ``map``.
        """
        if self.address is not None and not self._starting:
            self._starting.append(_RayStart(self.address))

    def map(self, fn: BatchFn, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        """Ship the batches to Ray, map ``fn`` over them, and yield results in input order.

        A thread reads ``batches`` (numbering each) into blocks while Ray starts; the blocks
        go to the object store a window at a time, and Ray Data maps each window while the
        thread reads the next, so the gate's stream and Ray's work overlap, and the store
        (whose pages the driver maps) holds one window's input, not all of it. The results
        stream back in order (Ray Data preserves it) and are cut back into the input's
        batches, so the caller sees exactly what the local executor gives.
        """
        blocks = _Blocks(batches, RAY_BLOCK_ROWS)  # the gate streams while Ray starts
        try:
            ray = self._starting.pop().ready() if self._starting else _start_ray(self.address)
            context = ray.data.DataContext.get_current()
            context.execution_options.preserve_order = True
            # With its reservations on, Ray Data keeps half of a small cluster's CPUs back
            # for operators that this one-stage pipeline does not have, and runs one task at
            # a time.
            context.op_resource_reservation_enabled = False
            _quiet(context)
            results = (
                table
                for window in _windows(blocks, RAY_WINDOW_BLOCKS)
                for table in _run_window(ray, fn, [ray.put(block) for block in window])
            )
            yield from _in_batches(results)
        finally:
            blocks.close()


class _RayStart:
    """Ray imported, the cluster at ``address`` joined and its workers warmed up, on a
    thread of its own: a build starts it before asking the gate, and the workers are then
    ready sooner (bench/build.py). Never for a local instance (``RayExecutor.start``)."""

    def __init__(self, address: str) -> None:
        self._ray: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(address,), name="ray-start", daemon=True
        )
        self._thread.start()

    def _run(self, address: str) -> None:
        try:
            self._ray = _start_ray(address)
        except BaseException as exc:  # raised by ready(), on the build's thread
            self._error = exc

    def ready(self) -> Any:
        """The ``ray`` module, once Ray is ready; raises what starting it raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._ray


def _start_ray(address: str | None) -> Any:
    """Import Ray, join the cluster at ``address`` (or start a local instance) and warm
    its workers up; return the ``ray`` module."""
    ray = _ray()
    _connect(ray, address)
    ray.get(_warm_up(ray))
    return ray


def _connect(ray: Any, address: str | None) -> None:
    """Start a local Ray instance, or join the cluster at ``address``."""
    if ray.is_initialized():
        return
    # Joined from a thread (_RayStart), Ray notes that it set no SIGTERM handler (one that
    # exits Python). Not needed: terminated, a build dies as if killed, which leaves no
    # snapshot behind either (tests/datasets/test_atomic.py).
    logging.getLogger("ray._private.worker").addFilter(_no_sigterm_note)
    try:
        ray.init(
            address=address,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = address or "a local instance"
        raise PurposelyError(f"cannot start or reach Ray at {where}: {exc}") from None


def _quiet(context: Any) -> None:
    """No progress bars or execution notes from Ray Data: the build shows its own progress,
    and a ``--json`` report is the only thing a build prints."""
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # before: turning bars off warns
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    context.enable_auto_log_stats = False


def _windows(blocks: _Blocks, most: int) -> Iterator[list[pa.Table]]:
    """The blocks, in order, in lists of those that have arrived when the next list is
    asked for: at least one (waiting for it), at most ``most``."""
    while window := blocks.take(most):
        yield window


def _run_window(ray: Any, fn: BatchFn, refs: list[Any]) -> Iterator[pa.Table]:
    """``fn`` mapped by Ray Data over one window of blocks in the object store, in order."""
    dataset = ray.data.from_arrow_refs(refs).map_batches(
        _per_batch(fn), batch_format="pyarrow", batch_size=None, zero_copy_batch=True
    )
    del refs
    yield from dataset.iter_batches(batch_format="pyarrow", batch_size=None)


class _Blocks:
    """Numbered input batches joined into blocks of about ``rows`` rows, read ahead by a
    thread of their own (the input is the gate's stream: it runs while Ray starts)."""

    def __init__(self, batches: Iterable[pa.RecordBatch], rows: int) -> None:
        self._queue: queue.Queue[pa.Table | BaseException | None] = queue.Queue()
        self._ended = False  # the end (None) was taken
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._read, args=(iter(batches), rows), name="ray-feed", daemon=True
        )
        self._thread.start()

    def _read(self, batches: Iterator[pa.RecordBatch], rows: int) -> None:
        try:
            pending: list[pa.Table] = []
            count = 0
            for index, batch in enumerate(batches):
                if self._stop.is_set():
                    return
                pending.append(_numbered(batch, index))
                count += batch.num_rows
                if count >= rows:
                    self._queue.put(pa.concat_tables(pending).combine_chunks())
                    pending, count = [], 0
            if pending:
                self._queue.put(pa.concat_tables(pending).combine_chunks())
            self._queue.put(None)
        except BaseException as exc:  # handed to the reading side, raised there
            self._queue.put(exc)

    def take(self, most: int) -> list[pa.Table]:
        """The next blocks, up to ``most``: those already read, or else the next one when
        it is; none once all were taken. Raises what reading raised."""
        window: list[pa.Table] = []
        while len(window) < most and not self._ended:
            try:
                item = self._queue.get(block=not window)
            except queue.Empty:
                break
            if isinstance(item, BaseException):
                raise item
            if item is None:
                self._ended = True
            else:
                window.append(item)
        return window

    def close(self) -> None:
        """Stop reading (early, after an error) and wait for the thread to end."""
        self._stop.set()
        self._thread.join()


def _no_sigterm_note(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("SIGTERM handler is not set")


def _ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:  # pragma: no cover - ray is a declared dependency
        raise PurposelyError("the ray executor needs Ray: pip install 'ray[data]'") from None
    return ray


def _warm_up(ray: Any) -> list[Any]:
    """Have each CPU's worker import the preparation code and Ray Data while the gate
    decides and streams: Ray Data's first tasks then find them ready."""
    cpus = max(1, int(ray.available_resources().get("CPU", 1)))
    load = ray.remote(_load)
    return [load.remote() for _ in range(cpus)]


def _load() -> None:
    """Import what a worker otherwise imports on its first Ray Data task of a build. The
    short wait keeps the worker busy, so that each of these tasks starts a worker of its
    own."""
    import importlib

    import ray.data  # noqa: F401

    for module in _PRELOAD:
        importlib.import_module(module)
    time.sleep(0.2)


def _numbered(batch: pa.RecordBatch, index: int) -> pa.Table:
    ordinal = pa.array(np.full(batch.num_rows, index, dtype=np.int64))
    return pa.Table.from_batches([batch]).append_column(ORDINAL, ordinal)


def _runs(ordinal: pa.ChunkedArray) -> list[tuple[int, int, int]]:
    """(ordinal, start, length) of each run of equal ordinals, in order."""
    values = np.asarray(ordinal.to_numpy(), dtype=np.int64)
    if not values.size:
        return []
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    ends = np.append(starts[1:], values.size)
    return [(int(values[a]), int(a), int(b - a)) for a, b in zip(starts, ends, strict=True)]


def _per_batch(fn: BatchFn) -> Callable[[pa.Table], pa.Table]:
    """``fn`` over each input batch of a block on its own, results numbered like the input."""

    def run(table: pa.Table) -> pa.Table:
        body = table.drop_columns([ORDINAL])
        parts = []
        for index, start, length in _runs(table.column(ORDINAL)):
            batches = body.slice(start, length).combine_chunks().to_batches()
            empty = pa.RecordBatch.from_pylist([], schema=body.schema)
            parts.append(_numbered(fn(batches[0] if batches else empty), index))
        return pa.concat_tables(parts) if parts else table

    return run


def _in_batches(tables: Iterable[pa.Table]) -> Iterator[pa.RecordBatch]:
    """Results of numbered blocks, in order, cut back into one batch per input batch (a
    batch that Ray split across blocks is joined again)."""
    current = -1
    pieces: list[pa.Table] = []
    for table in tables:
        body = table.drop_columns([ORDINAL])
        for index, start, length in _runs(table.column(ORDINAL)):
            if index < current:
                raise PurposelyError("Ray returned results out of order")
            if index != current and pieces:
                yield _joined(pieces)
                pieces = []
            current = index
            pieces.append(body.slice(start, length))
    if pieces:
        yield _joined(pieces)


def _joined(pieces: list[pa.Table]) -> pa.RecordBatch:
    table = pa.concat_tables(pieces).combine_chunks()
    batches = table.to_batches()
    return batches[0] if batches else pa.RecordBatch.from_pylist([], schema=table.schema)


def executor_named(
    name: str, *, workers: int | None = None, ray_address: str | None = None
) -> Executor:
    """The executor called ``name`` (``local`` or ``ray``)."""
    if name == "local":
        return LocalExecutor(workers)
    if name == "ray":
        return RayExecutor(ray_address)
    raise PurposelyError(f"unknown executor {name!r}: use local or ray")
