"""Consent decisions over the API, written by group commit.

Every ledger append reads the chain's head and inserts after it, so appends serialise: on
SQLite behind the database's single write lock, on PostgreSQL behind the ledger's advisory
lock. One transaction per request would make 50 concurrent services queue for that lock,
each paying a whole transaction (and, on SQLite, the busy handler's sleeps between tries).

Instead, one writer thread takes every decision waiting in its queue and appends them all in
one transaction (one :func:`purposely.consent.append` call), then resolves each request's
future. Under load a batch grows to whatever arrived while the previous one was written, so
the cost per decision falls as the load rises. Each decision is validated on its own first
(subject known, purpose known, explicit consent naming its data): a bad one fails only its
own request. Nothing is acknowledged before its transaction has committed, so a decision
the API answered 201 for is in the ledger, exactly once.

Snapshots holding the data of the subjects decided about are re-checked afterwards, off the
request path, by a second thread (:class:`StaleMarker`) that coalesces the subjects of many
batches into one :func:`purposely.datasets.staleness.refresh`. A decision takes effect at
the next question to the gate regardless, because the gate reads the ledger itself; only the
"stale" mark of a snapshot already built may lag by the time one refresh takes.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Collection
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime

from purposely.access.tokens import live_token_ids
from purposely.consent.ledger import (
    ConsentDecision,
    Decision,
    append,
    check_decision,
    current_notice_version,
)
from purposely.errors import PurposelyError
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.subjects import SubjectRef, known_subjects, unknown_subject

log = logging.getLogger(__name__)

# Decisions per transaction at most; a larger backlog is written in several.
MAX_BATCH = 1_000
# How long the stale marker waits for more subjects before it re-checks snapshots.
COALESCE_SECONDS = 0.2


class ServerStoppingError(PurposelyError):
    """A decision arrived after the server began to stop; it was not recorded."""


class TokenRevokedError(PurposelyError):
    """The decision's API token was revoked before the decision was written."""


@dataclass(frozen=True)
class DecisionRequest:
    """A decision as a service sends it. ``subject`` is an id or ``@handle``; without
    ``notice_version`` the version of the notice generated from the policy is recorded.
    ``token_id``: the API token it came with; the decision is written only if that token is
    still live in the same transaction, so a token revoked a moment ago records nothing."""

    subject: str
    purpose: str
    decision: Decision
    channel: str
    token_id: str | None = None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    notice_version: str | None = None
    categories: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Recorded:
    """A decision the ledger now holds."""

    subject: SubjectRef
    purpose: str
    decision: Decision
    ledger_entry: int
    notice_version: str


@dataclass(frozen=True)
class _Pending:
    request: DecisionRequest
    future: Future[Recorded]


_STOP = object()


class DecisionWriter:
    """The one thread that appends API consent decisions to the ledger, in batches."""

    def __init__(
        self,
        store: Store,
        policy: Policy,
        *,
        max_batch: int = MAX_BATCH,
        on_recorded: Callable[[Collection[int]], None] | None = None,
    ) -> None:
        self.store, self.policy, self.max_batch = store, policy, max_batch
        # Computed once: it renders the notice from the policy, which the server never reloads.
        self.notice_version = current_notice_version(policy)
        self._on_recorded = on_recorded
        self._queue: queue.SimpleQueue[_Pending | object] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="consent-writer", daemon=True)
        self._closed = False
        self._lock = threading.Lock()
        self.batches = 0  # transactions written, for tests and the benchmark

    def start(self) -> None:
        """Start the writer thread."""
        self._thread.start()

    def stop(self) -> None:
        """Write what is queued, then end the thread; later decisions are refused."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(_STOP)
        if self._thread.is_alive():
            self._thread.join()

    def submit(self, request: DecisionRequest) -> Future[Recorded]:
        """Queue ``request``; the future resolves once its transaction has committed, or
        fails with the reason it was refused (:class:`purposely.errors.PurposelyError`)."""
        future: Future[Recorded] = Future()
        with self._lock:  # never behind the stop marker, where nobody would take it
            if self._closed:
                raise ServerStoppingError("the server is stopping: send the decision again")
            self._queue.put(_Pending(request, future))
        return future

    def _run(self) -> None:
        stopping = False
        while not stopping:
            batch, stopping = self._next_batch()
            # A request cancelled while queued (its client went away) is not recorded: it
            # was never acknowledged. The others can no longer be cancelled from here on.
            batch = [p for p in batch if p.future.set_running_or_notify_cancel()]
            if batch:
                self._write_batch(batch)

    def _next_batch(self) -> tuple[list[_Pending], bool]:
        """Every decision queued (up to ``max_batch``), waiting for the first; and whether
        the stop marker came after them."""
        batch: list[_Pending] = []
        item = self._queue.get()
        while isinstance(item, _Pending):
            batch.append(item)
            if len(batch) >= self.max_batch:
                return batch, False
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return batch, False
        return batch, True  # the stop marker

    def _write_batch(self, batch: list[_Pending]) -> None:
        """Append the valid decisions of ``batch`` in one transaction; resolve every future."""
        accepted: list[tuple[_Pending, SubjectRef, ConsentDecision]] = []
        try:
            with self.store.write() as conn:
                refs = known_subjects(conn, [p.request.subject for p in batch])
                tokens = {p.request.token_id for p in batch if p.request.token_id is not None}
                live = live_token_ids(conn, tokens)
                for pending in batch:
                    checked = self._checked(pending, refs, live)
                    if checked is not None:
                        accepted.append((pending, *checked))
                seqs = append(conn, self.policy, [decision for _, _, decision in accepted])
        except Exception as exc:  # the database failed: none of the batch was recorded
            log.exception("writing %d consent decisions failed", len(batch))
            for pending in batch:
                if not pending.future.done():
                    pending.future.set_exception(exc)
            return
        self.batches += 1
        # Told before the requests are answered, so a snapshot's re-check is already pending
        # by the time a service learns its decision was recorded.
        if accepted and self._on_recorded is not None:
            self._on_recorded({ref.pk for _, ref, _ in accepted})
        for (pending, ref, d), seq in zip(accepted, seqs, strict=True):
            pending.future.set_result(Recorded(ref, d.purpose, d.decision, seq, d.notice_version))

    def _checked(
        self, pending: _Pending, refs: dict[str, SubjectRef], live: set[str]
    ) -> tuple[SubjectRef, ConsentDecision] | None:
        """The subject and decision to append for ``pending``, or None after failing its
        future with the reason."""
        request = pending.request
        try:
            if request.token_id is not None and request.token_id not in live:
                raise TokenRevokedError(f"token {request.token_id} was revoked")
            ref = refs.get(request.subject)
            if ref is None:
                raise unknown_subject(request.subject)
            decision = ConsentDecision(
                subject_pseudonym=ref.pseudonym,
                purpose=request.purpose,
                decision=request.decision,
                at=request.at,
                notice_version=request.notice_version or self.notice_version,
                channel=request.channel,
                categories=request.categories,
            )
            check_decision(self.policy, decision)  # unknown purpose, consent not explicit
        except PurposelyError as exc:
            pending.future.set_exception(exc)
            return None
        return ref, decision


class StaleMarker:
    """Marks snapshots stale for the subjects decisions were recorded about, in a thread of
    its own: the subjects of many batches are coalesced into one refresh, and a slow refresh
    never holds up the next batch of decisions."""

    def __init__(self, store: Store, policy: Policy) -> None:
        self.store, self.policy = store, policy
        self._pending: set[int] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = False
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._run, name="stale-marker", daemon=True)

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def add(self, subject_pks: Collection[int]) -> None:
        """Re-check the snapshots holding data of ``subject_pks`` soon."""
        with self._lock:
            self._pending.update(subject_pks)
            self._idle.clear()
        self._wake.set()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until every subject added so far has been re-checked (for tests)."""
        return self._idle.wait(timeout)

    def stop(self) -> None:
        """Re-check what is pending, then end the thread."""
        self._stopping = True
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            # Let the subjects of further batches gather: one refresh for many batches
            # costs little more than one for a single batch.
            if not self._stopping:
                time.sleep(COALESCE_SECONDS)
            self._wake.clear()
            with self._lock:
                pks, self._pending = self._pending, set()
            if pks:
                self._refresh(pks)
            with self._lock:
                if not self._pending:
                    self._idle.set()
            if self._stopping and not self._pending:
                return

    def _refresh(self, pks: set[int]) -> None:
        from purposely.datasets.staleness import refresh  # heavy: the dataset code

        try:
            refresh(self.store, self.policy, subject_pks=sorted(pks))
        except Exception:  # the decisions are recorded; the next refresh will catch up
            log.exception("marking snapshots stale for %d subjects failed", len(pks))
