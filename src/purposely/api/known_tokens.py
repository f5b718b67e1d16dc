"""API tokens the server has seen, recognised again without reading the store.

Only for consent decisions, the API's hot path: looking a token up costs a read transaction
(three round trips on PostgreSQL) and a hop to a thread, more than the rest of the decision
does before it is queued. A token's scope never changes once created, so a token seen before
is recognised here by the hash of its secret. Whether it is still *live* is not taken from
here: the consent writer checks it in the very transaction that records the decision
(:class:`purposely.api.decisions.DecisionRequest`), so revoking a token takes effect at once,
exactly as for the routes that read it from the store each time.
"""

from __future__ import annotations

import threading

from purposely.access import Token
from purposely.access.secrets import digest, same

# Tokens remembered at most; beyond that the memory starts afresh.
LIMIT = 10_000


class KnownTokens:
    """Tokens by id, with the hash of their secret."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[str, Token]] = {}
        self._lock = threading.Lock()

    def get(self, presented: str) -> Token | None:
        """The token ``presented`` is, if it was seen before (revoked or not)."""
        parts = presented.split("_", 2)
        if len(parts) != 3:
            return None
        with self._lock:
            found = self._known.get(parts[1])
        if found is None or not same(found[0], digest(parts[2])):
            return None
        return found[1]

    def remember(self, presented: str, token: Token) -> None:
        """Remember ``token``, which the store has just found ``presented`` to be."""
        with self._lock:
            if len(self._known) >= LIMIT:
                self._known.clear()
            self._known[token.id] = (digest(presented.split("_", 2)[2]), token)
