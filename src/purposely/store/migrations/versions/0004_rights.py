"""Subjects named by audit events, and tombstones of erased data.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_subjects",
        sa.Column("audit_seq", sa.BigInteger(), nullable=False),
        sa.Column("subject_pseudonym", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("audit_seq", "subject_pseudonym", name="pk_audit_subjects"),
    )
    op.create_index("ix_audit_subjects_subject_pseudonym", "audit_subjects", ["subject_pseudonym"])
    op.create_table(
        "tombstones",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_tombstones"),
    )
    # Like the audit log it belongs to, never updated or deleted.
    message = "audit_subjects is append-only: entries are never updated or deleted"
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("update", "delete"):
            op.execute(
                f"CREATE TRIGGER audit_subjects_no_{verb} BEFORE {verb.upper()} ON audit_subjects "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
        return
    op.execute(
        "CREATE OR REPLACE FUNCTION audit_subjects_refuse_change() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{message}'; END $$"
    )
    for verb in ("update", "delete"):
        op.execute(
            f"CREATE TRIGGER audit_subjects_no_{verb} BEFORE {verb.upper()} ON audit_subjects "
            "FOR EACH ROW EXECUTE FUNCTION audit_subjects_refuse_change()"
        )


def downgrade() -> None:
    op.drop_table("tombstones")
    op.drop_table("audit_subjects")
