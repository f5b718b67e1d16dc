"""``purposely init``: create or upgrade a store."""

from __future__ import annotations

from purposely.cli.common import DbOption, JsonOption, emit, stdout
from purposely.store import Store, resolve_url
from purposely.store.engine import schema_head


def init(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Create the database schema and the installation key, or upgrade them. Safe to repeat."""
    url = resolve_url(db)
    Store.init(url)
    head = schema_head()
    emit(
        as_json,
        {"db": url, "schema": head},
        lambda: stdout.print(f"store ready: {url} (schema {head})"),
    )
