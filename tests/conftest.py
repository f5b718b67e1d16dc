"""Shared fixtures: a store on SQLite and on PostgreSQL, the default policy.

Store-touching tests take the ``store`` fixture and so run twice, once per database. The
PostgreSQL run uses a fresh schema per test on the server at ``PURPOSELY_TEST_PG``
(default: the local server, database ``test``); if that server is down, those tests are
reported as skipped with the reason, never as passed.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import psycopg
import pytest

from purposely.policy import Policy, load_policy
from purposely.store import Store

# Rich fixes a console's width at creation if COLUMNS is set; the CLI's consoles are created
# at import, so drop it here and let each test choose the width it runs at.
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)

PG_DSN = os.environ.get("PURPOSELY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
SHARED_DATA_ENV = "PURPOSELY_SHARED_DATA"


def _shared_data() -> Path:
    """The real outside files: $PURPOSELY_SHARED_DATA, else ../shared/data beside the
    checkout, else the workplace's copy (a CI clone may live elsewhere)."""
    if env := os.environ.get(SHARED_DATA_ENV):
        return Path(env)
    beside = Path(__file__).resolve().parents[2] / "shared" / "data"
    return beside if beside.is_dir() else Path("/work/shared/data")


SHARED_DATA = _shared_data()


@cache
def pg_unavailable() -> str | None:
    """Why PostgreSQL cannot be used, or None if it can."""
    try:
        with psycopg.connect(PG_DSN, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"PostgreSQL at {PG_DSN} is not reachable: {first}"
    return None


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs in its own directory with a known secret and no inherited settings."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PURPOSELY_SECRET", "test-secret")
    for var in ("PURPOSELY_DB", "PURPOSELY_POLICY", "PURPOSELY_KEY_FILE"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL to an empty schema on the PostgreSQL server, dropped afterwards."""
    reason = pg_unavailable()
    if reason is not None:
        pytest.skip(reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in PG_DSN else "?"
    yield f"{PG_DSN}{sep}options=-csearch_path%3D{schema}"
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An empty SQLite database URL, for tests about logic rather than databases."""
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An initialised store on each database."""
    store = Store.init(db_url)
    yield store
    store.engine.dispose()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    """An initialised SQLite store, for tests about logic rather than databases."""
    store = Store.init(f"sqlite:///{tmp_path / 'store.db'}")
    yield store
    store.engine.dispose()


@pytest.fixture(scope="session")
def policy() -> Policy:
    """The shipped default policy."""
    return load_policy()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real outside files (../shared/data); skip if this checkout lacks it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared fixtures not found at {SHARED_DATA}")
    return SHARED_DATA
