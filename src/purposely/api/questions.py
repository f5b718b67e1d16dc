"""Where the API asks the gate: on a thread of the server, or in worker processes.

A question costs the gate ~20 ms of CPU, most of it Python building the question's SQL. On a
thread of the server that work holds the GIL, and every other request waits for it: a thread
that gave the GIL up for a moment of I/O (the consent writer, a token look-up) gets it back
only when the gate's thread lets go. bench/api.py measured consent decisions at a p95 of
0.5 s on PostgreSQL with 50 clients sending one request a second, half of them gate
questions, when the questions ran on a thread; 32 ms with two worker processes. With
``processes`` > 0 the questions go to that many worker processes, each with its own
interpreter, store connections and gate, at a lower CPU priority than the server.

Either way the gate does what it always does: it reads the store, decides and writes its
audit event; only the process that runs it differs.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import signal
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial

from purposely.gate import Answer, Gate
from purposely.policy import Policy
from purposely.store import Store

# Questions asked at once on the server's threads when no worker processes are used. More
# threads than one would only fight over the GIL (measured: fewer answers per second).
THREADS = 1
# How much lower the workers' CPU priority is than the server's (see _start_worker).
WORKER_NICENESS = 10

_gate: Gate | None = None  # a worker process's gate


class GateQuestions:
    """Asks the gate for the API, off the event loop."""

    def __init__(self, gate: Gate, processes: int = 0) -> None:
        self.gate = gate
        self._pool: Executor
        if processes > 0:
            self._pool = ProcessPoolExecutor(
                processes,
                # spawn: a worker must not inherit the server's threads, locks or connections
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(gate.store.url_with_password, gate.store.secret, gate.policy),
            )
            for _ in range(processes):  # start them now, not at the first question
                self._pool.submit(_ready)
        else:
            self._pool = ThreadPoolExecutor(THREADS, thread_name_prefix="api-gate")

    async def ask(self, purpose: str, *, caller: str, subject: str | None) -> Answer:
        """:meth:`Gate.ask` with the record ids of ``subject``, if one is named."""
        if isinstance(self._pool, ProcessPoolExecutor):
            question = partial(_ask, purpose, caller, subject)
        else:
            question = partial(
                self.gate.ask, purpose, caller=caller, subject=subject, list_ids=True
            )
        return await asyncio.get_running_loop().run_in_executor(self._pool, question)

    def stop(self) -> None:
        """Answer the questions already asked; then end the threads or processes."""
        self._pool.shutdown(wait=True)


def _start_worker(url: str, secret: bytes, policy: Policy) -> None:
    """Open the worker process's store and gate (the server checked the store already)."""
    global _gate
    # Ctrl-C reaches the whole process group: the server stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # When the cores are busy, the server's own process (consent decisions, everything
    # else) goes first; the questions take what is left.
    os.nice(WORKER_NICENESS)
    _gate = Gate(Store.attach(url, secret, pooled=True), policy)
    gc.freeze()  # what the worker has loaded lives as long as it does (see cli/serve.py)


def _ready() -> None:
    """Nothing: submitted once per worker so that the pool starts them at once."""


def _ask(purpose: str, caller: str, subject: str | None) -> Answer:
    assert _gate is not None, "the worker was started by _start_worker"
    return _gate.ask(purpose, caller=caller, subject=subject, list_ids=True)
