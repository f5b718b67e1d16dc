"""How purposely writes JSON for people and programs: RFC 3339 times, dates, sorted sets."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(data: Any, *, indent: int | None = 2) -> str:
    """``data`` as JSON text (UTF-8 characters kept), times in RFC 3339 UTC."""
    return json.dumps(data, default=_plain, ensure_ascii=False, indent=indent)
