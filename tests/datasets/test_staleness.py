"""Propagation: a change that the gate would now refuse makes every holding snapshot stale."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from purposely.consent import ConsentDecision, Decision, append
from purposely.datasets import lineage
from purposely.datasets.build import BuildOptions, build
from purposely.datasets.staleness import refresh
from purposely.ingest.jsonl import ingest_jsonl
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.subjects import find_subject
from tests.datasets.conftest import TRAIN
from tests.factories import post, write_jsonl

SMALL = BuildOptions(workers=1, shard_rows=10)


def decide(store: Store, policy: Policy, who: str, decision: Decision) -> None:
    """Record a decision of subject ``who`` now."""
    with store.write() as conn:
        append(
            conn,
            policy,
            [
                ConsentDecision(
                    store.pseudonym(who), TRAIN, decision, datetime.now(UTC), "v", "test"
                )
            ],
        )


def stale_of(store: Store, snapshot_id: str) -> dict[str, int]:
    """The stale samples of a snapshot by reason, after a refresh."""
    with store.read() as conn:
        return lineage.info(conn, snapshot_id).stale


@pytest.mark.parametrize(
    ("decision", "reason"), [(Decision.WITHDRAW, "withdrawn"), (Decision.OBJECT, "objected")]
)
def test_a_withdrawal_or_objection_makes_both_snapshots_stale(
    platform: Store, policy: Policy, decision: Decision, reason: str
) -> None:
    first = build(platform, policy, TRAIN, Path("a"), caller="t", options=SMALL)
    second = build(platform, policy, TRAIN, Path("b"), caller="t", options=SMALL)
    decide(platform, policy, "m0", decision)
    with platform.read() as conn:
        pk = find_subject(conn, "m0").pk
    found = refresh(platform, policy, subject_pks=[pk])
    assert found == {first: {reason: 5}, second: {reason: 5}}  # m0's five public posts
    assert stale_of(platform, first) == {reason: 5}
    assert refresh(platform, policy) == {}  # nothing new the second time


def test_deleted_and_privatised_posts_make_it_stale(platform: Store, policy: Policy) -> None:
    snapshot_id = build(platform, policy, TRAIN, Path("a"), caller="t", options=SMALL)
    ingest_jsonl(
        platform,
        policy,
        write_jsonl(
            Path("changes.jsonl"),
            [
                {"type": "delete", "id": "m1-p0"},
                post("m2-p1", "m2", text="now for my followers only", visibility="private"),
            ],
        ),
    )
    assert refresh(platform, policy) == {snapshot_id: {"deleted": 1, "private": 1}}
    with platform.read() as conn:
        info = lineage.info(conn, snapshot_id)
    assert info.state == "stale" and info.stale == {"deleted": 1, "private": 1}


def test_unrelated_changes_leave_it_ready(platform: Store, policy: Policy) -> None:
    snapshot_id = build(platform, policy, TRAIN, Path("a"), caller="t", options=SMALL)
    decide(platform, policy, "silent", Decision.OBJECT)  # had nothing in the snapshot
    ingest_jsonl(platform, policy, write_jsonl(Path("more.jsonl"), [post("new", "m0")]))
    assert refresh(platform, policy) == {}
    with platform.read() as conn:
        assert lineage.info(conn, snapshot_id).state == "ready"
