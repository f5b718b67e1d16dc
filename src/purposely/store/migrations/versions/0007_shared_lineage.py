"""Rebuilds share their parent's lineage: ``snapshots.lineage_of`` and ``dropped_samples``.

A rebuild used to copy every lineage row of its parent but the stale ones; now it names the
build whose rows it shares and lists the samples it left out. Existing snapshots keep their
own rows: their ``lineage_of`` is their own id.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("snapshots", sa.Column("lineage_of", sa.String(32)))
    op.execute("UPDATE snapshots SET lineage_of = id")
    if op.get_bind().dialect.name != "sqlite":
        # SQLite cannot add NOT NULL to a column in place, and rebuilding `snapshots` would
        # cascade deletes into its lineage; the code always sets it there too.
        op.alter_column("snapshots", "lineage_of", nullable=False)
    op.create_index("ix_snapshots_lineage_of", "snapshots", ["lineage_of"])
    op.create_table(
        "dropped_samples",
        sa.Column("snapshot_id", sa.String(32), nullable=False),
        sa.Column("sample_id", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("snapshot_id", "sample_id", name="pk_dropped_samples"),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshots.id"],
            name="fk_dropped_samples_snapshot_id_snapshots",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("dropped_samples")
    op.drop_index("ix_snapshots_lineage_of", table_name="snapshots")
    op.drop_column("snapshots", "lineage_of")
