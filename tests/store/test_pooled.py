"""A server's store: pooled connections, and writers of one process queued in Python."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from purposely import audit
from purposely.consent.ledger import ConsentDecision, Decision, append
from purposely.policy import Policy
from purposely.store import Store


def test_concurrent_writers_of_a_pooled_store_keep_the_chain(store: Store, policy: Policy) -> None:
    pooled = Store.open(store.url_with_password, pooled=True)
    assert (pooled.write_lock is not None) == (pooled.dialect == "sqlite")

    def decide(n: int) -> int:
        decision = ConsentDecision(
            f"p{n}", "train_ai_system", Decision.GRANT, datetime.now(UTC), "v1", "test"
        )
        with pooled.write() as conn:
            return append(conn, policy, [decision])[0]

    with ThreadPoolExecutor(8) as pool:
        seqs = sorted(pool.map(decide, range(40)))
    assert seqs == list(range(1, 41))
    with pooled.read() as conn:
        assert audit.verify(conn).ok
    attached = Store.attach(store.url_with_password, pooled.secret, pooled=True)
    with attached.read() as conn:
        assert audit.verify(conn).ledger_entries == 40
    pooled.engine.dispose()
    attached.engine.dispose()
