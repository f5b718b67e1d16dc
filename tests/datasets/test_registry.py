"""The model registry: a member's withdrawal reaches the models trained on their posts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from purposely.consent import ConsentDecision, Decision, append
from purposely.datasets import registry
from purposely.datasets.build import BuildOptions, build
from purposely.datasets.staleness import refresh
from purposely.errors import PurposelyError
from purposely.policy import Policy
from purposely.store import Store
from tests.datasets.conftest import TRAIN

SMALL = BuildOptions(workers=1)


def test_a_model_needs_retraining_once_its_snapshot_goes_stale(
    platform: Store, policy: Policy
) -> None:
    first = build(platform, policy, TRAIN, Path("a"), caller="t", options=SMALL)
    second = build(platform, policy, TRAIN, Path("b"), caller="t", options=SMALL)
    with platform.write() as conn:
        model = registry.register(conn, "ranker", [first[:10], second], by="t", note="v1")
    assert not model.needs_retraining and [s.id for s in model.snapshots] == sorted([first, second])
    with platform.write() as conn:
        append(
            conn,
            policy,
            [
                ConsentDecision(
                    platform.pseudonym("m4"), TRAIN, Decision.OBJECT, datetime.now(UTC), "v", "t"
                )
            ],
        )
    refresh(platform, policy)
    with platform.read() as conn:
        model = registry.info(conn, "ranker")
        assert registry.trained_on(conn, [second]) == ["ranker"]
    assert model.needs_retraining
    assert model.stale == {first: {"objected": 5}, second: {"objected": 5}}


def test_registration_errors(platform: Store, policy: Policy) -> None:
    snapshot = build(platform, policy, TRAIN, Path("a"), caller="t", options=SMALL)
    with platform.write() as conn:
        registry.register(conn, "ranker", [snapshot], by="t")
    for name, refs, message in [
        ("ranker", [snapshot], "registered already"),
        ("other", ["nope"], "no snapshot 'nope'"),
        ("other", [], "--trained-on"),
        (" ", [snapshot], "needs a name"),
    ]:
        with pytest.raises(PurposelyError, match=message), platform.write() as conn:
            registry.register(conn, name, refs, by="t")
    with platform.read() as conn:
        assert [m.name for m in registry.all_models(conn)] == ["ranker"]
