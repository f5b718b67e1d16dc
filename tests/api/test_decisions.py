"""Group commit of consent decisions: one transaction per batch, one failure per bad decision."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import replace

import pytest

from purposely import audit
from purposely.access import revoke_token, token_of
from purposely.api.decisions import (
    DecisionRequest,
    DecisionWriter,
    Recorded,
    ServerStoppingError,
    TokenRevokedError,
)
from purposely.api.services import Services
from purposely.consent.ledger import LEDGER, Decision
from purposely.errors import PurposelyError, UnknownPurposeError, UnknownSubjectError
from purposely.policy import Policy
from purposely.store import Store
from tests.api.conftest import TRAIN, bearer

IDENTITY = "essential.service.security.identity_verification"
OK = DecisionRequest("alice", TRAIN, Decision.WITHDRAW, channel="test")


def request(**changes: object) -> DecisionRequest:
    """:data:`OK` with ``changes``."""
    return replace(OK, **changes)  # type: ignore[arg-type]


def ledger_size(store: Store) -> int:
    """Entries in the consent ledger."""
    with store.read() as conn:
        return LEDGER.count(conn)


def test_a_batch_is_one_transaction_and_a_bad_decision_fails_alone(
    platform: Store, policy: Policy
) -> None:
    writer = DecisionWriter(platform, policy)
    head = ledger_size(platform)
    # Queued before the thread starts, so that they are written as one batch.
    futures: list[Future[Recorded]] = [
        writer.submit(OK),
        writer.submit(request(subject="nobody")),
        writer.submit(request(purpose="astrology")),
        writer.submit(request(purpose=IDENTITY, decision=Decision.GRANT)),
        writer.submit(request(subject="@bob", notice_version="2024-01")),
    ]
    writer.start()
    first, last = futures[0].result(10), futures[4].result(10)
    assert (first.ledger_entry, last.ledger_entry) == (head + 1, head + 2)
    assert (first.subject.id, last.subject.id, last.notice_version) == ("alice", "bob", "2024-01")
    assert first.notice_version == writer.notice_version
    for future, error in zip(
        futures[1:4], (UnknownSubjectError, UnknownPurposeError, PurposelyError), strict=True
    ):
        with pytest.raises(error):
            future.result(10)
    writer.stop()
    assert writer.batches == 1
    with platform.read() as conn:
        assert LEDGER.count(conn) == head + 2 and audit.verify(conn).ok


def test_a_cancelled_request_is_not_recorded_and_a_stopped_writer_takes_none(
    platform: Store, policy: Policy
) -> None:
    writer = DecisionWriter(platform, policy)
    head = ledger_size(platform)
    cancelled = writer.submit(OK)
    assert cancelled.cancel()
    kept = writer.submit(OK)
    writer.start()
    assert kept.result(10).ledger_entry == head + 1
    writer.stop()
    with pytest.raises(ServerStoppingError, match="send the decision again"):
        writer.submit(OK)
    assert ledger_size(platform) == head + 1


def test_a_decision_needs_its_token_live_when_written(
    services: Services, platform: Store, policy: Policy
) -> None:
    headers = bearer(services, [TRAIN], ["write"])
    token = token_of(platform, headers["Authorization"].removeprefix("Bearer "))
    assert token is not None
    writer = DecisionWriter(platform, policy)
    writer.start()
    assert writer.submit(request(token_id=token.id)).result(10).ledger_entry
    revoke_token(platform, token.id)
    with pytest.raises(TokenRevokedError):
        writer.submit(request(token_id=token.id)).result(10)
    writer.stop()
