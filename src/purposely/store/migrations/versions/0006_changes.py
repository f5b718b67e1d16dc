"""Indexes on when subjects and records were last written, so that what changed since a
moment is found without reading every row (``Gate.changes``, which keeps the job matching
index current).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_records_updated_at", "records", ["updated_at"])
    op.create_index("ix_subjects_updated_at", "subjects", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_subjects_updated_at", table_name="subjects")
    op.drop_index("ix_records_updated_at", table_name="records")
