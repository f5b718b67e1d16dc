"""Job listings: list, read, close; not personal data, so no gate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from purposely.errors import PurposelyError
from purposely.jobs.listings import (
    close_listing,
    get_listing,
    list_listings,
    listings_changed_since,
)
from purposely.policy import Policy
from purposely.store import Store
from tests.factories import job
from tests.jobs.conftest import load, platform


def test_list_read_and_close(store: Store, policy: Policy) -> None:
    load(store, policy, platform())
    listed = list_listings(store)
    # Newest first.
    assert [j.id for j in listed] == ["j-acc", "j-de", "j-dev", "j-care"]
    dev = get_listing(store, "j-dev")
    assert dev.title == "Software Engineer" and dev.employer == "ACME"
    assert dev.skills == ("Python", "Docker") and dev.location == "Munich, Germany"
    assert dev.is_open and dev.posted_at == datetime(2024, 1, 10, 9, tzinfo=UTC)

    before = datetime.now(UTC)
    closed = close_listing(store, "j-dev")
    assert not closed.is_open and closed.closed_at is not None and closed.closed_at >= before
    assert [j.id for j in list_listings(store)] == ["j-acc", "j-de", "j-care"]
    everything = list_listings(store, include_closed=True)
    assert [j.id for j in everything] == ["j-acc", "j-de", "j-dev", "j-care"]
    assert [j.id for j in listings_changed_since(store, before)] == ["j-dev"]
    assert len(listings_changed_since(store, before - timedelta(days=1))) == 4


def test_closing_twice_or_an_unknown_listing_is_refused(store: Store, policy: Policy) -> None:
    load(store, policy, [job("j1", "Koch")])
    close_listing(store, "j1")
    with pytest.raises(PurposelyError, match="job 'j1' was already closed at"):
        close_listing(store, "j1")
    with pytest.raises(PurposelyError, match=r"no job listing with id 'nope' \(see"):
        close_listing(store, "nope")
    with pytest.raises(PurposelyError, match="no job listing with id 'nope'"):
        get_listing(store, "nope")


def test_a_closed_listing_sent_again_stays_closed_and_is_updated(
    store: Store, policy: Policy
) -> None:
    load(store, policy, [job("j1", "Koch", location="Köln")])
    close_listing(store, "j1")
    load(store, policy, [job("j1", "Koch/Köchin", location="Köln")])
    again = get_listing(store, "j1")
    assert again.title == "Koch/Köchin" and not again.is_open
    assert list_listings(store) == []
