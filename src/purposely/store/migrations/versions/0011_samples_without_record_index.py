"""Lineage rows lose their index on ``record_pk``.

No query looks samples up by record: every lineage read names a snapshot, a member, or a
sample id (``lineage.held()`` and its users). The index was kept up to date for nothing: on
PostgreSQL it took ~2 s of the server's time per million-post build, inserted in random
order (COPY of 660,000 rows: 5.2 to 5.4 s with it, 3.1 to 3.2 s without).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_samples_record_pk", table_name="samples")


def downgrade() -> None:
    op.create_index("ix_samples_record_pk", "samples", ["record_pk"])
