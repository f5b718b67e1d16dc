"""How ``purposely serve`` is configured: the store, the policy, where builds go."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """The server's configuration. ``secure_cookies``: mark cookies ``Secure`` (set it
    whenever the server is reached over HTTPS, as it must be outside 127.0.0.1).
    ``build_workers``: processes a dataset build started over the API prepares on (default:
    every core). ``gate_processes``: worker processes that answer the API's gate questions
    (0: a thread of the server; see :mod:`purposely.api.questions`)."""

    db: str | None = None
    policy: Path | None = None
    snapshots: Path = Path("snapshots")
    base_url: str = "http://127.0.0.1:8000"
    secure_cookies: bool = False
    build_workers: int | None = None
    gate_processes: int = 0
