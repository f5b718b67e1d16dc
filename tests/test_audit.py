"""The audit log and `audit verify`: tampering with either chain is found and named."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from purposely import audit
from purposely.consent import ConsentDecision, Decision, append
from purposely.hashchain import GENESIS, entry_hash
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.models import ConsentEvent

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def entry(watermark: int = 0, purpose: str = "train_ai_system") -> audit.AuditEntry:
    """A minimal audit entry."""
    return audit.AuditEntry(
        "test", "gate.ask", purpose, ("user.content.public",), 1, 2, {"minor": 3}, watermark
    )


def fill(store: Store, policy: Policy, decisions: int = 4, events: int = 3) -> None:
    """Some ledger entries and audit events."""
    with store.write() as conn:
        append(
            conn,
            policy,
            [
                ConsentDecision(f"p{i}", "train_ai_system", Decision.GRANT, T0, "v", "test")
                for i in range(decisions)
            ],
        )
        for _ in range(events):
            audit.append(conn, entry(watermark=decisions))


def drop_append_only_triggers(store: Store, table: str) -> None:
    """What an attacker with database access would do first."""
    with store.write() as conn:
        for verb in ("update", "delete"):
            on = f" ON {table}" if store.dialect == "postgresql" else ""
            conn.execute(text(f"DROP TRIGGER {table}_no_{verb}{on}"))


def test_a_fresh_log_verifies(store: Store, policy: Policy) -> None:
    fill(store, policy)
    with store.read() as conn:
        result = audit.verify(conn)
    assert result.ok and result.ledger_entries == 4 and result.audit_events == 3


def test_events_hold_the_ledger_hash_at_their_watermark(store: Store, policy: Policy) -> None:
    fill(store, policy, decisions=2, events=1)
    with store.read() as conn:
        (event,) = audit.recent(conn)
        ledger_head = conn.scalar(text("SELECT hash FROM consent_events WHERE seq = 2"))
    assert event["ledger_hash"] == ledger_head and event["watermark"] == 2


def test_a_watermark_beyond_the_ledger_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="beyond"), store.write() as conn:
        audit.append(conn, entry(watermark=5))


@pytest.mark.parametrize(
    ("table", "statement", "chain", "seq", "why"),
    [
        (
            "consent_events",
            "UPDATE consent_events SET decision = 'withdraw' WHERE seq = 3",
            "consent ledger",
            3,
            "was changed",
        ),
        (
            "consent_events",
            "DELETE FROM consent_events WHERE seq = 2",
            "consent ledger",
            2,
            "is missing",
        ),
        (
            "audit_events",
            "UPDATE audit_events SET records = 0 WHERE seq = 2",
            "audit log",
            2,
            "was changed",
        ),
        ("audit_events", "DELETE FROM audit_events WHERE seq = 1", "audit log", 1, "is missing"),
    ],
)
def test_tampering_names_the_first_broken_entry(
    store: Store, policy: Policy, table: str, statement: str, chain: str, seq: int, why: str
) -> None:
    fill(store, policy)
    drop_append_only_triggers(store, table)
    with store.write() as conn:
        conn.execute(text(statement))
    with store.read() as conn:
        result = audit.verify(conn)
    assert not result.ok
    first = result.problems[0]
    assert (first.chain, first.seq) == (chain, seq) and why in first.reason


def test_a_rewritten_hash_is_caught_by_the_next_entry(store: Store, policy: Policy) -> None:
    fill(store, policy)
    drop_append_only_triggers(store, "consent_events")
    with store.write() as conn:  # edit entry 2 and recompute its own hash: 3 no longer follows
        events = ConsentEvent.__table__
        row = conn.execute(select(events).where(events.c.seq == 2)).mappings().one()
        content = {k: v for k, v in row.items() if k not in ("prev_hash", "hash")}
        content["decision"] = "object"
        forged = entry_hash(row["prev_hash"], content)
        conn.execute(
            text("UPDATE consent_events SET decision = 'object', hash = :h WHERE seq = 2"),
            {"h": forged},
        )
    with store.read() as conn:
        result = audit.verify(conn)
    assert [(p.chain, p.seq) for p in result.problems][:1] == [("consent ledger", 3)]


def test_a_truncated_ledger_is_caught_through_the_audit_log(store: Store, policy: Policy) -> None:
    fill(store, policy, decisions=4, events=2)
    drop_append_only_triggers(store, "consent_events")
    with store.write() as conn:  # cutting the tail leaves a chain that verifies on its own
        conn.execute(text("DELETE FROM consent_events WHERE seq = 4"))
    with store.read() as conn:
        result = audit.verify(conn)
    assert [(p.chain, p.seq) for p in result.problems] == [("audit log", 1)]
    assert "ledger entry 4" in result.problems[0].reason


def test_hashes_do_not_depend_on_key_order() -> None:
    assert entry_hash(GENESIS, {"a": 1, "b": T0}) == entry_hash(GENESIS, {"b": T0, "a": 1})
    assert entry_hash(GENESIS, {"a": 1}) != entry_hash(GENESIS, {"a": 2})
