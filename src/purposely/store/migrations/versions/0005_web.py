"""Doors to the gate over HTTP: API tokens, web accounts and sessions, builds started over the API.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# As in the models, written out here: a migration must not change when the models do.
Stamp = sa.DateTime(timezone=True)
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(16), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("secret_sha256", sa.String(64), nullable=False),
        sa.Column("purposes", sa.JSON(), nullable=False),
        sa.Column("operations", sa.JSON(), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("revoked_at", Stamp, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
    )
    op.create_table(
        "accounts",
        sa.Column("pk", BigId, autoincrement=True, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("subject_pk", BigId, nullable=True),
        sa.Column("login", sa.String(255), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("invite_sha256", sa.String(64), nullable=True),
        sa.Column("invite_expires_at", Stamp, nullable=True),
        sa.Column("created_at", Stamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_pk"],
            ["subjects.pk"],
            name="fk_accounts_subject_pk_subjects",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name="pk_accounts"),
        sa.UniqueConstraint("subject_pk", name="uq_accounts_subject_pk"),
        sa.UniqueConstraint("login", name="uq_accounts_login"),
        sa.UniqueConstraint("invite_sha256", name="uq_accounts_invite_sha256"),
    )
    op.create_table(
        "web_sessions",
        sa.Column("secret_sha256", sa.String(64), nullable=False),
        sa.Column("account_pk", BigId, nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("expires_at", Stamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_pk"],
            ["accounts.pk"],
            name="fk_web_sessions_account_pk_accounts",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("secret_sha256", name="pk_web_sessions"),
    )
    op.create_index("ix_web_sessions_account_pk", "web_sessions", ["account_pk"])
    op.create_table(
        "build_jobs",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("purpose", sa.String(255), nullable=False),
        sa.Column("out", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("requested_by", sa.String(255), nullable=False),
        sa.Column("requested_at", Stamp, nullable=False),
        sa.Column("finished_at", Stamp, nullable=True),
        sa.Column("snapshot_id", sa.String(32), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_build_jobs"),
    )


def downgrade() -> None:
    op.drop_table("build_jobs")
    op.drop_table("web_sessions")
    op.drop_table("accounts")
    op.drop_table("api_tokens")
