"""Propagation: a change that the gate would now refuse makes every holding snapshot stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest
from sqlalchemy import delete, insert, select, text, update

from purposely.consent import ConsentDecision, Decision, append
from purposely.datasets import lineage, staleness
from purposely.datasets.build import BuildOptions, build
from purposely.datasets.rebuild import rebuild
from purposely.datasets.snapshot import Provenance
from purposely.datasets.staleness import refresh
from purposely.ingest.jsonl import ingest_jsonl
from purposely.policy import Policy
from purposely.store import Store, partitions
from purposely.store.models import ChangeLog, Record, Snapshot, Subject
from purposely.store.subjects import find_subject
from tests.datasets.conftest import TRAIN
from tests.factories import post, subject, write_jsonl

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


def drop_trigger(store: Store, name: str, table: str) -> None:
    """Remove one of the change-logging triggers, as a writer behind the store's back."""
    on = "" if store.engine.dialect.name == "sqlite" else f" ON {table}"
    with store.write() as conn:
        conn.execute(text(f"DROP TRIGGER {name}{on}"))


def test_a_subject_turning_out_to_be_a_minor_makes_it_stale(
    platform: Store, policy: Policy
) -> None:
    snapshot_id = build(platform, policy, TRAIN, Path("a"), caller="t", options=SMALL)
    corrected = subject("m3", handle="handle3", birth_date="2012-06-01")
    ingest_jsonl(platform, policy, write_jsonl(Path("age.jsonl"), [corrected]))
    assert refresh(platform, policy) == {snapshot_id: {"minor": 5}}


def test_a_check_asks_again_only_about_what_changed_since_the_last(
    platform: Store, policy: Policy
) -> None:
    snapshot_id = build(platform, policy, TRAIN, Path("a"), caller="t", options=SMALL)
    drop_trigger(platform, "records_log_delete", "records")
    with platform.write() as conn:  # a deletion nothing logs
        conn.execute(delete(Record).where(Record.source_id == "m1-p0"))
    assert refresh(platform, policy) == {}  # m1 did not change as far as the store knows
    with platform.write() as conn:  # as after the upgrade to 0009: never checked
        conn.execute(update(Snapshot).values(checked_at=None))
    assert refresh(platform, policy) == {snapshot_id: {"deleted": 1}}


def test_another_policy_checks_every_sample_again(platform: Store, policy: Policy) -> None:
    snapshot_id = build(platform, policy, TRAIN, Path("a"), caller="t", options=SMALL)
    assert refresh(platform, policy) == {}
    older = policy.model_copy(update={"minimum_age": 40})  # everyone here is under 40
    found = refresh(platform, older)
    with platform.read() as conn:
        held = lineage.info(conn, snapshot_id).counts["included"]
    assert found == {snapshot_id: {"minor": held}}


def test_changes_begun_shortly_before_the_last_check_are_looked_at_again(
    platform: Store, policy: Policy
) -> None:
    snapshot_id = build(platform, policy, TRAIN, Path("a"), caller="t", options=SMALL)
    assert refresh(platform, policy) == {}
    drop_trigger(platform, "records_log_delete", "records")
    with platform.write() as conn:
        pk = find_subject(conn, "m2").pk
        conn.execute(delete(Record).where(Record.source_id == "m2-p3"))
        checked = conn.scalar(select(Snapshot.checked_at).where(Snapshot.id == snapshot_id))
        # Stamped when its transaction began, ten minutes before the last check.
        at = checked - timedelta(minutes=10)
        conn.execute(insert(ChangeLog).values(subject_pk=pk, record_pk=None, changed_at=at))
    assert refresh(platform, policy) == {snapshot_id: {"deleted": 1}}


def test_a_rebuild_starts_from_its_parents_last_check(platform: Store, policy: Policy) -> None:
    first = build(platform, policy, TRAIN, Path("a"), caller="t", options=SMALL)
    decide(platform, policy, "m0", Decision.WITHDRAW)
    second = rebuild(platform, policy, first, Path("b"), caller="t")
    with platform.read() as conn:
        parent, child = lineage.info(conn, first), lineage.info(conn, second)
    assert parent.checked is not None and child.checked == parent.checked
    assert child.checked.watermark >= parent.watermark + 1  # saw m0's withdrawal
    assert refresh(platform, policy) == {}


def registered(store: Store, samples: int, subjects: int) -> str:
    """A snapshot registered with ``samples`` lineage rows spread over ``subjects``."""
    origin = Provenance(
        snapshot_id="big",
        purpose=TRAIN,
        policy_digest="-",
        watermark=0,
        as_of=datetime.now(UTC).date(),
        created_at=datetime.now(UTC),
        executor="local",
        parent=None,
        preparation={},
    )
    rows = pa.table(
        {
            "sample_id": [f"{i:024x}" for i in range(samples)],
            "shard": pa.array([0] * samples, pa.int32()),
            "record_pk": range(samples),
            "subject_pk": [i % subjects for i in range(samples)],
            "basis": ["consent"] * samples,
            "consent_seq": [1] * samples,
        }
    )
    with store.write() as conn:
        lineage.register(
            conn, lineage.snapshot_row(origin, Path("big"), {}, "", 0, checked=None), [], rows
        )
    return origin.snapshot_id


def test_a_check_reads_only_the_changed_members_lineage(store: Store) -> None:
    """Registering lineage leaves statistics, so the planner finds the samples of the few
    members that changed through their index, not by reading every sample of the snapshot
    (without them, SQLite did the latter: 10x slower at a million samples)."""
    snapshot_id = registered(store, samples=20_000, subjects=2_000)
    changed = select(Subject.pk).where(Subject.id.in_(["m1", "m2"]))
    query = staleness._fresh_samples(snapshot_id, snapshot_id, changed)
    explain = "EXPLAIN QUERY PLAN " if store.engine.dialect.name == "sqlite" else "EXPLAIN "
    with store.read() as conn:
        sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
        plan = " | ".join(str(row[-1]) for row in conn.exec_driver_sql(explain + sql))
    if store.engine.dialect.name == "sqlite":
        assert "ix_samples_subject_pk" in plan, plan
    else:  # the snapshot's partition, with its share of the index (named after it)
        assert f"Index Scan on {partitions.partition_name(snapshot_id)}_subject_pk_idx" in plan


def test_an_imports_own_changes_are_found_however_long_it_ran(
    platform: Store, policy: Policy
) -> None:
    """An import stamps its changes while its transaction runs; a check made meanwhile, more
    than LAG later, must not hide them from the check the import runs when it is done."""
    snapshot_id = build(platform, policy, TRAIN, Path("a"), caller="t", options=SMALL)
    started = datetime.now(UTC)
    lines = [{"type": "delete", "id": "m1-p0"}]
    ingest_jsonl(platform, policy, write_jsonl(Path("long.jsonl"), lines))
    with platform.write() as conn:  # a check made an hour into the import
        conn.execute(update(Snapshot).values(checked_at=started + timedelta(hours=1)))
    assert refresh(platform, policy) == {}
    assert refresh(platform, policy, since=started) == {snapshot_id: {"deleted": 1}}


def test_a_check_about_more_members_than_a_statement_takes_parameters_still_runs(
    platform: Store, policy: Policy
) -> None:
    # SQLite binds at most 32,766 values to a statement, PostgreSQL 65,535: after a large
    # import or a large batch of decisions, the members to re-check are more than that.
    snapshot_id = build(platform, policy, TRAIN, Path("a"), caller="t", options=SMALL)
    decide(platform, policy, "m0", Decision.WITHDRAW)
    with platform.read() as conn:
        pk = find_subject(conn, "m0").pk
    many = [pk, *range(10**9, 10**9 + 70_000)]  # m0 among 70,000 members that do not exist
    assert refresh(platform, policy, subject_pks=many) == {snapshot_id: {"withdrawn": 5}}
