"""The API's workers and the dependencies that hand them to its routes.

Started with the server (the router's lifespan), or on first use when an app is served
without lifespan events: the consent writer and the stale marker
(:mod:`purposely.api.decisions`), the build queue (:mod:`purposely.api.builds`), the gate's
threads or processes (:mod:`purposely.api.questions`), the threads that look tokens up and
the tokens seen before (:mod:`purposely.api.known_tokens`).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials

from purposely.access import Token
from purposely.api.auth import _bearer, token
from purposely.api.builds import BuildRunner
from purposely.api.decisions import DecisionWriter, StaleMarker
from purposely.api.known_tokens import KnownTokens
from purposely.api.questions import GateQuestions
from purposely.api.services import Services
from purposely.datasets.build import BuildOptions

T = TypeVar("T")

# Threads looking up tokens: a short read each, kept apart from the gate's threads and from
# the threadpool of the synchronous routes, so that no request waits behind a gate question
# or an import just to be authenticated.
AUTH_THREADS = 4


@dataclass(frozen=True)
class Workers:
    """The API's threads and processes: the consent writer, the stale marker, the build
    queue, the threads that look up tokens and the threads or processes that ask the gate."""

    decisions: DecisionWriter
    stale_marker: StaleMarker
    builds: BuildRunner
    auth: ThreadPoolExecutor
    gate: GateQuestions
    known_tokens: KnownTokens

    @classmethod
    def start(cls, svc: Services) -> Workers:
        """Start them on ``svc``'s store and policy."""
        marker = StaleMarker(svc.store, svc.policy)
        writer = DecisionWriter(svc.store, svc.policy, on_recorded=marker.add)
        options = BuildOptions(workers=svc.settings.build_workers)
        builds = BuildRunner(svc.store, svc.policy, svc.settings.snapshots, options)
        marker.start()
        writer.start()
        builds.start()
        return cls(
            writer,
            marker,
            builds,
            ThreadPoolExecutor(AUTH_THREADS, thread_name_prefix="api-auth"),
            GateQuestions(svc.gate, svc.settings.gate_processes),
            KnownTokens(),
        )

    def stop(self) -> None:
        """Stop them, each after the work in flight (a batch, a refresh, a build)."""
        self.decisions.stop()
        self.stale_marker.stop()
        self.builds.stop()
        self.auth.shutdown()
        self.gate.stop()


_STARTING = threading.Lock()


def workers(app: FastAPI) -> Workers:
    """The app's workers, started on first use if the server's lifespan has not started them
    (an app served without lifespan events, as some test clients do)."""
    with _STARTING:
        found: Workers | None = getattr(app.state, "api_workers", None)
        if found is None:
            found = app.state.api_workers = Workers.start(app.state.services)
    return found


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the workers with the server; stop them, off the event loop, when it stops."""
    started = await run_in_threadpool(workers, app)
    try:
        yield
    finally:
        app.state.api_workers = None
        await run_in_threadpool(started.stop)


async def run_on(pool: ThreadPoolExecutor, fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` on a thread of ``pool``, without holding up the event loop."""
    return await asyncio.get_running_loop().run_in_executor(pool, partial(fn, *args))


# The dependencies are coroutines: FastAPI runs a plain function dependency on its shared
# threadpool, and a consent decision should never queue there.


async def api_services(request: Request) -> Services:
    """FastAPI dependency: the server's services."""
    svc: Services = request.app.state.services
    return svc


SvcDep = Annotated[Services, Depends(api_services)]


async def api_token(
    request: Request,
    svc: SvcDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Token:
    """FastAPI dependency: the request's live API token, or 401
    (:func:`purposely.api.auth.token`, on the API's own threads)."""
    return await run_on(workers(request.app).auth, token, svc, credentials)


async def decision_token(
    request: Request,
    svc: SvcDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Token:
    """FastAPI dependency for consent decisions: :func:`api_token`, but a token seen before is
    recognised in memory (see :mod:`purposely.api.known_tokens`); the decision is recorded
    only if the token is still live when it is written."""
    known = workers(request.app).known_tokens
    if credentials is not None and (found := known.get(credentials.credentials)) is not None:
        return found
    tok = await api_token(request, svc, credentials)
    assert credentials is not None, "api_token refuses a request without a token"
    known.remember(credentials.credentials, tok)
    return tok


async def decision_writer(request: Request) -> DecisionWriter:
    """FastAPI dependency: the server's consent writer."""
    return workers(request.app).decisions


async def build_runner(request: Request) -> BuildRunner:
    """FastAPI dependency: the server's build queue."""
    return workers(request.app).builds


TokDep = Annotated[Token, Depends(api_token)]
DecisionTokDep = Annotated[Token, Depends(decision_token)]
WriterDep = Annotated[DecisionWriter, Depends(decision_writer)]
BuildsDep = Annotated[BuildRunner, Depends(build_runner)]
