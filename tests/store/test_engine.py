"""Opening, initialising and protecting a store, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Connection, insert, select, text
from sqlalchemy.exc import DatabaseError

from purposely.errors import PurposelyError, StoreNotReadyError
from purposely.store import Store, resolve_url
from purposely.store.engine import schema_head
from purposely.store.models import Base, Subject


def test_init_creates_schema_and_is_idempotent(db_url: str) -> None:
    Store.init(db_url)
    again = Store.init(db_url)
    with again.read() as conn:
        version = conn.scalar(text("SELECT version_num FROM alembic_version"))
    assert version == schema_head()
    Store.open(db_url)  # no error


def test_the_schema_head_is_the_newest_migration() -> None:
    from importlib import resources

    from alembic.script import ScriptDirectory

    folder = resources.files("purposely.store") / "migrations"
    assert ScriptDirectory(str(folder)).get_current_head() == schema_head()


def test_open_before_init_says_to_run_init(db_url: str) -> None:
    with pytest.raises(StoreNotReadyError, match="purposely init"):
        Store.open(db_url)


def test_open_with_another_secret_is_refused(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.init(db_url)
    monkeypatch.setenv("PURPOSELY_SECRET", "someone-elses-secret")
    with pytest.raises(StoreNotReadyError, match="secret does not match"):
        Store.open(db_url)


def test_init_without_secret_writes_a_private_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PURPOSELY_SECRET")
    url = f"sqlite:///{tmp_path / 'sub' / 'p.db'}"
    store = Store.init(url)
    key = tmp_path / "sub" / "purposely.key"
    assert key.exists() and key.stat().st_mode & 0o777 == 0o600
    assert Store.open(url).pseudonym("u1") == store.pseudonym("u1")
    key.unlink()
    with pytest.raises(StoreNotReadyError, match="no installation secret"):
        Store.open(url)


def test_unreachable_database_is_one_clear_error() -> None:
    with pytest.raises(PurposelyError, match="cannot open database"):
        Store.open("postgresql://nobody@127.0.0.1:1/none")


def test_postgres_urls_use_psycopg3() -> None:
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("sqlite:///x.db") == "sqlite:///x.db"


def test_pseudonyms_are_keyed_and_stable(store: Store) -> None:
    assert store.pseudonym("u1") == store.pseudonym("u1")
    assert store.pseudonym("u1") != store.pseudonym("u2")
    assert "u1" not in store.pseudonym("u1")


def _ledger_row(seq: int) -> dict[str, object]:
    now = datetime.now(UTC)
    return {
        "seq": seq,
        "subject_pseudonym": "p",
        "purpose": "train_ai_system",
        "decision": "grant",
        "explicit": False,
        "categories": None,
        "at": now,
        "recorded_at": now,
        "notice_version": "v",
        "channel": "test",
        "prev_hash": "0" * 64,
        "hash": "1" * 64,
    }


def _audit_row(seq: int) -> dict[str, object]:
    return {
        "seq": seq,
        "at": datetime.now(UTC),
        "caller": "t",
        "action": "gate.ask",
        "purpose": "train_ai_system",
        "categories": [],
        "subjects": 0,
        "records": 0,
        "withheld": {},
        "watermark": 0,
        "ledger_hash": "0" * 64,
        "details": {},
        "prev_hash": "0" * 64,
        "hash": "1" * 64,
    }


@pytest.mark.parametrize(
    ("table", "row", "column"),
    [("consent_events", _ledger_row, "decision"), ("audit_events", _audit_row, "caller")],
)
def test_append_only_tables_refuse_update_and_delete(
    store: Store, table: str, row: Callable[[int], dict[str, object]], column: str
) -> None:
    with store.write() as conn:
        conn.execute(insert(Base.metadata.tables[table]), [row(1)])
    for statement in (f"UPDATE {table} SET {column} = 'x'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError, match="append-only"), store.write() as conn:
            conn.execute(text(statement))
    with store.read() as conn:
        assert conn.scalar(text(f"SELECT count(*) FROM {table} WHERE {column} != 'x'")) == 1


def test_times_come_back_aware_in_utc(store: Store) -> None:
    cest = timezone(timedelta(hours=2))
    at = datetime(2024, 6, 1, 14, 30, 5, 123456, tzinfo=cest)
    with store.write() as conn:
        conn.execute(
            insert(Subject),
            [
                {
                    "id": "u1",
                    "handle": None,
                    "pseudonym": "x",
                    "source": "t",
                    "created_at": at,
                    "updated_at": at,
                }
            ],
        )
    with store.read() as conn:
        got = conn.scalar(select(Subject.created_at))
    assert got == at and got.tzinfo is not None and got.utcoffset() == timedelta(0)


def test_naive_times_are_refused(store: Store) -> None:
    with pytest.raises(Exception, match="naive"), store.write() as conn:
        conn.execute(
            insert(Subject),
            [
                {
                    "id": "u1",
                    "pseudonym": "x",
                    "source": "t",
                    "created_at": datetime(2024, 1, 1),
                    "updated_at": datetime(2024, 1, 1),
                }
            ],
        )


def test_upgrading_to_shared_lineage_keeps_each_snapshots_own_samples(db_url: str) -> None:
    from alembic import command

    from purposely.datasets import lineage
    from purposely.store.engine import _alembic_config, create_store_engine

    engine = create_store_engine(db_url)
    with engine.connect() as conn, conn.begin():
        command.upgrade(_alembic_config(conn), "0006")
        conn.execute(
            text(
                "INSERT INTO snapshots (id, purpose, policy_digest, watermark, as_of, created_at,"
                " path, executor, tool_version, counts, manifest_sha256, audit_seq) VALUES"
                " ('s1', 'train_ai_system', 'd', 0, '2026-11-27', '2026-11-27 00:00:00', '/x',"
                " 'local', '0', '{}', 'h', 0)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO samples (snapshot_id, sample_id, shard, record_pk, subject_pk, basis)"
                " VALUES ('s1', 'a', 0, 1, 1, 'consent'), ('s1', 'b', 0, 2, 1, 'consent')"
            )
        )
    engine.dispose()
    store = Store.init(db_url)  # upgrades to the head
    with store.read() as conn:
        assert lineage.info(conn, "s1").lineage_of == "s1"
        h = lineage.held()
        assert sorted(conn.execute(select(h.c.snapshot_id, h.c.sample_id))) == [
            ("s1", "a"),
            ("s1", "b"),
        ]


def test_upgrading_to_partitioned_lineage_keeps_every_sample(db_url: str) -> None:
    from alembic import command

    from purposely.store.engine import _alembic_config, create_store_engine

    def samples(conn: Connection) -> list[tuple[str, str, int]]:
        query = "SELECT snapshot_id, sample_id, subject_pk FROM samples ORDER BY 1, 2"
        return [tuple(row) for row in conn.exec_driver_sql(query)]

    def partitions(conn: Connection) -> list[str]:
        if conn.dialect.name != "postgresql":
            return []
        query = (
            "SELECT relname FROM pg_inherits JOIN pg_class ON pg_class.oid = inhrelid"
            " WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' ORDER BY 1"
        )
        return list(conn.exec_driver_sql(query).scalars())

    engine = create_store_engine(db_url)
    with engine.connect() as conn, conn.begin():
        command.upgrade(_alembic_config(conn), "0011")
        conn.exec_driver_sql(
            "INSERT INTO samples (snapshot_id, sample_id, shard, record_pk, subject_pk, basis)"
            " VALUES ('s1', 'a', 0, 1, 1, 'consent'), ('s1', 'b', 0, 2, 2, 'consent'),"
            " ('s2', 'a', 0, 1, 1, 'consent')"
        )
        given = samples(conn)
        command.upgrade(_alembic_config(conn), "0012")
        assert samples(conn) == given
        pg = conn.dialect.name == "postgresql"
        assert partitions(conn) == (["samples_s1", "samples_s2"] if pg else [])
        command.downgrade(_alembic_config(conn), "0011")
        assert samples(conn) == given and partitions(conn) == []
    engine.dispose()
