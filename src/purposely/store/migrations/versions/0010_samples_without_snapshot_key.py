"""Lineage rows no longer carry a foreign key to their snapshot.

PostgreSQL checked the key once per inserted row, a quarter of a million-post build (25.5 s
with it, 19.0 s without, bench/build.py); SQLite checks it per row too. Lineage rows are
written only with their snapshot, in the same transaction (``lineage.register``), and
deleted only with it (``lineage.forget``), so the key guarded nothing the code does not.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "fk_samples_snapshot_id_snapshots"


def upgrade() -> None:
    # SQLite drops a constraint by copying the table (Alembic's batch mode).
    with op.batch_alter_table("samples") as batch:
        batch.drop_constraint(KEY, type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("samples") as batch:
        batch.create_foreign_key(KEY, "snapshots", ["snapshot_id"], ["id"], ondelete="CASCADE")
