"""Open a store: the database engine, its schema check, and the secret for pseudonyms.

SQLite is the embedded default, PostgreSQL the production store. On SQLite a writing
transaction starts with ``BEGIN IMMEDIATE`` so that two writers never read the same chain
head; readers use WAL snapshots and are never blocked. On PostgreSQL, chain appends take
an advisory lock (see :mod:`purposely.hashchain`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.pool import NullPool, QueuePool

from purposely.errors import PurposelyError, StoreNotReadyError
from purposely.store import secret as keys
from purposely.store.models import Meta

DB_ENV = "PURPOSELY_DB"
DEFAULT_URL = "sqlite:///purposely.db"
_WRITE = "purposely_write"
# Connections a pooled SQLite engine keeps open (and as many more it opens when busy).
SQLITE_POOL = 8
_SQLITE_DEFAULT_CACHE = -2000  # KiB, SQLite's default page cache


def resolve_url(url: str | None) -> str:
    """The database URL to use: the argument, else ``PURPOSELY_DB``, else the default.

    ``postgresql://`` and ``postgres://`` are taken to mean the psycopg 3 driver.
    """
    url = url or os.environ.get(DB_ENV) or DEFAULT_URL
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def create_store_engine(url: str, *, pooled: bool = False) -> Engine:
    """An engine configured for purposely: WAL and foreign keys on SQLite, psycopg 3 on PG.

    SQLite connections are opened per transaction unless ``pooled``: a command runs a few
    transactions, and closing the last connection checkpoints the WAL, so the file is whole
    when the command ends. A server runs thousands; it keeps its connections (``pooled``),
    as opening one and checkpointing on its close cost about 20 ms per transaction.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise PurposelyError(f"not a database URL: {url!r} (try sqlite:///purposely.db)") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if pooled:
            engine = create_engine(
                url,
                poolclass=QueuePool,
                pool_size=SQLITE_POOL,
                max_overflow=SQLITE_POOL,
                connect_args={"check_same_thread": False},
            )
            event.listen(engine, "checkin", _shrink_sqlite_cache)
        else:
            engine = create_engine(url, poolclass=NullPool)
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    if backend == "postgresql":
        return create_engine(url, pool_pre_ping=True)
    raise PurposelyError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Take over transaction control from pysqlite, so `begin` below decides the lock mode.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.close()


def _shrink_sqlite_cache(dbapi_connection: Any, _record: Any) -> None:
    # A bulk write raises its connection's page cache (store/bulk.py); a pooled connection
    # returns to SQLite's default so that idle connections do not each hold 160 MiB. Only
    # then: setting the size, even to the same value, empties the cache.
    if dbapi_connection is None:  # invalidated, and closed
        return
    if dbapi_connection.execute("PRAGMA cache_size").fetchone()[0] != _SQLITE_DEFAULT_CACHE:
        dbapi_connection.execute(f"PRAGMA cache_size = {_SQLITE_DEFAULT_CACHE}")


def _begin_sqlite(conn: Connection) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def _alembic_config(conn: Connection) -> Any:
    from alembic.config import Config  # Alembic is only needed to migrate: imported lazily

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("purposely.store") / "migrations"))
    cfg.attributes["connection"] = conn
    return cfg


# The newest migration in store/migrations/versions. Opening a store compares the database
# with this instead of loading Alembic, which would slow every command's start-up; a test
# checks it against Alembic's own view of the migrations.
SCHEMA_HEAD = "0012"


def schema_head() -> str:
    """The schema revision this version of purposely needs."""
    return SCHEMA_HEAD


@dataclass
class Store:
    """A database holding purposely's tables, and the secret that keys its pseudonyms.

    ``write_lock``: taken around every write transaction of this process. A pooled SQLite
    store has one, so that its threads queue for the database's single write lock in
    Python, where the next one is woken as soon as it is free, instead of in SQLite's busy
    handler, which sleeps 1, 2, 5, 10... ms between tries and lets a thread starve.
    """

    engine: Engine
    secret: bytes
    write_lock: threading.Lock | None = field(default=None, repr=False, compare=False)

    @classmethod
    def open(
        cls, url: str | None = None, *, key_file: Path | None = None, pooled: bool = False
    ) -> Store:
        """Open an initialised store; errors say to run ``purposely init`` if it is not.
        ``pooled``: keep SQLite connections open between transactions (for a server)."""
        url = resolve_url(url)
        engine = create_store_engine(url, pooled=pooled)
        key_file = key_file or keys.default_key_file(_sqlite_path(url))
        secret = keys.load_secret(key_file)
        store = cls(engine, secret, _write_lock(engine, pooled))
        store._check_ready(url, key_file)
        return store

    @classmethod
    def attach(cls, url: str, secret: bytes, *, pooled: bool = False) -> Store:
        """The store at ``url`` with its ``secret`` already known, unchecked: for worker
        processes of a server that has opened (and checked) it."""
        engine = create_store_engine(url, pooled=pooled)
        return cls(engine, secret, _write_lock(engine, pooled))

    @property
    def url_with_password(self) -> str:
        """The database URL, password included (to hand to a worker process)."""
        return self.engine.url.render_as_string(hide_password=False)

    @classmethod
    def init(cls, url: str | None = None, *, key_file: Path | None = None) -> Store:
        """Create or upgrade the schema and the key file; safe to run again."""
        url = resolve_url(url)
        sqlite_path = _sqlite_path(url)
        if sqlite_path is not None:
            sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_store_engine(url)
        secret = keys.ensure_secret(key_file or keys.default_key_file(sqlite_path))
        with _connect(engine, url) as conn, conn.begin():
            from alembic import command

            command.upgrade(_alembic_config(conn), "head")
            found = conn.scalar(select(Meta.value).where(Meta.key == "key_fingerprint"))
            if found is None:
                conn.execute(
                    insert(Meta).values(key="key_fingerprint", value=keys.fingerprint(secret))
                )
            elif found != keys.fingerprint(secret):
                raise StoreNotReadyError(_WRONG_KEY)
        return cls(engine, secret)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def pseudonym(self, subject_id: str) -> str:
        """The keyed pseudonym of ``subject_id`` (see :mod:`purposely.store.secret`)."""
        return keys.pseudonym(self.secret, subject_id)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction (a consistent snapshot on both databases)."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: all of it commits, or none of it does."""
        with (
            self.write_lock or nullcontext(),
            self.engine.connect().execution_options(**{_WRITE: True}) as conn,
            conn.begin(),
        ):
            yield conn

    def _check_ready(self, url: str, key_file: Path) -> None:
        with _connect(self.engine, url) as conn:
            current = _current_revision(conn)
            if current is None:
                raise StoreNotReadyError(
                    f"{_safe(url)} holds no purposely store: run `purposely init` first"
                )
            if current != schema_head():
                raise StoreNotReadyError(
                    f"{_safe(url)} has schema {current}, this purposely needs {schema_head()}: "
                    "run `purposely init` to upgrade it"
                )
            found = conn.scalar(select(Meta.value).where(Meta.key == "key_fingerprint"))
        if found != keys.fingerprint(self.secret):
            raise StoreNotReadyError(f"{_WRONG_KEY} (key file: {key_file})")


def _write_lock(engine: Engine, pooled: bool) -> threading.Lock | None:
    """The lock a store's writers queue on in this process (see :class:`Store`)."""
    return threading.Lock() if pooled and engine.dialect.name == "sqlite" else None


def _current_revision(conn: Connection) -> str | None:
    """The revision Alembic recorded in the database, or None for a database without one."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    found = conn.scalar(text("SELECT version_num FROM alembic_version"))
    return None if found is None else str(found)


_WRONG_KEY = (
    "the installation secret does not match this database: use the key file or "
    "PURPOSELY_SECRET it was created with"
)


@contextmanager
def _connect(engine: Engine, url: str) -> Iterator[Connection]:
    try:
        conn = engine.connect()
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise PurposelyError(f"cannot open database {_safe(url)}: {reason}") from None
    with conn:
        yield conn


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)
