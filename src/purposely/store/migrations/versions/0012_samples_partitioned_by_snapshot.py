"""On PostgreSQL, lineage rows are partitioned by snapshot: one table per build.

A build's lineage then goes into a table of its own, empty and without indexes, which
PostgreSQL indexes in one sorted pass when it is attached: a million-post build's 660,000
rows went in in ~1.4 s instead of ~3 s row by row into the shared B-trees, and the shared
table's size no longer slows the next build (bench/build.py). Forgetting a build drops its
table. Every query still reads ``samples``; SQLite keeps one plain table.

Existing rows move to one partition per snapshot.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

from purposely.store.partitions import partition_bound, partition_name

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    "snapshot_id VARCHAR(32) NOT NULL, sample_id VARCHAR(32) NOT NULL, shard INTEGER NOT NULL,"
    " record_pk BIGINT NOT NULL, subject_pk BIGINT NOT NULL, basis VARCHAR(32) NOT NULL,"
    " consent_seq BIGINT"
)
_KEY = "CONSTRAINT pk_samples PRIMARY KEY (snapshot_id, sample_id)"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    quote = bind.dialect.identifier_preparer.quote
    op.execute("ALTER TABLE samples RENAME TO samples_unpartitioned")
    op.execute("ALTER TABLE samples_unpartitioned RENAME CONSTRAINT pk_samples TO pk_samples_old")
    op.execute("ALTER INDEX ix_samples_subject_pk RENAME TO ix_samples_subject_pk_old")
    op.execute(f"CREATE TABLE samples ({_COLUMNS}, {_KEY}) PARTITION BY LIST (snapshot_id)")
    op.execute("CREATE INDEX ix_samples_subject_pk ON samples (subject_pk)")
    snapshots = bind.execute(text("SELECT DISTINCT snapshot_id FROM samples_unpartitioned"))
    for (snapshot_id,) in snapshots.all():
        partition = quote(partition_name(snapshot_id))
        op.execute(f"CREATE TABLE {partition} PARTITION OF samples {partition_bound(snapshot_id)}")
        op.execute(
            text(
                f"INSERT INTO {partition} SELECT snapshot_id, sample_id, shard, record_pk,"
                " subject_pk, basis, consent_seq FROM samples_unpartitioned"
                " WHERE snapshot_id = :id"
            ).bindparams(id=snapshot_id)
        )
    op.execute("DROP TABLE samples_unpartitioned")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE samples RENAME TO samples_partitioned")
    op.execute("ALTER TABLE samples_partitioned RENAME CONSTRAINT pk_samples TO pk_samples_new")
    op.execute("ALTER INDEX ix_samples_subject_pk RENAME TO ix_samples_subject_pk_new")
    op.execute(f"CREATE TABLE samples ({_COLUMNS}, {_KEY})")
    op.execute("INSERT INTO samples SELECT * FROM samples_partitioned")
    op.execute("CREATE INDEX ix_samples_subject_pk ON samples (subject_pk)")
    op.execute("DROP TABLE samples_partitioned")  # and its partitions
