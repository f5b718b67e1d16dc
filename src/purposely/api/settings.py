"""How ``purposely serve`` is configured: the store, the policy, where builds go."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """The server's configuration. ``secure_cookies``: mark cookies ``Secure`` (set it
    whenever the server is reached over HTTPS, as it must be outside 127.0.0.1)."""

    db: str | None = None
    policy: Path | None = None
    snapshots: Path = Path("snapshots")
    base_url: str = "http://127.0.0.1:8000"
    secure_cookies: bool = False
