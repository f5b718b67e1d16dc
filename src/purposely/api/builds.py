"""Dataset builds started over the API: a queue of jobs run one at a time in the background.

Each job is a row of ``build_jobs`` that moves ``queued -> running -> done`` (with the
snapshot's id) or ``failed`` (with the error). One worker thread runs the builds in the order
they were asked for: a build already uses every core through its executor, so two at once
would only take longer each. The snapshot goes to ``SNAPSHOTS/<job id>``.

A server that stops mid-build cannot finish it; the next server marks the jobs it left
``queued`` or ``running`` as failed ("server stopped"), so no poll waits forever.
"""

from __future__ import annotations

import logging
import queue
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import insert, select, update

from purposely.datasets.build import BuildOptions, build
from purposely.errors import PurposelyError
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.models import BuildJob

log = logging.getLogger(__name__)

State = Literal["queued", "running", "done", "failed"]
QUEUED: State = "queued"
RUNNING: State = "running"
DONE: State = "done"
FAILED: State = "failed"
STOPPED = "server stopped before the build finished: start it again"


@dataclass(frozen=True)
class Job:
    """A build job as the API shows it."""

    id: str
    purpose: str
    state: State
    requested_by: str
    requested_at: datetime
    finished_at: datetime | None
    snapshot_id: str | None
    error: str | None


class BuildRunner:
    """Queues dataset builds and runs them, one at a time, on a thread of its own."""

    def __init__(
        self, store: Store, policy: Policy, snapshots: Path, options: BuildOptions | None = None
    ) -> None:
        self.store, self.policy, self.snapshots = store, policy, snapshots
        self.options = options or BuildOptions()
        self._queue: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="dataset-builds", daemon=True)
        self._stopping = False

    def start(self) -> None:
        """Fail the jobs an earlier server left unfinished, then start the worker."""
        with self.store.write() as conn:
            conn.execute(
                update(BuildJob)
                .where(BuildJob.state.in_([QUEUED, RUNNING]))
                .values(state=FAILED, error=STOPPED, finished_at=datetime.now(UTC))
            )
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Start no further build; wait up to ``timeout`` seconds for the running one. A
        build still running then is abandoned (the next server marks it failed)."""
        self._stopping = True
        self._queue.put(None)
        if self._thread.is_alive():
            self._thread.join(timeout)

    def submit(self, purpose: str, requested_by: str) -> Job:
        """Queue a build of ``purpose``; return its job (state ``queued``)."""
        self.policy.rule(purpose)  # an unknown purpose is refused now, not in the background
        if self._stopping:
            raise PurposelyError("the server is stopping: start the build again later")
        job_id = uuid.uuid4().hex
        row = {
            "id": job_id,
            "purpose": purpose,
            "out": str(self.snapshots / job_id),
            "state": QUEUED,
            "requested_by": requested_by,
            "requested_at": datetime.now(UTC),
            "finished_at": None,
            "snapshot_id": None,
            "error": None,
        }
        with self.store.write() as conn:
            conn.execute(insert(BuildJob), [row])
        self._queue.put(job_id)
        return _job(row)

    def job(self, job_id: str) -> Job | None:
        """The job ``job_id``, or None if there is none."""
        with self.store.read() as conn:
            query = select(BuildJob.__table__).where(BuildJob.id == job_id)
            row = conn.execute(query).mappings().first()
        return None if row is None else _job(row)

    def _run(self) -> None:
        while (job_id := self._queue.get()) is not None:
            if self._stopping:
                self._finish(job_id, FAILED, error=STOPPED)
                continue
            self._execute(job_id)

    def _execute(self, job_id: str) -> None:
        """Run one job and record how it ended."""
        with self.store.write() as conn:
            row = conn.execute(
                update(BuildJob)
                .where(BuildJob.id == job_id, BuildJob.state == QUEUED)
                .values(state=RUNNING)
                .returning(BuildJob.purpose, BuildJob.out, BuildJob.requested_by)
            ).first()
        if row is None:  # failed by a newer server's start meanwhile
            return
        try:
            snapshot_id = build(
                self.store,
                self.policy,
                row.purpose,
                Path(row.out),
                caller=row.requested_by,
                options=self.options,
            )
        except PurposelyError as exc:
            self._finish(job_id, FAILED, error=str(exc))
        except Exception as exc:  # a bug: keep the server up, and say so in the job
            log.exception("dataset build %s failed", job_id)
            self._finish(job_id, FAILED, error=f"internal error: {type(exc).__name__}: {exc}")
        else:
            self._finish(job_id, DONE, snapshot_id=snapshot_id)

    def _finish(
        self, job_id: str, state: State, *, snapshot_id: str | None = None, error: str | None = None
    ) -> None:
        with self.store.write() as conn:
            conn.execute(
                update(BuildJob)
                .where(BuildJob.id == job_id)
                .values(
                    state=state,
                    snapshot_id=snapshot_id,
                    error=error,
                    finished_at=datetime.now(UTC),
                )
            )


def _job(row: Mapping[Any, Any]) -> Job:
    return Job(
        id=row["id"],
        purpose=row["purpose"],
        state=row["state"],
        requested_by=row["requested_by"],
        requested_at=row["requested_at"],
        finished_at=row["finished_at"],
        snapshot_id=row["snapshot_id"],
        error=row["error"],
    )
