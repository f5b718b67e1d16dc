"""Gate.changes: which members' answer for a purpose may have changed since an earlier one
(what keeps the candidate index current without asking about everyone again)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from purposely.consent.ledger import watermark
from purposely.errors import PurposelyError
from purposely.gate import Changes, Gate
from purposely.policy import Policy
from purposely.rights.erase import erase
from purposely.store import Store
from purposely.store.models import AuditEvent
from tests.factories import consent, post, skill, subject
from tests.jobs.conftest import RECOMMEND, RECRUIT, load, opted_in


def named(changes: Changes) -> dict[str, tuple[bool, int]]:
    """Who was named, with whether they decided (or came of age) and how many writes."""
    return {c.subject.id: (c.decided, c.writes) for c in changes.subjects}


def test_consent_decisions_and_writes_since_are_named(store: Store, policy: Policy) -> None:
    load(store, policy, [*opted_in("a"), skill("a", "Python"), *opted_in("b"), subject("c")])
    gate = Gate(store, policy)
    with store.read() as conn:
        mark = watermark(conn)
    since = datetime.now(UTC)
    with store.read() as conn:
        audited = conn.scalar(select(func.count()).select_from(AuditEvent))
    assert gate.changes(RECRUIT, watermark=mark, since=since).subjects == ()
    load(
        store,
        policy,
        [
            consent("a", RECRUIT, "withdraw", at="2024-02-01T00:00:00Z"),
            consent("c", RECOMMEND),  # another purpose: not a change for recruitment
            skill("b", "Excel"),
            skill("b", "SQL"),
            post("p1", "c"),  # a post: no category recruitment may use
        ],
    )
    changes = gate.changes(RECRUIT, watermark=mark, since=since)
    assert named(changes) == {"a": (True, 0), "b": (False, 2)}
    assert changes.watermark == mark + 2 and changes.purpose == RECRUIT
    b = next(c for c in changes.subjects if c.subject.id == "b")
    assert b.updated_at is not None and b.updated_at > since
    assert named(gate.changes(RECOMMEND, watermark=mark, since=since)) == {
        "c": (True, 0),
        "b": (False, 2),
    }
    # A member's own row sent again (a new country, a new birth date) is a change too.
    later = datetime.now(UTC)
    load(store, policy, [subject("c", country="US")])
    assert named(gate.changes(RECRUIT, watermark=changes.watermark, since=later)) == {
        "c": (False, 1)
    }
    # Naming members releases nothing: no audit event.
    with store.read() as conn:
        assert conn.scalar(select(func.count()).select_from(AuditEvent)) == audited


def test_members_who_came_of_age_are_named(store: Store, policy: Policy) -> None:
    load(store, policy, [*opted_in("teen", birth_date="2008-06-15"), *opted_in("old")])
    gate = Gate(store, policy)
    with store.read() as conn:
        mark = watermark(conn)
    since = datetime.now(UTC)

    def between(was: date, now: date, purpose: str = RECRUIT) -> dict[str, tuple[bool, int]]:
        return named(gate.changes(purpose, watermark=mark, since=since, as_of_was=was, as_of=now))

    assert between(date(2026, 6, 14), date(2026, 6, 15)) == {"teen": (True, 0)}
    assert between(date(2026, 6, 15), date(2026, 6, 16)) == {}
    assert between(date(2025, 1, 1), date(2025, 12, 31)) == {}
    # Recommendations do not exclude minors: coming of age changes nothing there.
    assert between(date(2026, 6, 14), date(2026, 6, 15), RECOMMEND) == {}


def test_erased_members_are_not_named_and_watermarks_are_checked(
    store: Store, policy: Policy
) -> None:
    load(store, policy, [*opted_in("gone"), skill("gone", "Python")])
    gate = Gate(store, policy)
    since = datetime(2000, 1, 1, tzinfo=UTC)
    assert named(gate.changes(RECRUIT, watermark=0, since=since)) == {"gone": (True, 2)}
    erase(store, ["gone"], caller="test")
    assert gate.changes(RECRUIT, watermark=0, since=since).subjects == ()
    with pytest.raises(PurposelyError, match="outside the consent ledger"):
        gate.changes(RECRUIT, watermark=99, since=since)


def test_writes_since_are_found_through_the_index_not_by_reading_every_record(
    sqlite_store: Store, policy: Policy
) -> None:
    from sqlalchemy import event

    load(sqlite_store, policy, [*opted_in("a"), skill("a", "Python"), post("p1", "a")])
    statements: list[tuple[str, object]] = []

    def seen(conn: object, cursor: object, statement: str, params: object, *rest: object) -> None:
        statements.append((statement, params))

    event.listen(sqlite_store.engine, "before_cursor_execute", seen)
    try:
        Gate(sqlite_store, policy).changes(RECRUIT, watermark=0, since=datetime.now(UTC))
    finally:
        event.remove(sqlite_store.engine, "before_cursor_execute", seen)
    written = [(sql, p) for sql, p in statements if "recent" in sql]
    assert len(written) == 1
    sql, params = written[0]
    with sqlite_store.read() as conn:
        plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).all()  # type: ignore[arg-type]
    details = " | ".join(str(row[-1]) for row in plan)
    assert "USING INDEX ix_records_profile_updated_at" in details
    assert "SCAN records" not in details
