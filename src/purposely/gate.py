"""The gate: the one door to personal data.

Every use of personal data asks: *for purpose P, which records may I use, as of consent
watermark W?* The gate answers from the data map (each record's category), the policy and
the consent ledger, says why it withholds everything it withholds, and appends one audit
event per question.

The decision is taken in SQL, set-wise: one verdict per subject (age, country's legal
basis, standing consent), one per category (policy and hard rules), combined per record by
the database. No Python loop runs per record, so a question over millions of records costs
one aggregate query.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import (
    CTE,
    ColumnElement,
    Connection,
    FromClause,
    Select,
    Subquery,
    TextClause,
    and_,
    case,
    distinct,
    exists,
    false,
    func,
    literal,
    null,
    or_,
    select,
    text,
    true,
    union_all,
)

from purposely import audit
from purposely.consent.ledger import LEDGER, Decision
from purposely.errors import PurposelyError
from purposely.policy import LegalBasis, Policy, load_policy
from purposely.policy.hard_rules import record_withheld_reason
from purposely.store import Store
from purposely.store.bulk import many_keys
from purposely.store.models import PROFILE_RECORDS, ConsentEvent, Record, Subject
from purposely.store.subjects import SubjectRef, find_subject
from purposely.taxonomy import CATEGORIES, PRIVATE_CONTENT, covers

# Categories of posts and messages (and other content members write) start with this.
_CONTENT = "user.content"

# SQLite understands the MATERIALIZED hint from 3.35 on; older ones get the same answers
# from a slower plan.
_SQLITE_MATERIALIZES = sqlite3.sqlite_version_info >= (3, 35)

# Why a record is withheld, in the order the gate checks: the first that applies is reported.
REASONS = (
    "private",
    "category_not_allowed",
    "minor",
    "no_legal_basis",
    "objected",
    "withdrawn",
    "no_consent",
)


@dataclass(frozen=True)
class Answer:
    """What the gate allows for a purpose, and what it withholds by reason."""

    purpose: str
    caller: str
    watermark: int
    as_of: date
    policy_digest: str
    allowed: dict[str, int]
    withheld: dict[str, int]
    withheld_by_category: dict[str, dict[str, int]]
    subjects_allowed: int
    audit_seq: int
    subject: SubjectRef | None = None
    record_ids: tuple[tuple[str, str], ...] | None = field(default=None, repr=False)

    @property
    def records_allowed(self) -> int:
        """Number of records the purpose may use."""
        return sum(self.allowed.values())

    @property
    def records_withheld(self) -> int:
        """Number of records withheld, for any reason."""
        return sum(self.withheld.values())


@dataclass(frozen=True)
class AllowedRecord:
    """A record released for a use, with what its release relied on (for lineage)."""

    pk: int
    subject_pk: int
    source: str
    source_id: str
    kind: str
    category: str
    text: str | None
    data: dict[str, Any] | None
    lang: str | None
    created_at: datetime | None
    basis: LegalBasis
    consent_seq: int | None


# The rights a member's own data is disclosed for, and the audit action each is logged as.
RIGHTS = {"access": "rights.access", "portability": "rights.export"}


@dataclass(frozen=True)
class StoredRecord:
    """A record as stored, for a subject's own access or export."""

    pk: int
    source: str
    source_id: str
    kind: str
    category: str
    text: str | None
    data: dict[str, Any] | None
    lang: str | None
    created_at: datetime | None
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> StoredRecord:
        """From a ``records`` row."""
        return cls(
            pk=int(row["pk"]),
            source=row["source"],
            source_id=row["source_id"],
            kind=row["kind"],
            category=row["category"],
            text=row["text"],
            data=row["data"],
            lang=row["lang"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )


@dataclass(frozen=True)
class Disclosure:
    """Everything stored about one subject: their profile row and every record."""

    subject: SubjectRef
    profile: dict[str, Any]
    records: list[StoredRecord]
    audit_seq: int


@dataclass(frozen=True)
class Changed:
    """A subject whose answer for a purpose may have changed, and how."""

    subject: SubjectRef
    # A consent decision about the purpose was recorded, or the subject came of age.
    decided: bool
    # The latest write to the subject's row or to a record the purpose may use, if any, and
    # how many of those rows were written (a row stamped earlier but committed later raises
    # the count, not the time).
    updated_at: datetime | None
    writes: int = 0


@dataclass(frozen=True)
class Changes:
    """The subjects whose answer for a purpose may differ from an earlier one, and where this
    was asked: the ledger position and date to start from next time."""

    purpose: str
    watermark: int
    as_of: date
    subjects: tuple[Changed, ...]


class Gate:
    """Ask it for a purpose; it answers from policy, data map and ledger, and logs the question."""

    def __init__(self, store: Store, policy: Policy | None = None) -> None:
        self.store = store
        self.policy = policy if policy is not None else load_policy()

    def ask(
        self,
        purpose: str,
        *,
        caller: str,
        subject: str | None = None,
        watermark: int | None = None,
        as_of: date | None = None,
        list_ids: bool = False,
    ) -> Answer:
        """Decide what ``purpose`` may use as of ``watermark`` (now if None) and log it.

        With ``subject`` (an id or ``@handle``) the question covers that subject only, and
        ``list_ids`` returns the ids of the records allowed, as their source gave them.
        """
        self.policy.rule(purpose)  # unknown purpose: refused before anything is read
        as_of = as_of or datetime.now(UTC).date()
        with self.store.read() as conn:
            watermark = _checked_watermark(conn, watermark)
            ref = find_subject(conn, subject) if subject is not None else None
            plan = _Plan(self.policy, purpose, watermark, as_of, ref)
            counts = plan.counts(conn)
            ids = plan.record_ids(conn) if (list_ids and ref is not None) else None
        entry = audit.AuditEntry(
            caller=caller,
            action="gate.ask",
            purpose=purpose,
            categories=tuple(counts.allowed),
            subjects=counts.subjects_allowed,
            records=sum(counts.allowed.values()),
            withheld=counts.withheld,
            watermark=watermark,
            details=_details(self.policy, as_of, ref, ids),
            subjects_named=(ref.pseudonym,) if ref is not None else (),
        )
        with self.store.write() as conn:
            seq = audit.append(conn, entry)
        return Answer(
            purpose=purpose,
            caller=caller,
            watermark=watermark,
            as_of=as_of,
            policy_digest=self.policy.digest,
            allowed=counts.allowed,
            withheld=counts.withheld,
            withheld_by_category=counts.by_category,
            subjects_allowed=counts.subjects_allowed,
            audit_seq=seq,
            subject=ref,
            record_ids=ids,
        )

    def disclose(self, subject: str, *, caller: str, right: str) -> Disclosure:
        """Everything stored about one subject, for that subject's own right of access or
        portability (GDPR Art. 15 and 20).

        No consent is needed to give members their own data, so no purpose is checked; the
        disclosure is still logged, naming the subject, like every other door to their data.
        """
        if right not in RIGHTS:
            raise PurposelyError(f"unknown right {right!r}: one of {', '.join(RIGHTS)}")
        s, r = Subject.__table__, Record.__table__
        with self.store.read() as conn:
            ref = find_subject(conn, subject)
            profile = dict(conn.execute(select(s).where(s.c.pk == ref.pk)).mappings().one())
            query = select(r).where(r.c.subject_pk == ref.pk).order_by(r.c.category, r.c.pk)
            records = [StoredRecord.from_row(row) for row in conn.execute(query).mappings()]
            head = LEDGER.head(conn)[0]
        categories = sorted({rec.category for rec in records})
        entry = audit.AuditEntry(
            caller=caller,
            action=RIGHTS[right],
            purpose="-",
            categories=tuple(categories),
            subjects=1,
            records=len(records),
            withheld={},
            watermark=head,
            subjects_named=(ref.pseudonym,),
        )
        with self.store.write() as conn:
            seq = audit.append(conn, entry)
        return Disclosure(ref, profile, records, seq)

    def records(self, answer: Answer, *, batch_size: int = 10_000) -> Iterator[AllowedRecord]:
        """Stream the records ``answer`` allows, in record order, under the same rules.

        Read in one snapshot. Records changed since the question are judged again with the
        answer's watermark and date, so a record deleted or turned private since is not
        returned.
        """
        with self.store.read() as conn:
            plan = _Plan(
                self.policy, answer.purpose, answer.watermark, answer.as_of, answer.subject
            )
            result = conn.execution_options(yield_per=batch_size).execute(plan.allowed_rows())
            for row in result.mappings():
                yield AllowedRecord(
                    pk=int(row["pk"]),
                    subject_pk=int(row["subject_pk"]),
                    source=row["source"],
                    source_id=row["source_id"],
                    kind=row["kind"],
                    category=row["category"],
                    text=row["text"],
                    data=row["data"],
                    lang=row["lang"],
                    created_at=row["created_at"],
                    basis=LegalBasis(row["basis"]),
                    consent_seq=None if row["consent_seq"] is None else int(row["consent_seq"]),
                )

    def record_batches(
        self, answer: Answer, *, batch_size: int = 50_000
    ) -> Iterator[pa.RecordBatch]:
        """:meth:`records` as Arrow batches of the columns in :data:`BATCH_SCHEMA`.

        The fast path for bulk uses such as dataset builds: no object per record. On SQLite
        (pysqlite) and PostgreSQL (psycopg) the rows come from the driver's own cursor
        (streamed in bounded chunks on PostgreSQL), past SQLAlchemy's row objects and per-value type
        processing, and Arrow turns each batch of row tuples into columns at once: this
        stream is the part of a dataset build that cannot be spread over workers, and the
        per-row machinery cost more than the query itself (bench/build.py).
        """
        with self.store.read() as conn:
            plan = _Plan(
                self.policy, answer.purpose, answer.watermark, answer.as_of, answer.subject
            )
            raw = (conn.dialect.name, conn.dialect.driver) in _RAW_DRIVERS
            # pysqlite returns times as the text they are stored as; the others as datetimes.
            text_times = raw and conn.dialect.name == "sqlite"
            process = Record.__table__.c.created_at.type.result_processor(conn.dialect, None)
            row_type = _TEXT_TIME_ROW if text_times else _ROW
            for rows in _row_batches(conn, plan.allowed_rows(lean=True), batch_size, raw=raw):
                values = rows if raw else [tuple(row) for row in rows]
                batch = pa.RecordBatch.from_struct_array(pa.array(values, type=row_type))
                if text_times:
                    times = _utc_times(batch.column(_TIME_COLUMN), process)
                    batch = batch.set_column(_TIME_COLUMN, BATCH_SCHEMA.field(_TIME_COLUMN), times)
                yield batch

    def changes(
        self,
        purpose: str,
        *,
        watermark: int,
        since: datetime,
        as_of_was: date | None = None,
        as_of: date | None = None,
    ) -> Changes:
        """The subjects whose answer for ``purpose`` may differ from one given at ``watermark``
        on ``as_of_was``, with writes up to ``since`` seen: those with a consent decision about
        the purpose after ``watermark``; those whose own row (country, birth date) or a record
        of a category the purpose may use was written after ``since``; and, for a purpose that
        excludes minors, those who came of age between ``as_of_was`` and ``as_of`` (today).

        For keeping something derived from earlier answers current (the job matching index)
        by asking again about these subjects only, never about everyone. It names subjects and
        reads no content and releases nothing, so, like :meth:`recheck`, it is not an audit
        event. Erased subjects are not named: nothing names them any more.
        """
        rule = self.policy.rule(purpose)
        as_of = as_of or datetime.now(UTC).date()
        s, ce = Subject.__table__, ConsentEvent.__table__
        refs = (s.c.pk, s.c.id, s.c.handle, s.c.pseudonym)
        found: dict[int, Changed] = {}

        def note(row: Any, decided: bool, at: datetime | None, writes: int = 0) -> None:
            ref = SubjectRef(int(row.pk), row.id, row.handle, row.pseudonym)
            seen = found.get(ref.pk)
            if seen is not None:
                decided = decided or seen.decided
                at = max((t for t in (at, seen.updated_at) if t is not None), default=None)
                writes += seen.writes
            found[ref.pk] = Changed(ref, decided, at, writes)

        with self.store.read() as conn:
            head = _checked_watermark(conn, None)
            _checked_watermark(conn, watermark)
            decided = select(ce.c.subject_pseudonym).where(
                ce.c.purpose == purpose, ce.c.seq > watermark, ce.c.seq <= head
            )
            for row in conn.execute(select(*refs).where(s.c.pseudonym.in_(decided))):
                note(row, True, None)
            if rule.exclude_minors and as_of_was is not None and as_of_was != as_of:
                was, now = (
                    _minor_cutoff(day, self.policy.minimum_age) for day in (as_of_was, as_of)
                )
                born = s.c.born_no_later_than
                crossed = and_(born > min(was, now), born <= max(was, now))
                for row in conn.execute(select(*refs).where(crossed)):
                    note(row, True, None)
            rewritten = select(*refs, s.c.updated_at).where(s.c.updated_at > since)
            for subject_row in conn.execute(rewritten):
                note(subject_row, False, subject_row.updated_at, 1)
            query = _written_since(refs, _usable_categories(self.policy, purpose), since)
            for record_row in conn.execute(query):
                note(record_row, False, record_row.at, int(record_row.n))
        subjects = tuple(found[pk] for pk in sorted(found))
        return Changes(purpose=purpose, watermark=head, as_of=as_of, subjects=subjects)

    def recheck(
        self,
        purpose: str,
        scope: Select[Any],
        *,
        subjects: Select[Any] | list[int] | None = None,
        as_of: date | None = None,
    ) -> dict[int, str]:
        """Which records of ``scope`` (a query of record pks) the gate would withhold now, and why.

        ``subjects``, the pks (or a query of them) of subjects owning every record of
        ``scope``, spares judging the others. A record that no longer exists is ``deleted``.
        Used to find dataset samples that no longer hold; it reads no content and releases
        nothing, so it is not an audit event.
        """
        self.policy.rule(purpose)
        as_of = as_of or datetime.now(UTC).date()
        with self.store.read() as conn:
            plan = _Plan(self.policy, purpose, LEDGER.head(conn)[0], as_of, None)
            withheld: dict[int, str] = {}
            reasons: dict[str, str | None] = {}
            for pk, category, subject_reason in conn.execute(plan.judge(scope, subjects)):
                if category is None:
                    withheld[int(pk)] = "deleted"
                    continue
                if category not in reasons:
                    reasons[category] = category_reason(self.policy, purpose, category)
                reason = reasons[category] or subject_reason
                if reason is not None:
                    withheld[int(pk)] = reason
        return withheld


# The columns of Gate.record_batches, in order.
BATCH_SCHEMA = pa.schema(
    [
        ("pk", pa.int64()),
        ("subject_pk", pa.int64()),
        ("kind", pa.string()),
        ("category", pa.string()),
        ("text", pa.string()),
        ("lang", pa.string()),
        ("created_at", pa.timestamp("us", tz="UTC")),
        ("basis", pa.string()),
        ("consent_seq", pa.int64()),
    ]
)


# Drivers whose cursors record_batches reads directly (the others go through SQLAlchemy).
_RAW_DRIVERS = {("sqlite", "pysqlite"), ("postgresql", "psycopg")}
_UTC_MICROS = pa.timestamp("us", tz="UTC")
_TIME_COLUMN = BATCH_SCHEMA.get_field_index("created_at")
_ROW = pa.struct(list(BATCH_SCHEMA))
_TEXT_TIME_ROW = pa.struct(
    [pa.field(f.name, pa.string()) if f.name == "created_at" else f for f in BATCH_SCHEMA]
)
# How SQLAlchemy writes a DATETIME into SQLite, and how purposely's bulk path writes it too.
_SQLITE_TIME = r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$"


def _row_batches(
    conn: Connection, query: Select[Any], batch_size: int, *, raw: bool
) -> Iterator[Sequence[Any]]:
    """The rows of ``query`` in lists of up to ``batch_size``.

    ``raw``: run the statement on the driver's cursor inside ``conn``'s transaction
    (streamed, or with an older libpq a named server-side cursor, on PostgreSQL, so memory
    stays bounded) and return its tuples as they are. The parameters are then rendered
    into the SQL by SQLAlchemy's literal processors (quoted and escaped); they are the
    gate's own values (policy keys, country codes, ledger positions, a date, a subject's
    pk), never a caller's text. Otherwise
    SQLAlchemy's rows, with its type processing.
    """
    if not raw:
        yield from conn.execution_options(yield_per=batch_size).execute(query).partitions()
        return
    dialect = conn.dialect
    sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    driver = conn.connection.driver_connection
    assert driver is not None, "a connection in use has its driver connection"
    if dialect.name == "postgresql" and _chunked_rows():
        yield from _streamed_batches(driver, sql, batch_size)
        return
    if dialect.name == "postgresql":
        # Empty parameters, so that psycopg turns the escaped ``%%`` of literals back into %.
        cursor = driver.cursor(name=f"purposely_stream_{id(query):x}")
        params: Any = {}
    else:
        cursor = driver.cursor()
        params = ()
    try:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(batch_size):
            yield rows
    finally:
        cursor.close()


# Rows PostgreSQL sends per message when a result is streamed (see _streamed_batches).
_PG_CHUNK_ROWS = 2_000


def _chunked_rows() -> bool:
    """Whether psycopg's libpq can stream a result in chunks of rows (libpq 17 and later)."""
    import psycopg

    return psycopg.pq.version() >= 170_000


def _streamed_batches(driver: Any, sql: str, batch_size: int) -> Iterator[list[Any]]:
    """The rows of ``sql`` on PostgreSQL in lists of up to ``batch_size``, streamed.

    Not a server-side cursor (``DECLARE``): PostgreSQL never runs a cursor's query in
    parallel, and plans it for its first rows. Streamed, the allowed-rows query sorts on
    both cores and its first rows arrive in less than half the time (bench/build.py).
    Memory stays bounded all the same: libpq holds one chunk at a time. Closing the
    generator early cancels the query.
    """
    rows = driver.cursor().stream(sql, {}, size=_PG_CHUNK_ROWS)
    try:
        while batch := list(islice(rows, batch_size)):
            yield batch
    finally:
        rows.close()


def _utc_times(text: pa.Array, process: Callable[[Any], Any] | None) -> pa.Array:
    """Times stored as SQLite text, as the UTC timestamps SQLAlchemy's ``UTCDateTime`` reads.

    Text in the one form SQLAlchemy and purposely's bulk path write is parsed by Arrow for
    the whole batch; a batch holding any other text goes through the column type's own
    result processor, value by value, so the two can never disagree.
    """
    if pc.all(pc.match_substring_regex(text, _SQLITE_TIME)).as_py() is not False:
        return text.cast(pa.timestamp("us")).cast(_UTC_MICROS)
    values = text.to_pylist()
    return pa.array([process(v) for v in values] if process else values, _UTC_MICROS)


def category_reason(policy: Policy, purpose: str, category: str) -> str | None:
    """Why ``purpose`` may not use records of ``category`` at all, or None if it may."""
    if (hard := record_withheld_reason(purpose, category)) is not None:
        return hard
    if category not in CATEGORIES or not policy.rule(purpose).uses(category):
        return "private" if covers(PRIVATE_CONTENT, category) else "category_not_allowed"
    return None


def _written_since(refs: tuple[Any, ...], usable: list[str], since: datetime) -> Select[Any]:
    """``refs`` of each subject with records of ``usable`` categories written after
    ``since``, with the latest write (``at``) and how many (``n``).

    The rows written since are found through the index on write times, then grouped: asked
    in one query, SQLite scanned all records in subject order for the GROUP BY.
    """
    r, s = Record.__table__, Subject.__table__
    wanted: list[ColumnElement[bool] | TextClause] = [
        r.c.updated_at > since,
        r.c.category.in_(usable),
    ]
    if not any(covers(_CONTENT, c) for c in usable):
        # No posts or messages for this purpose (the job purposes): the same term as the
        # partial index on profile records' write times, so that it is used.
        wanted.append(text(PROFILE_RECORDS))
    recent = select(r.c.subject_pk, r.c.updated_at).where(*wanted).cte("recent")
    if _SQLITE_MATERIALIZES:
        recent = recent.prefix_with("MATERIALIZED", dialect="sqlite")
    written = (
        select(
            recent.c.subject_pk,
            func.max(recent.c.updated_at).label("at"),
            func.count().label("n"),
        )
        .group_by(recent.c.subject_pk)
        .subquery("written")
    )
    return select(*refs, written.c.at, written.c.n).join(written, written.c.subject_pk == s.c.pk)


def _minor_cutoff(as_of: date, years: int) -> date:
    """The latest birth date of someone who is ``years`` old on ``as_of``."""
    try:
        return as_of.replace(year=as_of.year - years)
    except ValueError:  # 29 February
        return as_of.replace(year=as_of.year - years, day=28)


def _usable_categories(policy: Policy, purpose: str) -> list[str]:
    """The categories ``purpose`` may use. A filter only: absent ones match nothing."""
    return [c for c in sorted(CATEGORIES) if category_reason(policy, purpose, c) is None]


def _checked_watermark(conn: Connection, watermark: int | None) -> int:
    head = LEDGER.head(conn)[0]
    if watermark is None:
        return head
    if not 0 <= watermark <= head:
        raise PurposelyError(f"watermark {watermark} is outside the consent ledger (0..{head})")
    return watermark


def _details(
    policy: Policy, as_of: date, ref: SubjectRef | None, ids: tuple[tuple[str, str], ...] | None
) -> dict[str, Any]:
    details: dict[str, Any] = {"policy": policy.digest, "as_of": as_of.isoformat()}
    if ref is not None:
        details["subject"] = ref.pseudonym
    if ids is not None:
        details["record_ids"] = len(ids)
    return details


@dataclass(frozen=True)
class Counts:
    """What one question counted: records allowed per category, withheld per reason (and per
    category and reason), and how many subjects have at least one record allowed."""

    allowed: dict[str, int]
    withheld: dict[str, int]
    by_category: dict[str, dict[str, int]]
    subjects_allowed: int


class _Plan:
    """The SQL for one question: subject verdicts joined to records.

    Shaped for both databases' planners (see bench/gate.py for the figures):

    - a subject's standing decision is the ledger entry with no later entry for the same
      subject and purpose (``NOT EXISTS``): SQLite answers it with two probes of the
      ledger's (purpose, pseudonym, seq) index per subject, PostgreSQL with a hash anti-join,
      where a window function over the ledger left SQLite scanning it once per record;
    - counting first groups records by (subject, category), which reads only the
      (subject_pk, category) index, so each subject's verdict is joined once per category
      rather than once per record, and categories the purpose may not use at all skip the
      verdict (their reason does not depend on the subject); the subjects allowed are
      counted in the same statement, from the same verdicts.
    """

    def __init__(
        self, policy: Policy, purpose: str, watermark: int, as_of: date, ref: SubjectRef | None
    ) -> None:
        self.policy = policy
        self.purpose = purpose
        self.watermark = watermark
        self.as_of = as_of
        self.ref = ref

    # --- per subject -------------------------------------------------------------------------

    def _latest_decision(self, pseudonym: Any) -> tuple[FromClause, ColumnElement[bool]]:
        """The ledger aliased, and the join condition that picks the standing decision of the
        subject named ``pseudonym`` about the purpose as of the watermark: the entry for
        which no other has a later time, or the same time and a later place in the ledger."""
        ce = ConsentEvent.__table__
        latest = ce.alias("latest")
        later = ce.alias("later")
        superseded = exists().where(
            later.c.purpose == self.purpose,
            later.c.subject_pseudonym == latest.c.subject_pseudonym,
            later.c.seq <= self.watermark,
            or_(
                later.c.at > latest.c.at,
                and_(later.c.at == latest.c.at, later.c.seq > latest.c.seq),
            ),
        )
        on = and_(
            latest.c.purpose == self.purpose,
            latest.c.subject_pseudonym == pseudonym,
            latest.c.seq <= self.watermark,
            ~superseded,
        )
        return latest, on

    def _basis(self, country: Any) -> ColumnElement[str]:
        table = self.policy.bases(self.purpose)
        groups: dict[LegalBasis, list[str]] = {}
        for code, basis in table.by_country.items():
            if basis is not table.default:
                groups.setdefault(basis, []).append(code)
        whens: list[tuple[ColumnElement[bool], str]] = [
            (country.is_(None), table.unknown_country.value)
        ]
        whens += [(country.in_(sorted(codes)), basis.value) for basis, codes in groups.items()]
        return case(*whens, else_=literal(table.default.value))

    def _minor(self, born_no_later_than: Any) -> ColumnElement[bool]:
        if not self.policy.rule(self.purpose).exclude_minors:
            return false()
        cutoff = _minor_cutoff(self.as_of, self.policy.minimum_age)
        unknown = true() if self.policy.unknown_age_is_minor else false()
        return or_(and_(born_no_later_than.is_(None), unknown), born_no_later_than > cutoff)

    def _verdicts(self) -> Select[Any]:
        s = Subject.__table__
        latest, on = self._latest_decision(s.c.pseudonym)
        basis = self._basis(s.c.country)
        opt_in = (LegalBasis.CONSENT.value, LegalBasis.EXPLICIT_CONSENT.value)
        reason = case(
            (self._minor(s.c.born_no_later_than), "minor"),
            (basis == LegalBasis.NEVER.value, "no_legal_basis"),
            (latest.c.decision == Decision.OBJECT.value, "objected"),
            (latest.c.decision == Decision.WITHDRAW.value, "withdrawn"),
            (and_(basis.in_(opt_in), latest.c.decision.is_(None)), "no_consent"),
            (
                and_(basis == LegalBasis.EXPLICIT_CONSENT.value, latest.c.explicit == false()),
                "no_consent",
            ),
            else_=null(),
        )
        consent_seq = case((latest.c.decision == Decision.GRANT.value, latest.c.seq), else_=null())
        query = select(
            s.c.pk.label("subject_pk"),
            reason.label("reason"),
            basis.label("basis"),
            consent_seq.label("consent_seq"),
        ).select_from(s.outerjoin(latest, on))
        if self.ref is not None:
            query = query.where(s.c.pk == self.ref.pk)
        return query

    def verdicts(self) -> Subquery:
        """One row per subject: ``subject_pk``, ``reason`` (NULL if allowed), basis, consent."""
        return self._verdicts().subquery("verdicts")

    def _allowed_categories(self) -> list[str]:
        """The categories the purpose may use. A filter only: absent ones match nothing."""
        return _usable_categories(self.policy, self.purpose)

    # --- per record --------------------------------------------------------------------------

    def _from_records(self, query: Select[Any], v: Subquery | CTE) -> Select[Any]:
        """``query`` over records joined to their subject's verdict, scoped to the subject."""
        r = Record.__table__
        query = query.select_from(r.join(v, v.c.subject_pk == r.c.subject_pk))
        return query.where(r.c.subject_pk == self.ref.pk) if self.ref is not None else query

    def _per_subject_and_category(self, where: ColumnElement[bool]) -> Subquery:
        """Records counted per (subject, category): read from that index alone."""
        r = Record.__table__
        query = (
            select(r.c.subject_pk, r.c.category, func.count().label("n"))
            .where(where)
            .group_by(r.c.subject_pk, r.c.category)
        )
        if self.ref is not None:
            query = query.where(r.c.subject_pk == self.ref.pk)
        return query.subquery("per")

    def counts(self, conn: Connection) -> Counts:
        """Allowed records per category, withheld per reason, and the subjects allowed."""
        r = Record.__table__
        v = self.verdicts()
        usable = self._allowed_categories()
        per = self._per_subject_and_category(r.c.category.in_(usable))
        unusable = self._per_subject_and_category(r.c.category.not_in(usable))
        # Each subject's verdict, joined once per usable category it has records in. Read
        # twice below (totals, and the subjects allowed), so decided once.
        judged = (
            select(per.c.subject_pk, per.c.category, per.c.n, v.c.reason)
            .select_from(per.join(v, v.c.subject_pk == per.c.subject_pk))
            .cte("judged")
        )
        totals = select(judged.c.category, judged.c.reason, func.sum(judged.c.n)).group_by(
            judged.c.category, judged.c.reason
        )
        # The reason for these does not depend on the subject (category_reason below).
        unjudged = select(unusable.c.category, null(), func.sum(unusable.c.n)).group_by(
            unusable.c.category
        )
        # The one row without a category: the subjects with at least one record allowed.
        subjects = select(null(), null(), func.count(distinct(judged.c.subject_pk))).where(
            judged.c.reason.is_(None)
        )
        allowed: dict[str, int] = {}
        withheld: dict[str, int] = {}
        by_category: dict[str, dict[str, int]] = {}
        subjects_allowed = 0
        for category, subject_reason, total in conn.execute(union_all(totals, unjudged, subjects)):
            n = int(total)  # PostgreSQL sums to a decimal
            if category is None:
                subjects_allowed = n
                continue
            reason = category_reason(self.policy, self.purpose, category) or subject_reason
            if reason is None:
                allowed[category] = allowed.get(category, 0) + n
                continue
            withheld[reason] = withheld.get(reason, 0) + n
            per_reason = by_category.setdefault(category, {})
            per_reason[reason] = per_reason.get(reason, 0) + n
        return Counts(
            allowed=dict(sorted(allowed.items())),
            withheld={reason: withheld[reason] for reason in REASONS if reason in withheld},
            by_category=dict(sorted(by_category.items())),
            subjects_allowed=subjects_allowed,
        )

    def _allowed_filter(self, categories: list[str], v: Subquery | CTE) -> ColumnElement[bool]:
        r = Record.__table__
        return and_(v.c.reason.is_(None), r.c.category.in_(categories))

    def record_ids(self, conn: Connection) -> tuple[tuple[str, str], ...]:
        """``(source, id)`` of every allowed record, ids as the source gave them."""
        categories = self._allowed_categories()
        if not categories:
            return ()
        r = Record.__table__
        v = self.verdicts()
        query = (
            self._from_records(select(r.c.source, r.c.source_id), v)
            .where(self._allowed_filter(categories, v))
            .order_by(r.c.source, r.c.source_id)
        )
        return tuple((src, sid) for src, sid in conn.execute(query))

    def judge(
        self, scope: Select[Any], subjects: Select[Any] | list[int] | None = None
    ) -> Select[Any]:
        """``(pk, category, subject reason)`` for each record pk ``scope`` selects that the
        purpose may no longer use; category is NULL for a record that no longer exists.
        ``subjects`` (pks, or a query of them, owning all of them): judge only those subjects.

        The rows still allowed, nearly all of them when a snapshot is re-checked, are left
        out in SQL: fetching them only to drop them took most of a rebuild's re-check.
        """
        r = Record.__table__
        wanted = scope.subquery("scope")
        key = next(iter(wanted.c))
        verdicts = self._verdicts()
        if subjects is not None:
            listed = subjects if isinstance(subjects, Select) else many_keys(subjects)
            verdicts = verdicts.where(Subject.__table__.c.pk.in_(listed))
        v = verdicts.cte("verdicts")
        if _SQLITE_MATERIALIZES:
            v = v.prefix_with("MATERIALIZED", dialect="sqlite")
        no_longer = or_(
            r.c.category.is_(None),
            v.c.reason.is_not(None),
            r.c.category.not_in(self._allowed_categories()),
        )
        return (
            select(key, r.c.category, v.c.reason)
            .select_from(
                wanted.outerjoin(r, r.c.pk == key).outerjoin(v, v.c.subject_pk == r.c.subject_pk)
            )
            .where(no_longer)
        )

    def allowed_rows(self, *, lean: bool = False) -> Select[Any]:
        """Every allowed record with the basis and consent entry its release relies on.

        ``lean`` selects only the columns of :data:`BATCH_SCHEMA`, in its order.
        """
        r = Record.__table__
        v = self._verdicts().cte("verdicts")
        if _SQLITE_MATERIALIZES:
            # Decided once per subject up front: flattened into the record scan, SQLite
            # would decide again for every record. PostgreSQL plans it well either way.
            v = v.prefix_with("MATERIALIZED", dialect="sqlite")
        if lean:
            picked = [r.c.pk, r.c.subject_pk, r.c.kind, r.c.category, r.c.text, r.c.lang]
        else:
            picked = [
                r.c.pk,
                r.c.subject_pk,
                r.c.source,
                r.c.source_id,
                r.c.kind,
                r.c.category,
                r.c.text,
                r.c.data,
                r.c.lang,
            ]
        columns = select(*picked, r.c.created_at, v.c.basis, v.c.consent_seq)
        return (
            self._from_records(columns, v)
            .where(self._allowed_filter(self._allowed_categories(), v))
            .order_by(r.c.pk)
        )
