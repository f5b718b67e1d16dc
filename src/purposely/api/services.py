"""What every request needs, opened once per server: the store, the policy and the gate."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from purposely.api.settings import Settings
from purposely.gate import Gate
from purposely.policy import Policy, load_policy
from purposely.store import Store


@dataclass
class Services:
    """The server's store, policy and gate, and its settings."""

    settings: Settings
    store: Store
    policy: Policy
    gate: Gate

    @classmethod
    def open(cls, settings: Settings) -> Services:
        """Open the store and load the policy; a broken policy stops the server from starting."""
        store = Store.open(settings.db, pooled=True)  # thousands of short transactions
        policy = load_policy(settings.policy)
        return cls(settings=settings, store=store, policy=policy, gate=Gate(store, policy))


def services(request: Request) -> Services:
    """FastAPI dependency: the server's services."""
    found: Services = request.app.state.services
    return found
