"""Dataset snapshots, their shards, sample lineage, and stale samples.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("purpose", sa.String(128), nullable=False),
        sa.Column("policy_digest", sa.String(64), nullable=False),
        sa.Column("watermark", sa.BigInteger(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("executor", sa.String(32), nullable=False),
        sa.Column("tool_version", sa.String(32), nullable=False),
        sa.Column("parent_id", sa.String(32)),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("manifest_sha256", sa.String(64), nullable=False),
        sa.Column("audit_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_snapshots"),
    )
    op.create_table(
        "snapshot_shards",
        sa.Column("snapshot_id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("snapshot_id", "name", name="pk_snapshot_shards"),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshots.id"],
            name="fk_snapshot_shards_snapshot_id_snapshots",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "samples",
        sa.Column("snapshot_id", sa.String(32), nullable=False),
        sa.Column("sample_id", sa.String(32), nullable=False),
        sa.Column("shard", sa.Integer(), nullable=False),
        sa.Column("record_pk", sa.BigInteger(), nullable=False),
        sa.Column("subject_pk", sa.BigInteger(), nullable=False),
        sa.Column("basis", sa.String(32), nullable=False),
        sa.Column("consent_seq", sa.BigInteger()),
        sa.PrimaryKeyConstraint("snapshot_id", "sample_id", name="pk_samples"),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshots.id"],
            name="fk_samples_snapshot_id_snapshots",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_samples_record_pk", "samples", ["record_pk"])
    op.create_index("ix_samples_subject_pk", "samples", ["subject_pk"])
    op.create_table(
        "stale_samples",
        sa.Column("snapshot_id", sa.String(32), nullable=False),
        sa.Column("sample_id", sa.String(32), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("detected_at", Stamp, nullable=False),
        sa.PrimaryKeyConstraint("snapshot_id", "sample_id", name="pk_stale_samples"),
    )


def downgrade() -> None:
    for table in ("stale_samples", "samples", "snapshot_shards", "snapshots"):
        op.drop_table(table)
