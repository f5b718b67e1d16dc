"""Import the JSONL interchange format (DESIGN.md section 5).

One JSON object per line, ``type`` first. The file is streamed line by line and written in
batches inside one transaction: memory stays bounded whatever the file's size, and a bad
line anywhere fails the whole file with ``FILE:LINE: what is wrong`` and stores nothing.

The same objects also arrive one batch at a time from the platform's services
(``POST /api/v1/events``, :func:`ingest_events`): the same validation, the same writer, and
the same all-or-nothing transaction per batch, with errors naming ``events[INDEX]``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)
from pydantic_core import ErrorDetails

from purposely.consent.ledger import Decision
from purposely.errors import InputError
from purposely.ingest import parse_ahead as parse_ahead_module
from purposely.ingest.fields import check_country, parse_partial_date, post_category
from purposely.ingest.report import ImportReport
from purposely.ingest.writer import (
    ConsentRow,
    DeleteRow,
    JobRow,
    RecordRow,
    Row,
    SubjectRow,
    Writer,
)
from purposely.policy import Policy
from purposely.store import Store

SOURCE = "jsonl"
CHANNEL = "import:jsonl"
Progress = Callable[[int], None]
# Files from this size on are parsed in a second process (starting it takes about a second).
PARSE_AHEAD_BYTES = 32 * 2**20
PARSE_AHEAD_BATCH = 2_000


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text, SQLite keeps it: refuse it for both, with the field named.
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


Text = Annotated[str, StringConstraints(min_length=1), AfterValidator(_no_nul)]
Body = Annotated[str, AfterValidator(_no_nul)]
# Bounded like the columns that hold them, so both databases refuse the same lines.
Short = Annotated[str, StringConstraints(min_length=1, max_length=255), AfterValidator(_no_nul)]
Lang = Annotated[str, StringConstraints(max_length=16, pattern=r"^[A-Za-z0-9_-]*$")]
NoticeVersion = Annotated[str, StringConstraints(min_length=1, max_length=128)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^\S+$")]


def _partial_date(value: str) -> str:
    parse_partial_date(value)
    return value


PartialDate = Annotated[str, AfterValidator(_partial_date)]
Country = Annotated[str, AfterValidator(check_country)]
Handle = Annotated[
    str,
    AfterValidator(lambda h: h.removeprefix("@")),
    StringConstraints(min_length=1, max_length=255, pattern=r"^@?\S+$"),
]


class _Line(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SubjectLine(_Line):
    """A member: id, handle, birth date, country."""

    type: Literal["subject"]
    id: Id
    handle: Handle | None = None
    birth_date: PartialDate | None = None
    country: Country | None = None


class PostLine(_Line):
    """A post; its visibility decides its category."""

    type: Literal["post"]
    id: Id
    subject: Id
    text: Body
    visibility: Literal["public", "private"]
    lang: Lang | None = None
    created_at: AwareDatetime


class MessageLine(_Line):
    """A direct message from ``sender`` to ``recipients``."""

    type: Literal["message"]
    id: Id
    sender: Id
    recipients: list[Id] = Field(min_length=1)
    text: Body
    lang: Lang | None = None
    created_at: AwareDatetime


class EmploymentLine(_Line):
    """A position in the subject's employment history."""

    type: Literal["employment"]
    subject: Id
    id: Id | None = None
    title: Text
    employer: Text
    start: PartialDate | None = None
    end: PartialDate | None = None
    description: str | None = None


class EducationLine(_Line):
    """A school, degree or field of study."""

    type: Literal["education"]
    subject: Id
    id: Id | None = None
    school: Text
    degree: str | None = None
    field: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None


class SkillLine(_Line):
    """A skill in the subject's profile."""

    type: Literal["skill"]
    subject: Id
    id: Id | None = None
    name: Text


class JobPreferencesLine(_Line):
    """What work the subject looks for; one per subject."""

    type: Literal["job_preferences"]
    subject: Id
    titles: list[Text] = Field(default_factory=list)
    locations: list[Text] = Field(default_factory=list)
    remote: bool | None = None
    open_to_work: bool = False


class JobLine(_Line):
    """A job listing."""

    type: Literal["job"]
    id: Id
    employer: Short
    title: Short
    description: Body | None = None
    location: Short | None = None
    skills: list[Text] = Field(default_factory=list)
    posted_at: AwareDatetime | None = None


class ConsentLine(_Line):
    """A subject's decision about a purpose."""

    type: Literal["consent"]
    subject: Id
    purpose: Text
    decision: Decision
    at: AwareDatetime
    notice_version: NoticeVersion = "unrecorded"
    categories: list[Text] | None = None


class DeleteLine(_Line):
    """Removes the post or message with ``id``."""

    type: Literal["delete"]
    id: Id
    at: AwareDatetime | None = None


Line = Annotated[
    SubjectLine
    | PostLine
    | MessageLine
    | EmploymentLine
    | EducationLine
    | SkillLine
    | JobPreferencesLine
    | JobLine
    | ConsentLine
    | DeleteLine,
    Field(discriminator="type"),
]
LINE = TypeAdapter[Line](Line)
TYPES = (
    "subject",
    "post",
    "message",
    "employment",
    "education",
    "skill",
    "job_preferences",
    "job",
    "consent",
    "delete",
)


def ingest_jsonl(
    store: Store,
    policy: Policy,
    path: Path,
    progress: Progress | None = None,
    *,
    parse_ahead: bool | None = None,
) -> ImportReport:
    """Import ``path`` into ``store`` in one transaction; return what was stored and skipped.

    ``parse_ahead`` parses in a second process while this one writes (by default, for files
    of :data:`PARSE_AHEAD_BYTES` or more on a machine with two cores or more).
    """
    report = ImportReport(source=str(path), format="jsonl")
    try:
        handle = path.open("rb")
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror}") from None
    with handle:
        if parse_ahead is None:
            parse_ahead = parse_ahead_module.worth_it(size, PARSE_AHEAD_BYTES)
        # Parsed lazily inside the transaction: the file is never held in memory.
        rows: Iterable[Row]
        if parse_ahead:
            rows = parse_ahead_module.parsed_ahead(_row_batches, path, progress=progress)
        else:
            rows = _file_rows(handle, str(path), progress)
        _write(store, policy, report, rows)
    return report


Event = Mapping[str, Any] | bytes | str


def ingest_events(
    store: Store,
    policy: Policy,
    events: Sequence[Event | Line],
    origin: str = "events",
    *,
    channel: str = "import:events",
) -> ImportReport:
    """Import ``events`` (objects of the JSONL format, as dicts, JSON text or parsed lines)
    in one transaction; return what was stored and skipped.

    All events are validated before anything is written; a bad one fails the batch with
    ``ORIGIN[INDEX]: what is wrong`` (an :class:`InputError`) and nothing is stored.
    ``channel`` is recorded with each consent decision (where it was taken).
    """
    report = ImportReport(source=origin, format="events")
    rows = [
        _row(_validated(event, f"{origin}[{i}]"), f"{origin}[{i}]", channel)
        for i, event in enumerate(events)
    ]
    _write(store, policy, report, rows)
    return report


def _write(store: Store, policy: Policy, report: ImportReport, rows: Iterable[Row]) -> None:
    """Apply ``rows`` through one writer in one transaction."""
    with store.write() as conn:
        writer = Writer(conn, store, policy, report)
        put = writer.put
        for row in rows:
            put(row)
        writer.flush()


def _file_rows(handle: Iterable[bytes], name: str, progress: Progress | None) -> Iterator[Row]:
    for number, raw in enumerate(handle, start=1):
        if progress is not None:
            progress(len(raw))
        if not raw.strip():
            continue
        origin = f"{name}:{number}"
        yield _row(_parse(raw, origin), origin, CHANNEL)


def _row_batches(path: Path) -> Iterator[tuple[list[Row], int]]:
    """The rows of the file at ``path`` in batches, each with the bytes it took (for
    :func:`~purposely.ingest.parse_ahead.parsed_ahead`, in the parsing process)."""
    rows: list[Row] = []
    size = 0

    def count(length: int) -> None:
        nonlocal size
        size += length

    with path.open("rb") as handle:
        for row in _file_rows(handle, str(path), count):
            rows.append(row)
            if len(rows) >= PARSE_AHEAD_BATCH:
                yield rows, size
                rows, size = [], 0
    yield rows, size


def _parse(raw: bytes, origin: str) -> Line:
    try:
        return LINE.validate_json(raw)
    except ValidationError as exc:
        raise InputError(f"{origin}: {_describe(exc)}") from None


def _validated(event: Event | Line, origin: str) -> Line:
    if isinstance(event, bytes | str):
        return _parse(event.encode() if isinstance(event, str) else event, origin)
    try:
        return LINE.validate_python(event)
    except ValidationError as exc:
        raise InputError(f"{origin}: {_describe(exc)}") from None


def _describe(exc: ValidationError) -> str:
    return describe_error(exc.errors(include_url=False)[0])


def describe_error(err: ErrorDetails) -> str:
    """One validation error of a line (``loc`` starting at the line) as the importer words it:
    which record type, which field, what is wrong."""
    kind, loc = err["type"], [str(p) for p in err["loc"]]
    record = loc[0] if loc and loc[0] in TYPES else None
    where = ".".join(loc[1:] if record else loc)
    prefix = f"{record}: " if record else ""
    ctx = err.get("ctx") or {}
    if kind == "json_invalid":
        return f"not valid JSON ({ctx['error']})" if "error" in ctx else "not valid JSON"
    if kind == "union_tag_invalid":
        return f"unknown record type {ctx['tag']!r}: expected one of {', '.join(TYPES)}"
    if kind == "union_tag_not_found":
        return "missing field 'type'"
    if kind in ("model_attributes_type", "model_type", "dict_type"):
        return "expected a JSON object"
    if kind == "missing":
        return f"{prefix}missing required field {where!r}"
    if kind == "extra_forbidden":
        return f"{prefix}unknown field {where!r}"
    return f"{prefix}field {where!r}: {err['msg'].removeprefix('Value error, ')}"


def _derived_id(kind: str, *parts: Any) -> str:
    """A stable id for records the format sends without one (the same content, the same id)."""
    digest = hashlib.sha1(json.dumps(parts, default=str).encode()).hexdigest()[:20]
    return f"{kind}:{digest}"


def _own_id(kind: str, given: str | None, *parts: Any) -> str:
    return f"{kind}:{given}" if given is not None else _derived_id(kind, *parts)


def _row(line: Line, origin: str, channel: str) -> Row:
    """The writer's row for one parsed line (no store needed: it runs in the parsing process)."""
    match line:
        case SubjectLine():
            return SubjectRow(
                id=line.id,
                source=SOURCE,
                origin=origin,
                handle=line.handle,
                birth_date=line.birth_date,
                born_no_later_than=(
                    parse_partial_date(line.birth_date) if line.birth_date else None
                ),
                country=line.country,
            )
        case PostLine():
            return RecordRow(
                subject_id=line.subject,
                source=SOURCE,
                source_id=line.id,
                kind="post",
                category=post_category(line.visibility == "public"),
                origin=origin,
                text=line.text,
                data={"visibility": line.visibility},
                lang=line.lang,
                created_at=line.created_at,
            )
        case MessageLine():
            return RecordRow(
                subject_id=line.sender,
                source=SOURCE,
                source_id=line.id,
                kind="message",
                category="user.content.private.message",
                origin=origin,
                text=line.text,
                data={"recipients": line.recipients},
                lang=line.lang,
                created_at=line.created_at,
            )
        case EmploymentLine():
            return _profile(
                line.subject,
                "employment",
                "user.employment_history",
                origin,
                _own_id("employment", line.id, line.subject, line.title, line.employer, line.start),
                {
                    "title": line.title,
                    "employer": line.employer,
                    "start": line.start,
                    "end": line.end,
                },
                text=line.description,
            )
        case EducationLine():
            return _profile(
                line.subject,
                "education",
                "user.education",
                origin,
                _own_id(
                    "education",
                    line.id,
                    line.subject,
                    line.school,
                    line.degree,
                    line.field,
                    line.start,
                ),
                {
                    "school": line.school,
                    "degree": line.degree,
                    "field": line.field,
                    "start": line.start,
                    "end": line.end,
                },
            )
        case SkillLine():
            return _profile(
                line.subject,
                "skill",
                "user.skills",
                origin,
                _own_id("skill", line.id, line.subject, line.name.casefold()),
                {"name": line.name},
            )
        case JobPreferencesLine():
            return _profile(
                line.subject,
                "job_preferences",
                "user.job_preferences",
                origin,
                f"job_preferences:{line.subject}",
                line.model_dump(exclude={"type", "subject"}),
            )
        case JobLine():
            return JobRow(
                id=line.id,
                employer=line.employer,
                title=line.title,
                source=SOURCE,
                description=line.description,
                location=line.location,
                skills=tuple(line.skills),
                posted_at=line.posted_at,
            )
        case ConsentLine():
            return ConsentRow(
                subject_id=line.subject,
                purpose=line.purpose,
                decision=line.decision,
                at=line.at,
                notice_version=line.notice_version,
                channel=channel,
                origin=origin,
                categories=tuple(line.categories) if line.categories else None,
            )
        case DeleteLine():
            return DeleteRow(SOURCE, line.id, ("post", "message"))
    raise AssertionError(f"unhandled line type {line.type!r}")  # LINE admits no other type


def _profile(
    subject: str,
    kind: str,
    category: str,
    origin: str,
    source_id: str,
    data: dict[str, Any],
    *,
    text: str | None = None,
    created_at: datetime | None = None,
) -> RecordRow:
    return RecordRow(
        subject_id=subject,
        source=SOURCE,
        source_id=source_id,
        kind=kind,
        category=category,
        origin=origin,
        text=text,
        data=data,
        created_at=created_at,
    )
