"""The consent ledger: append-only, hash-chained, state as of any watermark."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from purposely.consent import ConsentDecision, Decision, append, append_new, history, state
from purposely.consent.ledger import LEDGER, watermark
from purposely.errors import PurposelyError, UnknownPurposeError
from purposely.policy import Policy
from purposely.store import Store

T0 = datetime(2024, 1, 1, 12, tzinfo=UTC)
IDENTITY = "essential.service.security.identity_verification"


def decision(
    who: str,
    decided: Decision,
    purpose: str = "train_ai_system",
    at: datetime = T0,
    categories: tuple[str, ...] | None = None,
) -> ConsentDecision:
    """A decision by pseudonym ``who``."""
    return ConsentDecision(who, purpose, decided, at, "v1", "test", categories)


def test_appends_get_consecutive_seqs_and_a_verifying_chain(store: Store, policy: Policy) -> None:
    with store.write() as conn:
        seqs = append(conn, policy, [decision("a", Decision.GRANT), decision("b", Decision.OBJECT)])
        more = append(conn, policy, [decision("a", Decision.WITHDRAW, at=T0 + timedelta(1))])
    assert seqs == [1, 2] and more == [3]
    with store.read() as conn:
        assert watermark(conn) == 3
        assert LEDGER.verify(conn) is None
        entries = history(conn, "a")
    assert [e.seq for e in entries] == [1, 3]
    assert entries[1].hash != entries[0].hash


def test_state_as_of_a_watermark(store: Store, policy: Policy) -> None:
    with store.write() as conn:
        append(
            conn,
            policy,
            [
                decision("a", Decision.GRANT),
                decision("a", Decision.WITHDRAW, at=T0 + timedelta(days=1)),
                decision("a", Decision.OBJECT, purpose="employment.recruitment"),
            ],
        )
    with store.read() as conn:
        assert state(conn, "a", 0) == {}
        assert state(conn, "a", 1)["train_ai_system"].decision is Decision.GRANT
        now = state(conn, "a")
    assert now["train_ai_system"].decision is Decision.WITHDRAW
    assert now["employment.recruitment"].decision is Decision.OBJECT


def test_a_late_arriving_older_decision_does_not_override_a_newer_one(
    store: Store, policy: Policy
) -> None:
    with store.write() as conn:
        append(
            conn,
            policy,
            [
                decision("a", Decision.WITHDRAW, at=T0 + timedelta(days=2)),
                decision("a", Decision.GRANT, at=T0),  # imported later, decided earlier
            ],
        )
    with store.read() as conn:
        assert state(conn, "a")["train_ai_system"].decision is Decision.WITHDRAW


def test_append_new_skips_what_the_ledger_holds(store: Store, policy: Policy) -> None:
    batch = [
        decision("a", Decision.GRANT),
        decision("b", Decision.GRANT),
        decision("b", Decision.GRANT),
    ]
    with store.write() as conn:
        assert append_new(conn, policy, batch) == (2, 1)
    with store.write() as conn:
        assert append_new(conn, policy, batch) == (0, 3)
    with store.read() as conn:
        assert watermark(conn) == 2


def test_unknown_purpose_is_refused_and_nothing_is_written(store: Store, policy: Policy) -> None:
    with pytest.raises(UnknownPurposeError), store.write() as conn:
        append(
            conn,
            policy,
            [decision("a", Decision.GRANT), decision("a", Decision.GRANT, purpose="sell_data")],
        )
    with store.read() as conn:
        assert watermark(conn) == 0


def test_identity_verification_needs_explicit_consent_naming_the_data(
    store: Store, policy: Policy
) -> None:
    with pytest.raises(PurposelyError, match="must be explicit"), store.write() as conn:
        append(conn, policy, [decision("a", Decision.GRANT, purpose=IDENTITY)])
    with store.write() as conn:
        append(
            conn,
            policy,
            [
                decision(
                    "a", Decision.GRANT, purpose=IDENTITY, categories=("user.biometric.face",)
                ),
                decision("b", Decision.WITHDRAW, purpose=IDENTITY),  # no categories needed to leave
            ],
        )
    with store.read() as conn:
        granted = state(conn, "a")[IDENTITY]
    assert granted.explicit and granted.categories == ("user.biometric.face",)
