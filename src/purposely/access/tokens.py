"""API tokens for the platform's services, each scoped to purposes and operations.

A token reads ``pty_<id>_<secret>``; the store keeps the id and the secret's hash. The id
names the token in audit events and in ``purposely token list`` without revealing it.
"""

from __future__ import annotations

import secrets as random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, insert, select, update

from purposely.access.secrets import digest, new_secret, same
from purposely.errors import PurposelyError
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.models import ApiToken

PREFIX = "pty"


class Operation(StrEnum):
    """What a token may do."""

    READ = "read"  # ask the gate for a purpose; poll dataset builds
    WRITE = "write"  # push events and consent decisions
    BUILD = "build"  # start dataset builds for a purpose


@dataclass(frozen=True)
class Token:
    """A token as the store holds it (never its secret)."""

    id: str
    name: str
    purposes: tuple[str, ...]
    operations: tuple[Operation, ...]
    created_at: datetime
    created_by: str
    revoked_at: datetime | None

    @property
    def caller(self) -> str:
        """How audit events name the token's requests."""
        return f"token:{self.id}:{self.name}"

    def allows(self, operation: Operation, purpose: str | None = None) -> bool:
        """Whether the token covers ``operation`` (for ``purpose``, if one is named)."""
        if self.revoked_at is not None or operation not in self.operations:
            return False
        return purpose is None or purpose in self.purposes


def create_token(
    store: Store,
    policy: Policy,
    *,
    name: str,
    purposes: Sequence[str],
    operations: Sequence[str],
    created_by: str,
) -> tuple[Token, str]:
    """Create a token; return it and its full secret, which is shown only this once."""
    if not purposes:
        raise PurposelyError("a token needs at least one purpose: --purpose PURPOSE")
    for purpose in purposes:
        policy.rule(purpose)  # an unknown purpose is refused with the known ones listed
    ops = tuple(_operation(o) for o in dict.fromkeys(operations))
    if not ops:
        raise PurposelyError("a token needs at least one operation: --can read|write|build")
    token_id, secret = random.token_hex(6), new_secret()
    row = {
        "id": token_id,
        "name": name,
        "secret_sha256": digest(secret),
        "purposes": list(dict.fromkeys(purposes)),
        "operations": [o.value for o in ops],
        "created_at": datetime.now(UTC),
        "created_by": created_by,
        "revoked_at": None,
    }
    with store.write() as conn:
        conn.execute(insert(ApiToken), [row])
    return _token(row), f"{PREFIX}_{token_id}_{secret}"


def token_of(store: Store, presented: str) -> Token | None:
    """The live token ``presented`` is, or None if it is malformed, unknown or revoked."""
    parts = presented.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    with store.read() as conn:
        row = conn.execute(select(ApiToken).where(ApiToken.id == parts[1])).mappings().first()
    if row is None or row["revoked_at"] is not None:
        return None
    if not same(row["secret_sha256"], digest(parts[2])):
        return None
    return _token(dict(row))


def live_token_ids(conn: Connection, token_ids: Collection[str]) -> set[str]:
    """Which of ``token_ids`` name tokens that exist and are not revoked (read in ``conn``'s
    transaction, so a write in it can depend on the answer)."""
    if not token_ids:
        return set()
    query = select(ApiToken.id).where(
        ApiToken.id.in_(sorted(token_ids)), ApiToken.revoked_at.is_(None)
    )
    return set(conn.scalars(query))


def list_tokens(store: Store) -> list[Token]:
    """Every token, newest first."""
    with store.read() as conn:
        rows = conn.execute(select(ApiToken).order_by(ApiToken.created_at.desc())).mappings()
        return [_token(dict(row)) for row in rows]


def revoke_token(store: Store, token_id: str) -> Token:
    """Revoke a token by its id; its next request is refused."""
    with store.write() as conn:
        done = conn.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
        row = conn.execute(select(ApiToken).where(ApiToken.id == token_id)).mappings().first()
    if row is None:
        raise PurposelyError(f"no token {token_id!r}: see `purposely token list`")
    if not done.rowcount:
        raise PurposelyError(f"token {token_id} was already revoked")
    return _token(dict(row))


def _operation(value: str) -> Operation:
    try:
        return Operation(value)
    except ValueError:
        known = ", ".join(o.value for o in Operation)
        raise PurposelyError(f"unknown operation {value!r}: use one of {known}") from None


def _token(row: dict[str, Any]) -> Token:
    return Token(
        id=str(row["id"]),
        name=str(row["name"]),
        purposes=tuple(row["purposes"]),
        operations=tuple(Operation(o) for o in row["operations"]),
        created_at=row["created_at"],
        created_by=str(row["created_by"]),
        revoked_at=row["revoked_at"],
    )
