"""The REST API for the platform's services (``/api/v1``).

Each request carries an API token scoped to purposes and operations
(``purposely token create --purpose P --can read|write|build``); a token used outside its
scope is refused with 403 and leaves an audit event (:func:`purposely.api.auth.authorize`).
The routes add no rules of their own: events go through the importers' validation and
writer, decisions through the consent ledger, questions through the gate.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Coroutine, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)
from sqlalchemy import select
from sqlalchemy.exc import DataError

from purposely.access import Operation, Token
from purposely.access.tokens import live_token_ids
from purposely.api.auth import authorize, token
from purposely.api.builds import Job, State
from purposely.api.decisions import (
    DecisionRequest,
    ServerStoppingError,
    TokenRevokedError,
)
from purposely.api.services import Services
from purposely.api.workers import (
    BuildsDep,
    DecisionTokDep,
    SvcDep,
    TokDep,
    WriterDep,
    lifespan,
    run_on,
    workers,
)
from purposely.cli.gate import answer_dict
from purposely.consent.ledger import Decision
from purposely.errors import InputError, PurposelyError
from purposely.ingest import jsonl
from purposely.ingest.jsonl import (
    ConsentLine,
    DeleteLine,
    JobLine,
    Line,
    MessageLine,
    SubjectLine,
    describe_error,
    ingest_events,
)
from purposely.store.models import Record, Subject

MAX_EVENTS = 10_000
BUILD_ID = re.compile(r"[0-9a-f]{32}")
# How far ahead of the server's clock a decision's time may be: a decision dated later than
# it was taken would outrank every decision the member takes until then.
CLOCK_SKEW = timedelta(minutes=5)

# Purpose and category keys as the policy and the taxonomy write them (``a.b_c``); anything
# else cannot be one, and is refused before it reaches the store or the audit log.
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$", max_length=128)]
# Free text the store keeps in a bounded column: PostgreSQL refuses NUL characters in text.
Name = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^\x00]+$")]
TRAIN = "train_ai_system"


# --- errors: one line that says what is wrong --------------------------------------------


class Problem(BaseModel):
    """Why a request was refused."""

    detail: str = Field(examples=["token 3f9c0a1b2c3d may not write for train_ai_system"])


def validation_message(errors: Sequence[Any]) -> str:
    """The first of FastAPI's validation ``errors`` as one line; an event of a push is named
    by its index and described as the JSONL importer describes a bad line."""
    err = dict(errors[0])
    loc = list(err.get("loc", ()))
    part = {"query": "query parameter ", "path": "path parameter "}.get(str(loc[:1] and loc[0]))
    kind = part or "field "
    if loc[:1] in (["body"], ["query"], ["path"]):
        loc = loc[1:]
    if err.get("type") == "json_invalid":
        return f"the body is not valid JSON: {err.get('ctx', {}).get('error', err.get('msg'))}"
    if len(loc) >= 2 and loc[0] == "events" and isinstance(loc[1], int):
        line_error: Any = {**err, "loc": tuple(loc[2:])}
        return f"events[{loc[1]}]: {describe_error(line_error)}"
    where = ".".join(str(p) for p in loc) or "body"
    if err.get("type") == "missing":
        return f"missing required {kind}{where!r}"
    return f"{kind}{where!r}: {str(err.get('msg', 'invalid')).removeprefix('Value error, ')}"


class _ApiRoute(APIRoute):
    """A route whose invalid requests get 422 with one line naming what is wrong, instead of
    FastAPI's list of pydantic errors."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def checked(request: Request) -> Response:
            try:
                return await handle(request)
            except RequestValidationError as exc:
                return JSONResponse({"detail": validation_message(exc.errors())}, 422)

        return checked


def _refuse_decision(svc: Services, tok: Token, purpose: str) -> None:
    """:func:`authorize`'s refusal for a token recognised from memory: a token revoked since
    gets the 401 it would get from the store, not a 403."""
    with svc.store.read() as conn:
        if not live_token_ids(conn, [tok.id]):
            token(svc, None)  # raises the API's 401
    authorize(svc, tok, Operation.WRITE, purpose)


_REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "No token, or an unknown or revoked one."},
    403: {
        "model": Problem,
        "description": "The token is not scoped to this operation or purpose; the attempt "
        "is recorded in the audit log.",
    },
    422: {"model": Problem, "description": "The request is malformed: the detail says where."},
}

router = APIRouter(prefix="/api/v1", route_class=_ApiRoute, lifespan=lifespan, responses=_REFUSALS)


async def _authorize(
    request: Request, svc: Services, tok: Token, operation: Operation, purpose: str | None
) -> None:
    """:func:`authorize` for async routes: the audit event of a refusal is written off the
    event loop."""
    if not tok.allows(operation, purpose):
        await run_on(workers(request.app).auth, authorize, svc, tok, operation, purpose)


# --- events ---------------------------------------------------------------------------------


class EventBatch(BaseModel):
    """Events in the JSONL interchange format (DESIGN.md section 5), applied all or none."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "events": [
                        {
                            "type": "subject",
                            "id": "u1",
                            "handle": "alice",
                            "birth_date": "1990-04-01",
                            "country": "DE",
                        },
                        {
                            "type": "post",
                            "id": "p1",
                            "subject": "u1",
                            "text": "Guten Morgen",
                            "visibility": "public",
                            "lang": "de",
                            "created_at": "2024-01-15T12:00:00Z",
                        },
                        {"type": "delete", "id": "p0", "at": "2024-01-15T12:05:00Z"},
                    ]
                }
            ]
        }
    )

    events: list[Line] = Field(
        max_length=MAX_EVENTS,
        description="Subjects, posts (sent again with the same id to change them, e.g. their "
        "visibility), messages, career data, jobs, consent decisions and deletes, in order. "
        f"At most {MAX_EVENTS:,} per request.",
    )


class ConsentCounts(BaseModel):
    """Consent decisions of the push."""

    recorded: int = Field(description="Appended to the consent ledger.")
    already_held: int = Field(description="Sent before: the ledger already held them.")


class ImportOut(BaseModel):
    """What a push stored, by category, and what it skipped, by reason."""

    subjects: int
    records: int
    stored: dict[str, int] = Field(description="Records written, per data category.")
    jobs: int
    deleted: int
    consents: ConsentCounts
    skipped: dict[str, int] = Field(description="Events not applied, per reason.")
    stale_snapshots: dict[str, dict[str, int]] = Field(
        description="Snapshots already built that now hold samples the gate would withhold: "
        "per snapshot id, the samples per reason."
    )


@router.post(
    "/events",
    tags=["events"],
    summary="Push platform events",
    response_description="What was stored and skipped.",
)
def push_events(batch: EventBatch, svc: SvcDep, tok: TokDep) -> ImportOut:
    """Apply posts created, visibility changes, deletes, consent decisions and profile changes,
    validated as `purposely ingest jsonl` validates a file, in one transaction: one bad event
    fails the push (422, `events[INDEX]: what is wrong`) and nothing is stored. Sending the
    same events again changes nothing (records are replaced by id, decisions already held are
    skipped).

    Needs `write`; a `consent` event also needs its purpose among the token's purposes.
    Snapshots already built are re-checked for the subjects touched.
    """
    authorize(svc, tok, Operation.WRITE, None)
    _authorize_consents(svc, tok, batch.events)
    try:
        deleted_owners = _owners_of(svc, [e.id for e in batch.events if isinstance(e, DeleteLine)])
        report = ingest_events(
            svc.store, svc.policy, batch.events, "events", channel=f"api:{tok.id}"
        )
    except InputError as exc:  # found while writing, e.g. an unknown subject: nothing stored
        raise HTTPException(422, str(exc)) from None
    except (DataError, OverflowError) as exc:  # a value the database cannot hold
        raise HTTPException(422, _refused_value(exc)) from None
    from purposely.datasets.staleness import refresh  # heavy: only when data changed

    touched = deleted_owners | _subject_pks(svc, _subject_ids(batch.events))
    stale = refresh(svc.store, svc.policy, subject_pks=sorted(touched)) if touched else {}
    data = report.as_dict()
    return ImportOut(
        **{key: data[key] for key in ImportOut.model_fields if key in data}, stale_snapshots=stale
    )


def _authorize_consents(svc: Services, tok: Token, events: Sequence[Line]) -> None:
    """Refuse (403) consent events for purposes outside the token's scope; an unknown purpose
    is bad input (422, naming the event) rather than a refusal."""
    for index, event in enumerate(events):
        if isinstance(event, ConsentLine) and event.purpose not in svc.policy.purposes:
            try:
                svc.policy.rule(event.purpose)
            except PurposelyError as exc:
                raise HTTPException(422, f"events[{index}]: {exc}") from None
    for purpose in dict.fromkeys(e.purpose for e in events if isinstance(e, ConsentLine)):
        authorize(svc, tok, Operation.WRITE, purpose)


def _refused_value(exc: Exception) -> str:
    """What to tell a service whose push held a value the database cannot store."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return (
        f"events: the store cannot hold one of the values ({reason}): text must not contain "
        "NUL characters, times must lie between the years 1 and 9999, and short fields "
        "have limits (lang 16 characters, ids 255)"
    )


def _subject_ids(events: Iterable[Line]) -> set[str]:
    """The subjects whose data ``events`` change."""
    ids: set[str] = set()
    for event in events:
        match event:
            case SubjectLine():
                ids.add(event.id)
            case MessageLine():
                ids.add(event.sender)
            case JobLine() | DeleteLine():
                pass
            case _:
                ids.add(event.subject)
    return ids


def _subject_pks(svc: Services, ids: set[str]) -> set[int]:
    if not ids:
        return set()
    with svc.store.read() as conn:
        return set(conn.scalars(select(Subject.pk).where(Subject.id.in_(sorted(ids)))))


def _owners_of(svc: Services, record_ids: list[str]) -> set[int]:
    """The subjects of the posts and messages ``record_ids``, read before they are deleted."""
    if not record_ids:
        return set()
    query = select(Record.subject_pk).where(
        Record.source == jsonl.SOURCE,
        Record.source_id.in_(record_ids),
        Record.kind.in_(("post", "message")),
    )
    with svc.store.read() as conn:
        return set(conn.scalars(query))


# --- consent decisions ------------------------------------------------------------------------


class ConsentIn(BaseModel):
    """A member's decision about a purpose, as the platform took it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"subject": "u1", "purpose": TRAIN, "decision": "withdraw"}]
        },
    )

    subject: Name = Field(description="The member's id, or @handle.")
    purpose: Key = Field(description="A purpose of the policy.")
    decision: Decision = Field(description="grant, withdraw, or object (GDPR Art. 21).")
    notice_version: Name | None = Field(
        default=None,
        max_length=128,
        description="The privacy notice the member was shown; default: the notice generated "
        "from the server's policy.",
    )
    categories: list[Key] | None = Field(
        default=None,
        max_length=64,
        description="The data an explicit consent covers: required for a grant of a purpose "
        "on explicit consent (identity verification).",
    )
    at: AwareDatetime | None = Field(
        default=None,
        description="When the member decided (RFC 3339, with a zone); default: now. Not later "
        "than the server's clock (give or take 5 minutes).",
    )

    @field_validator("at")
    @classmethod
    def _not_in_the_future(cls, at: datetime | None) -> datetime | None:
        if at is None:
            return None
        try:
            utc = at.astimezone(UTC)
        except OverflowError:
            raise ValueError("the time is out of range") from None
        if utc > datetime.now(UTC) + CLOCK_SKEW:
            raise ValueError("a decision cannot be taken in the future: check the clock")
        return utc


class ConsentOut(BaseModel):
    """A decision the consent ledger now holds."""

    subject: str = Field(description="The member's id.")
    purpose: str
    decision: Decision
    ledger_entry: int = Field(description="Its position in the ledger: the gate's watermark.")
    notice_version: str


@router.post(
    "/consents",
    tags=["consent"],
    status_code=201,
    summary="Record a consent decision",
    responses={
        400: {
            "model": Problem,
            "description": "The policy refuses the decision, e.g. an "
            "explicit consent that does not name the data it covers.",
        },
        404: {"model": Problem, "description": "Unknown subject or purpose."},
        503: {"model": Problem, "description": "The server is stopping: send it again."},
    },
)
async def record_consent(
    body: ConsentIn, request: Request, svc: SvcDep, tok: DecisionTokDep, writer: WriterDep
) -> ConsentOut:
    """Append the decision to the hash-chained consent ledger (channel `api:<token id>`). It
    applies from the next question to the gate on. Needs `write` for the purpose.

    201 means the decision is committed. Decisions arriving together are written in one
    transaction (group commit), each validated on its own.
    """
    if not tok.allows(Operation.WRITE, body.purpose):
        await run_on(workers(request.app).auth, _refuse_decision, svc, tok, body.purpose)
    decision = DecisionRequest(
        subject=body.subject,
        purpose=body.purpose,
        decision=body.decision,
        channel=f"api:{tok.id}",
        token_id=tok.id,
        notice_version=body.notice_version,
        categories=tuple(body.categories) if body.categories else None,
        at=body.at or datetime.now(UTC),
    )
    try:
        recorded = await asyncio.wrap_future(writer.submit(decision))
    except ServerStoppingError as exc:
        raise HTTPException(503, str(exc)) from None
    except TokenRevokedError:
        token(svc, None)  # raises the API's 401
        raise
    return ConsentOut(
        subject=recorded.subject.id,
        purpose=recorded.purpose,
        decision=recorded.decision,
        ledger_entry=recorded.ledger_entry,
        notice_version=recorded.notice_version,
    )


# --- the gate ---------------------------------------------------------------------------------


class RecordId(BaseModel):
    """A record as its source names it."""

    source: str
    id: str


class Allowed(BaseModel):
    """What the purpose may use."""

    records: int
    subjects: int
    by_category: dict[str, int]
    ids: list[RecordId] | None = Field(
        default=None, description="With `subject`: the records allowed."
    )


class Withheld(BaseModel):
    """What the gate withholds, and why."""

    records: int
    by_reason: dict[str, int]
    by_category: dict[str, dict[str, int]]


class SubjectOut(BaseModel):
    """The subject a question was about."""

    id: str
    handle: str | None


class GateAnswer(BaseModel):
    """The gate's answer, as `purposely gate PURPOSE --json` prints it."""

    purpose: str
    watermark: int = Field(description="The consent ledger position the answer was taken at.")
    as_of: date
    policy: str = Field(description="Digest of the policy the gate applied.")
    allowed: Allowed
    withheld: Withheld
    audit_event: int = Field(description="The audit event that records this question.")
    subject: SubjectOut | None = None


@router.get(
    "/gate/{purpose}",
    tags=["gate"],
    summary="Ask the gate",
    responses={404: {"model": Problem, "description": "Unknown subject or purpose."}},
)
async def ask_gate(
    purpose: Annotated[Key, Path(description="A purpose of the policy.")],
    request: Request,
    svc: SvcDep,
    tok: TokDep,
    subject: Annotated[
        Name | None,
        Query(description="Only this member (id or @handle); lists the records allowed."),
    ] = None,
) -> GateAnswer:
    """What PURPOSE may use now: records allowed per category, withheld per reason. Needs
    `read` for the purpose. The question is recorded in the audit log, naming the token."""
    await _authorize(request, svc, tok, Operation.READ, purpose)
    answer = await workers(request.app).gate.ask(purpose, caller=tok.caller, subject=subject)
    return GateAnswer.model_validate(answer_dict(answer))


# --- dataset builds -----------------------------------------------------------------------------


class BuildIn(BaseModel):
    """What to build."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"purpose": TRAIN}]})

    purpose: Key = Field(description="A purpose that releases records.")


class BuildOut(BaseModel):
    """A dataset build and how it is going."""

    id: str
    purpose: str
    state: State
    requested_at: datetime
    finished_at: datetime | None = None
    snapshot_id: str | None = Field(default=None, description="Once done: the snapshot.")
    error: str | None = Field(default=None, description="Once failed: why.")

    @classmethod
    def of(cls, job: Job) -> BuildOut:
        """The API's view of ``job``."""
        return cls(
            id=job.id,
            purpose=job.purpose,
            state=job.state,
            requested_at=job.requested_at,
            finished_at=job.finished_at,
            snapshot_id=job.snapshot_id,
            error=job.error,
        )


@router.post(
    "/datasets/builds",
    tags=["datasets"],
    status_code=202,
    summary="Start a dataset build",
    responses={404: {"model": Problem, "description": "Unknown purpose."}},
)
def start_build(
    body: BuildIn, response: Response, svc: SvcDep, tok: TokDep, builds: BuildsDep
) -> BuildOut:
    """Queue a snapshot build for the purpose; poll the `Location` it returns. Needs `build`
    for the purpose. Builds run one at a time, in the order they were asked for."""
    authorize(svc, tok, Operation.BUILD, body.purpose)
    job = builds.submit(body.purpose, tok.caller)
    response.headers["Location"] = f"{router.prefix}/datasets/builds/{job.id}"
    return BuildOut.of(job)


@router.get(
    "/datasets/builds/{build_id}",
    tags=["datasets"],
    summary="Poll a dataset build",
    responses={404: {"model": Problem, "description": "No build with this id."}},
)
def get_build(build_id: str, svc: SvcDep, tok: TokDep, builds: BuildsDep) -> BuildOut:
    """The build's state: `queued`, `running`, `done` (with its snapshot id) or `failed` (with
    the error). Needs `read` for the build's purpose."""
    authorize(svc, tok, Operation.READ, None)
    job = builds.job(build_id) if BUILD_ID.fullmatch(build_id) else None
    if job is None:
        raise HTTPException(
            404,
            f"no dataset build {build_id!r}: start one with POST {router.prefix}/datasets/builds",
        )
    authorize(svc, tok, Operation.READ, job.purpose)
    return BuildOut.of(job)
