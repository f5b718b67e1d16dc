"""Parse a large file in a second process while this one writes what is already parsed.

An import is one transaction on one connection, so the writing cannot be spread; but parsing
and validating each line (pydantic) costs about as much again as writing it, and a second
core can do that meanwhile. The parsing process reads the file itself and sends the rows it
makes, pickled in batches, through a pipe; at most a few batches wait here, so memory
stays bounded when the writer is the slower side. Rows must pickle cheaply: the
importers' rows are NamedTuples.

The parsing process is a fresh interpreter (``python -m purposely.ingest.parse_ahead``), not
a ``multiprocessing`` child: those re-run the caller's main module (a user's script, or
fail on ``python -`` from stdin), and forking would copy a process running threads (the
progress bar's, the database pool's).

A bad line found by the parsing process arrives here as the same :class:`InputError`, after
the rows before it, so the caller's transaction is rolled back as for any other bad line.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from typing import IO, Any, TypeVar

from purposely.errors import InputError, PurposelyError

T = TypeVar("T")
Progress = Callable[[int], None]
# A producer yields (rows, bytes of the file they came from); it must be a module-level
# function so that the parsing process can import it by name.
Producer = Callable[..., Iterator[tuple[list[T], int]]]

QUEUE_BATCHES = 8  # batches parsed ahead of the writer, at most


def worth_it(size: int, threshold: int) -> bool:
    """True if a file of ``size`` bytes is large enough, and the machine has a second core."""
    return size >= threshold and (os.cpu_count() or 1) > 1


def parsed_ahead(produce: Producer[T], *args: Any, progress: Progress | None = None) -> Iterator[T]:
    """The rows of ``produce(*args)``, made in a separate process, in order.

    The parsing process is stopped when the caller stops iterating, whatever the reason.
    """
    # The same interpreter and module path as this process, so it imports the same code.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    child = subprocess.Popen(
        [sys.executable, "-m", "purposely.ingest.parse_ahead"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    assert child.stdin is not None and child.stdout is not None  # both are pipes
    # A pipe holds 64 KiB, less than one batch: a thread takes batches off it as they come so
    # the parsing process can run QUEUE_BATCHES ahead while this one writes.
    frames: queue.Queue[bytes | None] = queue.Queue(QUEUE_BATCHES)
    reader = threading.Thread(target=_read_frames, args=(child.stdout, frames), daemon=True)
    reader.start()
    try:
        pickle.dump((produce, args), child.stdin)
        child.stdin.close()
        while True:
            kind, payload, size = _next(frames, child)
            if kind == "rows":
                if progress is not None:
                    progress(size)
                yield from payload
            elif kind == "done":
                return
            elif kind == "input":
                raise InputError(payload)
            else:
                raise PurposelyError(f"the parsing process failed: {payload}")
    finally:
        child.kill()
        child.wait()
        while reader.is_alive():  # unblock it if the queue is full; it ends at the pipe's end
            with contextlib.suppress(queue.Empty):
                frames.get(timeout=0.1)
        child.stdout.close()


def _read_frames(pipe: IO[bytes], frames: queue.Queue[bytes | None]) -> None:
    """Move each frame (8-byte length, then that many bytes) from ``pipe`` to ``frames``."""
    while True:
        header = pipe.read(8)
        body = pipe.read(int.from_bytes(header, "little")) if len(header) == 8 else b""
        if not body:
            frames.put(None)
            return
        frames.put(body)


def _next(
    frames: queue.Queue[bytes | None], child: subprocess.Popen[bytes]
) -> tuple[str, Any, int]:
    frame = frames.get()
    if frame is None:
        code = child.wait()
        raise PurposelyError(f"the parsing process ended without finishing (exit code {code})")
    message: tuple[str, Any, int] = pickle.loads(frame)
    return message


def _send(sink: IO[bytes], message: tuple[str, Any, int]) -> None:
    frame = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    sink.write(len(frame).to_bytes(8, "little"))
    sink.write(frame)


def _serve(source: IO[bytes], sink: IO[bytes]) -> None:
    """The parsing process: read the producer, send every batch, then "done" or what failed."""
    produce, args = pickle.load(source)
    try:
        for rows, size in produce(*args):
            _send(sink, ("rows", rows, size))
        message: tuple[str, Any, int] = ("done", None, 0)
    except InputError as exc:
        message = ("input", str(exc), 0)
    except Exception as exc:  # a bug, not bad input: the writer reports it and rolls back
        message = ("crash", f"{type(exc).__name__}: {exc}", 0)
    _send(sink, message)
    sink.flush()


if __name__ == "__main__":
    try:
        _serve(sys.stdin.buffer, sys.stdout.buffer)
    except BrokenPipeError:  # the writer stopped reading (it failed, or was interrupted)
        sys.exit(1)
