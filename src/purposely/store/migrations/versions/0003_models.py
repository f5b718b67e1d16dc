"""The model registry: models and the snapshots they were trained on.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "models",
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("registered_by", sa.String(255), nullable=False),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("name", name="pk_models"),
    )
    op.create_table(
        "model_snapshots",
        sa.Column("model_name", sa.String(255), nullable=False),
        sa.Column("snapshot_id", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("model_name", "snapshot_id", name="pk_model_snapshots"),
        sa.ForeignKeyConstraint(
            ["model_name"],
            ["models.name"],
            name="fk_model_snapshots_model_name_models",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshots.id"],
            name="fk_model_snapshots_snapshot_id_snapshots",
        ),
    )


def downgrade() -> None:
    op.drop_table("model_snapshots")
    op.drop_table("models")
