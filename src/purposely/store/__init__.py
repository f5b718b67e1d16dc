"""The store: tables, engine (SQLite default, PostgreSQL), migrations, bulk writes."""

from purposely.store.engine import DB_ENV, DEFAULT_URL, Store, resolve_url

__all__ = ["DB_ENV", "DEFAULT_URL", "Store", "resolve_url"]
