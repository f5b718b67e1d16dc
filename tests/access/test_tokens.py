"""API tokens: created with a scope, found by their secret only while live, revoked for good."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from purposely.access import Operation, create_token, revoke_token, token_of
from purposely.access.tokens import PREFIX, list_tokens
from purposely.errors import PurposelyError, UnknownPurposeError
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.models import ApiToken

TRAIN = "train_ai_system"
RECRUIT = "employment.recruitment"


def make(store: Store, policy: Policy, purposes: list[str], operations: list[str]) -> str:
    """A new token's secret."""
    _, secret = create_token(
        store, policy, name="svc", purposes=purposes, operations=operations, created_by="test"
    )
    return secret


def test_a_token_is_found_by_its_secret_and_knows_its_scope(store: Store, policy: Policy) -> None:
    token, secret = create_token(
        store,
        policy,
        name="recommender",
        purposes=[TRAIN, RECRUIT, TRAIN],
        operations=["read", "write", "read"],
        created_by="cli:ops",
    )
    assert secret.startswith(f"{PREFIX}_{token.id}_")
    found = token_of(store, secret)
    assert found == token
    assert found.purposes == (TRAIN, RECRUIT)  # repeats dropped, order kept
    assert found.operations == (Operation.READ, Operation.WRITE)
    assert found.caller == f"token:{token.id}:recommender"
    assert found.allows(Operation.READ, TRAIN) and found.allows(Operation.WRITE)
    assert not found.allows(Operation.BUILD, TRAIN)
    assert not found.allows(Operation.READ, "third_party_sharing")


def test_the_store_keeps_only_a_hash_of_the_secret(store: Store, policy: Policy) -> None:
    secret = make(store, policy, [TRAIN], ["read"])
    with store.read() as conn:
        row = conn.execute(select(ApiToken)).mappings().one()
    assert secret.rsplit("_", 1)[1] not in str(dict(row))
    assert len(row["secret_sha256"]) == 64


@pytest.mark.parametrize(
    "presented",
    ["", "pty", "pty_abc", "xyz_abc_def", "pty_nosuchid_secret", "Bearer pty_a_b"],
)
def test_malformed_or_unknown_secrets_find_nothing(
    store: Store, policy: Policy, presented: str
) -> None:
    make(store, policy, [TRAIN], ["read"])
    assert token_of(store, presented) is None


def test_a_wrong_secret_for_a_real_id_finds_nothing(store: Store, policy: Policy) -> None:
    secret = make(store, policy, [TRAIN], ["read"])
    prefix, token_id, rest = secret.split("_", 2)
    assert token_of(store, f"{prefix}_{token_id}_{rest[::-1]}") is None


def test_a_revoked_token_is_refused_and_listed_as_revoked(store: Store, policy: Policy) -> None:
    secret = make(store, policy, [TRAIN], ["read"])
    token = token_of(store, secret)
    assert token is not None
    revoked = revoke_token(store, token.id)
    assert revoked.revoked_at is not None and not revoked.allows(Operation.READ, TRAIN)
    assert token_of(store, secret) is None
    (listed,) = list_tokens(store)
    assert listed.revoked_at is not None
    with pytest.raises(PurposelyError, match="already revoked"):
        revoke_token(store, token.id)
    with pytest.raises(PurposelyError, match="no token 'nope': see `purposely token list`"):
        revoke_token(store, "nope")


def test_tokens_are_listed_newest_first(store: Store, policy: Policy) -> None:
    first, _ = create_token(
        store, policy, name="a", purposes=[TRAIN], operations=["read"], created_by="t"
    )
    second, _ = create_token(
        store, policy, name="b", purposes=[TRAIN], operations=["read"], created_by="t"
    )
    assert [t.id for t in list_tokens(store)] == [second.id, first.id]


@pytest.mark.parametrize(
    ("purposes", "operations", "error", "message"),
    [
        ([], ["read"], PurposelyError, "at least one purpose"),
        (["astrology"], ["read"], UnknownPurposeError, "astrology"),
        ([TRAIN], [], PurposelyError, "at least one operation"),
        ([TRAIN], ["delete"], PurposelyError, "unknown operation 'delete': use one of read"),
    ],
)
def test_a_scope_must_be_real(
    store: Store,
    policy: Policy,
    purposes: list[str],
    operations: list[str],
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error, match=message):
        make(store, policy, purposes, operations)
    assert list_tokens(store) == []
