"""Re-check only what changed: ``change_log``, written by triggers, and each snapshot's last check.

A snapshot's samples were re-checked in full before every rebuild, which took most of its
time. Now a snapshot remembers what its last check saw (ledger head, time, policy), and the
next one asks the gate again only about subjects with ledger entries since, or with a
logged change: the triggers below log every record deleted or moved to another category,
kind or subject, whoever writes it; the importers' writer logs changes of a subject's
country or age (a trigger on ``subjects`` made every SQLite import about a quarter slower,
even of new subjects only, where it never fired: bench/README.md).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Stamp = sa.DateTime(timezone=True)

# What a record's verdict depends on besides its subject.
RECORD_COLUMNS = ("category", "kind", "subject_pk")
# SQLite's time in the form SQLAlchemy writes a DATETIME there (microseconds).
SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f000', 'now')"


def upgrade() -> None:
    op.add_column("snapshots", sa.Column("checked_watermark", sa.BigInteger()))
    op.add_column("snapshots", sa.Column("checked_at", Stamp))
    op.add_column("snapshots", sa.Column("checked_policy", sa.String(64)))
    op.create_table(
        "change_log",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
        ),
        sa.Column("subject_pk", sa.BigInteger(), nullable=False),
        sa.Column("record_pk", sa.BigInteger()),
        sa.Column("changed_at", Stamp, nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_change_log"),
    )
    op.create_index("ix_change_log_changed_at", "change_log", ["changed_at"])
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers()
    else:
        _postgresql_triggers()


def _changed(columns: Sequence[str], differ: str) -> str:
    return " OR ".join(f"OLD.{c} {differ} NEW.{c}" for c in columns)


def _sqlite_triggers() -> None:
    record = f"(OLD.subject_pk, OLD.pk, {SQLITE_NOW})"
    insert = "INSERT INTO change_log (subject_pk, record_pk, changed_at) VALUES"
    op.execute(
        f"CREATE TRIGGER records_log_delete AFTER DELETE ON records BEGIN {insert} {record}; END"
    )
    op.execute(
        f"CREATE TRIGGER records_log_update AFTER UPDATE OF {', '.join(RECORD_COLUMNS)} "
        f"ON records WHEN {_changed(RECORD_COLUMNS, 'IS NOT')} "
        f"BEGIN {insert} {record}; END"
    )


def _postgresql_triggers() -> None:
    insert = "INSERT INTO change_log (subject_pk, record_pk, changed_at) VALUES"
    op.execute(
        "CREATE OR REPLACE FUNCTION log_record_change() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN {insert} (OLD.subject_pk, OLD.pk, now()); RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER records_log_delete AFTER DELETE ON records "
        "FOR EACH ROW EXECUTE FUNCTION log_record_change()"
    )
    op.execute(
        f"CREATE TRIGGER records_log_update AFTER UPDATE OF {', '.join(RECORD_COLUMNS)} "
        f"ON records FOR EACH ROW WHEN ({_changed(RECORD_COLUMNS, 'IS DISTINCT FROM')}) "
        "EXECUTE FUNCTION log_record_change()"
    )


def downgrade() -> None:
    for trigger in ("records_log_delete", "records_log_update"):
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"DROP TRIGGER {trigger}")
        else:
            op.execute(f"DROP TRIGGER {trigger} ON records")
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION log_record_change()")
    op.drop_index("ix_change_log_changed_at", table_name="change_log")
    op.drop_table("change_log")
    for column in ("checked_policy", "checked_at", "checked_watermark"):
        op.drop_column("snapshots", column)
