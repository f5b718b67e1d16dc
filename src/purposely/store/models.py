"""Tables. Personal data lives in ``subjects`` and ``records``; only the gate reads them for a use.

Each column that holds personal data names its data category in ``info["category"]``:
together with ``records.category`` this is the data map the gate and the notice read.
The consent ledger and the audit log name subjects only by a keyed pseudonym, so they can
stay as proof after a subject is erased (see DESIGN.md section 2).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so migrations can refer to them on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite keeps none)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive times; store everything in UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: purposely stores only timezone-aware times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Attach UTC where the database dropped the zone."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _category(key: str) -> dict[str, Any]:
    return {"category": key}


# The records of the partial index on write times: everything but posts and messages. Kept
# literal, so that a query with the same term can use the index (SQLite proves a partial
# index usable only from a term that matches its WHERE).
PROFILE_RECORDS = "kind NOT IN ('post', 'message')"


class Base(DeclarativeBase):
    """Declarative base with the naming convention above."""

    metadata = MetaData(naming_convention=NAMING)


class Meta(Base):
    """Installation facts: the secret's fingerprint, so a wrong key file is caught early."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Subject(Base):
    """A member of the platform."""

    __tablename__ = "subjects"

    pk: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(255), unique=True, info=_category("user.unique_id"))
    handle: Mapped[str | None] = mapped_column(
        String(255), unique=True, info=_category("user.account.username")
    )
    # HMAC of the id under the installation secret: the only name the ledger and audit know.
    pseudonym: Mapped[str] = mapped_column(String(64), unique=True)
    # As given: YYYY, YYYY-MM or YYYY-MM-DD.
    birth_date: Mapped[str | None] = mapped_column(
        String(10), info=_category("user.demographic.date_of_birth")
    )
    # The latest date the member can have been born on, from a birth date or an age (range);
    # NULL when nothing is known. Minor checks compare this one column.
    born_no_later_than: Mapped[date | None] = mapped_column(
        Date, info=_category("user.demographic.age_range")
    )
    country: Mapped[str | None] = mapped_column(
        String(2), info=_category("user.contact.address.country")
    )
    source: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Indexed: what changed since a moment is found without a scan (Gate.changes).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Record(Base):
    """One item of personal data about a subject, with its data category."""

    __tablename__ = "records"
    __table_args__ = (
        UniqueConstraint("source", "source_id"),
        Index("ix_records_subject_pk_category", "subject_pk", "category"),
        # When profile records (not posts or messages) were written, for Gate.changes. Posts
        # and messages are left out: they are most of an import, and indexing their times
        # cost about a quarter of a SQLite import (bench/README.md).
        Index(
            "ix_records_profile_updated_at",
            "updated_at",
            sqlite_where=text(PROFILE_RECORDS),
            postgresql_where=text(PROFILE_RECORDS),
        ),
    )

    pk: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    subject_pk: Mapped[int] = mapped_column(BigId, ForeignKey("subjects.pk", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(32))
    # The id as the source gave it (JSONL id, a tweet's id_str, a message id), or a key
    # derived from the content for records that come without one (skills, employment...).
    source_id: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(128))
    text: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    lang: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Indexed: what changed since a moment is found without a scan (Gate.changes).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ConsentEvent(Base):
    """One entry of the append-only, hash-chained consent ledger. ``seq`` is the watermark."""

    __tablename__ = "consent_events"
    __table_args__ = (
        Index("ix_consent_events_purpose_pseudonym", "purpose", "subject_pseudonym", "seq"),
    )

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    subject_pseudonym: Mapped[str] = mapped_column(String(64), index=True)
    purpose: Mapped[str] = mapped_column(String(128))
    decision: Mapped[str] = mapped_column(String(16))
    # A separate act that named the categories (GDPR Art. 9, BIPA): required for
    # purposes whose basis is explicit_consent.
    explicit: Mapped[bool] = mapped_column(Boolean, default=False)
    categories: Mapped[list[str] | None] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    notice_version: Mapped[str] = mapped_column(String(128))
    channel: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditEvent(Base):
    """One question asked of the gate (or another use), hash-chained like the ledger."""

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    caller: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(128))
    categories: Mapped[list[str]] = mapped_column(JSON)
    subjects: Mapped[int] = mapped_column(BigInteger)
    records: Mapped[int] = mapped_column(BigInteger)
    withheld: Mapped[dict[str, int]] = mapped_column(JSON)
    watermark: Mapped[int] = mapped_column(BigInteger)
    # The ledger's hash at the watermark: lets `audit verify` notice a truncated ledger.
    ledger_hash: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Job(Base):
    """A job listing. Not personal data: employers publish it."""

    __tablename__ = "jobs"

    pk: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(255), unique=True)
    employer: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(255))
    skills: Mapped[list[str]] = mapped_column(JSON)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Snapshot(Base):
    """One built dataset: what it was built for, from what, and whether it still holds."""

    __tablename__ = "snapshots"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(128))
    policy_digest: Mapped[str] = mapped_column(String(64))
    watermark: Mapped[int] = mapped_column(BigInteger)
    as_of: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    path: Mapped[str] = mapped_column(Text)
    executor: Mapped[str] = mapped_column(String(32))
    tool_version: Mapped[str] = mapped_column(String(32))
    # The snapshot this one was rebuilt from, if any.
    parent_id: Mapped[str | None] = mapped_column(String(32))
    # The snapshot whose `samples` rows hold this one's lineage: its own id for a build; for
    # a rebuild, the build it descends from, whose rows it shares minus its dropped_samples
    # (copying a million lineage rows cost a rebuild more than rewriting its shards).
    lineage_of: Mapped[str] = mapped_column(String(32), index=True)
    # Included and excluded by reason, redactions by entity, duplicates: as in manifest.json.
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    audit_seq: Mapped[int] = mapped_column(BigInteger)
    # What its samples were last checked against (purposely.datasets.staleness): the ledger
    # head, the store's time when the check began, and the policy. The next check looks
    # only at subjects with ledger entries or logged changes since; NULL: check them all.
    checked_watermark: Mapped[int | None] = mapped_column(BigInteger)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_policy: Mapped[str | None] = mapped_column(String(64))


class ChangeLog(Base):
    """A change outside the consent ledger that can alter the gate's answer about a record:
    a record deleted or moved to another category, kind or subject (written by database
    triggers, migration 0009, so that no writer can forget it), or a subject's country or
    age changed (written by the importers' writer, the one place subjects are written)."""

    __tablename__ = "change_log"

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    subject_pk: Mapped[int] = mapped_column(BigInteger)
    record_pk: Mapped[int | None] = mapped_column(BigInteger)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Shard(Base):
    """One Parquet file of a snapshot, with its checksum."""

    __tablename__ = "snapshot_shards"

    snapshot_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(BigInteger)
    bytes: Mapped[int] = mapped_column(BigInteger)


class Sample(Base):
    """Lineage of one sample: its record, subject, and the basis and consent relied on.

    ``record_pk`` and ``subject_pk`` are plain numbers, not foreign keys: the lineage must
    outlive a deleted record or an erased subject, to say which snapshot held them.
    ``snapshot_id`` is none either (migration 0010): rows are written and deleted only with
    their snapshot, and PostgreSQL's check of the key per row was a quarter of a build.
    """

    __tablename__ = "samples"
    # No index on record_pk: nothing looks samples up by record (migration 0011). On
    # PostgreSQL one partition per snapshot (migration 0012, purposely.store.partitions).
    __table_args__ = (
        Index("ix_samples_subject_pk", "subject_pk"),
        {"postgresql_partition_by": "LIST (snapshot_id)"},
    )

    snapshot_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sample_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    shard: Mapped[int] = mapped_column(Integer)
    record_pk: Mapped[int] = mapped_column(BigInteger)
    subject_pk: Mapped[int] = mapped_column(BigInteger)
    basis: Mapped[str] = mapped_column(String(32))
    consent_seq: Mapped[int | None] = mapped_column(BigInteger)


class DroppedSample(Base):
    """A sample of the snapshot's lineage (``Snapshot.lineage_of``) that it does not hold:
    one a rebuild (or an earlier one in its line) left out."""

    __tablename__ = "dropped_samples"

    snapshot_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True
    )
    sample_id: Mapped[str] = mapped_column(String(32), primary_key=True)


class StaleSample(Base):
    """A sample the gate would no longer release, and why (withdrawn, deleted, private...)."""

    __tablename__ = "stale_samples"

    snapshot_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sample_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    reason: Mapped[str] = mapped_column(String(32))
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Model(Base):
    """A model trained on snapshots: what lets a member's objection reach a model."""

    __tablename__ = "models"

    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registered_by: Mapped[str] = mapped_column(String(255))
    note: Mapped[str | None] = mapped_column(Text)


class ModelSnapshot(Base):
    """That a model was trained on a snapshot."""

    __tablename__ = "model_snapshots"

    model_name: Mapped[str] = mapped_column(
        String(255), ForeignKey("models.name", ondelete="CASCADE"), primary_key=True
    )
    snapshot_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("snapshots.id"), primary_key=True
    )


class AuditSubject(Base):
    """That an audit event's answer named or released a subject's records (by pseudonym).

    Kept for questions about few subjects (one member, a job search's candidates), so a
    member's access report can list who received their data; a dataset build's subjects are
    found through its lineage instead.
    """

    __tablename__ = "audit_subjects"

    audit_seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    subject_pseudonym: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class Tombstone(Base):
    """What was erased, as keyed hashes: a later import of the same data is skipped."""

    __tablename__ = "tombstones"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApiToken(Base):
    """A service's API token: scoped to purposes and operations. Only its hash is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    # SHA-256 of the secret part: a leaked database does not leak usable tokens.
    secret_sha256: Mapped[str] = mapped_column(String(64))
    purposes: Mapped[list[str]] = mapped_column(JSON)
    operations: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(255))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Account(Base):
    """A sign-in to the web: a member's (tied to their subject, erased with it) or a privacy
    officer's. The password hash is argon2; an account without one waits for its invitation."""

    __tablename__ = "accounts"

    pk: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    role: Mapped[str] = mapped_column(String(16))
    subject_pk: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("subjects.pk", ondelete="CASCADE"), unique=True
    )
    # An officer's sign-in name; members sign in with their id or @handle.
    login: Mapped[str | None] = mapped_column(String(255), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    invite_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebSession(Base):
    """A signed-in browser. The cookie holds a random secret; the table only its hash."""

    __tablename__ = "web_sessions"

    secret_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_pk: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.pk", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BuildJob(Base):
    """A dataset build started over the API, and how it went."""

    __tablename__ = "build_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(255))
    out: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    requested_by: Mapped[str] = mapped_column(String(255))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    snapshot_id: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)


# Tables whose rows are never updated or deleted; the migrations add triggers that refuse it.
APPEND_ONLY_TABLES = ("consent_events", "audit_events", "audit_subjects")
