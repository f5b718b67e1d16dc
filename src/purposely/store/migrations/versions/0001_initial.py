"""Initial schema: subjects, records, jobs, the consent ledger and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Stamp = sa.DateTime(timezone=True)
APPEND_ONLY = ("consent_events", "audit_events")


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_meta"),
    )
    op.create_table(
        "subjects",
        sa.Column("pk", BigId, autoincrement=True, nullable=False),
        sa.Column("id", sa.String(255), nullable=False),
        sa.Column("handle", sa.String(255)),
        sa.Column("pseudonym", sa.String(64), nullable=False),
        sa.Column("birth_date", sa.String(10)),
        sa.Column("born_no_later_than", sa.Date()),
        sa.Column("country", sa.String(2)),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_subjects"),
        sa.UniqueConstraint("id", name="uq_subjects_id"),
        sa.UniqueConstraint("handle", name="uq_subjects_handle"),
        sa.UniqueConstraint("pseudonym", name="uq_subjects_pseudonym"),
    )
    op.create_table(
        "records",
        sa.Column("pk", BigId, autoincrement=True, nullable=False),
        sa.Column("subject_pk", BigId, nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("source_id", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("category", sa.String(128), nullable=False),
        sa.Column("text", sa.Text()),
        sa.Column("data", sa.JSON()),
        sa.Column("lang", sa.String(16)),
        sa.Column("created_at", Stamp),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_records"),
        sa.ForeignKeyConstraint(
            ["subject_pk"],
            ["subjects.pk"],
            name="fk_records_subject_pk_subjects",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("source", "source_id", name="uq_records_source_source_id"),
    )
    op.create_index("ix_records_subject_pk_category", "records", ["subject_pk", "category"])
    op.create_table(
        "jobs",
        sa.Column("pk", BigId, autoincrement=True, nullable=False),
        sa.Column("id", sa.String(255), nullable=False),
        sa.Column("employer", sa.String(255), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("location", sa.String(255)),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("posted_at", Stamp),
        sa.Column("closed_at", Stamp),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_jobs"),
        sa.UniqueConstraint("id", name="uq_jobs_id"),
    )
    op.create_table(
        "consent_events",
        sa.Column("seq", BigId, autoincrement=False, nullable=False),
        sa.Column("subject_pseudonym", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(128), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("explicit", sa.Boolean(), nullable=False),
        sa.Column("categories", sa.JSON()),
        sa.Column("at", Stamp, nullable=False),
        sa.Column("recorded_at", Stamp, nullable=False),
        sa.Column("notice_version", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_consent_events"),
    )
    op.create_index("ix_consent_events_subject_pseudonym", "consent_events", ["subject_pseudonym"])
    op.create_index(
        "ix_consent_events_purpose_pseudonym",
        "consent_events",
        ["purpose", "subject_pseudonym", "seq"],
    )
    op.create_table(
        "audit_events",
        sa.Column("seq", BigId, autoincrement=False, nullable=False),
        sa.Column("at", Stamp, nullable=False),
        sa.Column("caller", sa.String(255), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(128), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("subjects", sa.BigInteger(), nullable=False),
        sa.Column("records", sa.BigInteger(), nullable=False),
        sa.Column("withheld", sa.JSON(), nullable=False),
        sa.Column("watermark", sa.BigInteger(), nullable=False),
        sa.Column("ledger_hash", sa.String(64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_events"),
    )
    for table in APPEND_ONLY:
        _refuse_changes(table)


def _refuse_changes(table: str) -> None:
    """Triggers named ``<table>_no_update`` and ``<table>_no_delete`` on both databases."""
    message = f"{table} is append-only: entries are never updated or deleted"
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("update", "delete"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
        return
    op.execute(
        f"CREATE OR REPLACE FUNCTION {table}_refuse_change() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{message}'; END $$"
    )
    for verb in ("update", "delete"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse_change()"
        )
    op.execute(
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse_change()"
    )


def downgrade() -> None:
    for table in ("audit_events", "consent_events", "jobs", "records", "subjects", "meta"):
        op.drop_table(table)
