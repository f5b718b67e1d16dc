"""Index the write times of profile records only, not of posts and messages.

``Gate.changes`` looks for records written since a moment among the categories a purpose
may use; the job purposes use profile records only. Indexing every record's time (0006) cost
about a quarter of a SQLite import, most of it for posts, so the index now leaves posts and
messages out (a partial index; queries carry the same term to use it).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As purposely.store.models.PROFILE_RECORDS at this revision.
PROFILE_RECORDS = "kind NOT IN ('post', 'message')"


def upgrade() -> None:
    op.drop_index("ix_records_updated_at", table_name="records")
    op.create_index(
        "ix_records_profile_updated_at",
        "records",
        ["updated_at"],
        sqlite_where=sa.text(PROFILE_RECORDS),
        postgresql_where=sa.text(PROFILE_RECORDS),
    )


def downgrade() -> None:
    op.drop_index("ix_records_profile_updated_at", table_name="records")
    op.create_index("ix_records_updated_at", "records", ["updated_at"])
