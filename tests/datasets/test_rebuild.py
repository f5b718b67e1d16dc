"""Rebuilding a stale snapshot: only the shards that held stale samples change."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import Connection, func, select

from purposely import audit
from purposely.consent import ConsentDecision, Decision, append
from purposely.datasets import lineage, staleness
from purposely.datasets.build import BuildOptions, build
from purposely.datasets.rebuild import rebuild
from purposely.datasets.snapshot import read_manifest, sha256_of
from purposely.errors import PurposelyError
from purposely.gate import Gate
from purposely.ingest.jsonl import ingest_jsonl
from purposely.policy import Policy
from purposely.rights.report import access_report
from purposely.store import Store
from purposely.store.models import Sample
from tests.datasets.conftest import TRAIN
from tests.factories import write_jsonl

# Members' posts are in record order, five per member: shard k holds member k's posts.
# The tables in the test's own schema, on PostgreSQL.
OWN_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
BY_MEMBER = BuildOptions(workers=1, shard_rows=5)


def withdraw(store: Store, policy: Policy, who: str) -> None:
    """Subject ``who`` withdraws from AI training now."""
    with store.write() as conn:
        append(
            conn,
            policy,
            [
                ConsentDecision(
                    store.pseudonym(who), TRAIN, Decision.WITHDRAW, datetime.now(UTC), "v", "test"
                )
            ],
        )


def held_counts(conn: Connection) -> dict[str, int]:
    """Samples held, per snapshot."""
    h = lineage.held()
    query = select(h.c.snapshot_id, func.count()).group_by(h.c.snapshot_id)
    return {sid: int(n) for sid, n in conn.execute(query)}


def shard_hashes(out: Path) -> dict[str, str]:
    """Shard name -> sha256, from the files."""
    return {p.name: sha256_of(p) for p in sorted((out / "data").glob("*.parquet"))}


def test_only_the_shards_that_held_stale_samples_are_rewritten(
    platform: Store, policy: Policy
) -> None:
    old = build(platform, policy, TRAIN, Path("old"), caller="t", options=BY_MEMBER)
    before = shard_hashes(Path("old"))
    withdraw(platform, policy, "m3")
    new = rebuild(platform, policy, old[:8], Path("new"), caller="t")
    after = shard_hashes(Path("new"))
    assert after.keys() == before.keys()
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"train-00003-of-00007.parquet"}  # m3's posts, and only those
    assert pq.read_table(Path("new") / "data" / "train-00003-of-00007.parquet").num_rows == 0
    manifest = read_manifest(Path("new"))
    assert manifest["parent"] == old and manifest["snapshot_id"] == new
    assert manifest["counts"]["included"] == read_manifest(Path("old"))["counts"]["included"] - 5
    assert manifest["counts"]["excluded"]["withdrawn"] == 5
    for shard in manifest["shards"]:
        assert after[shard["path"].removeprefix("data/")] == shard["sha256"]


def test_the_rebuild_has_ready_lineage_and_is_audited(platform: Store, policy: Policy) -> None:
    old = build(platform, policy, TRAIN, Path("old"), caller="t", options=BY_MEMBER)
    withdraw(platform, policy, "m0")
    new = rebuild(platform, policy, old, Path("new"), caller="t")
    with platform.read() as conn:
        samples = held_counts(conn)
        assert lineage.info(conn, new).state == "ready"
        assert lineage.info(conn, old).stale == {"withdrawn": 5}
        event = audit.recent(conn, 1)[0]
    assert samples[new] == samples[old] - 5
    assert event["action"] == "dataset.rebuild" and event["withheld"] == {"withdrawn": 5}
    assert event["details"] == {"snapshot": new, "parent": old}


def test_a_changed_shard_is_refused_rather_than_copied(platform: Store, policy: Policy) -> None:
    old = build(platform, policy, TRAIN, Path("old"), caller="t", options=BY_MEMBER)
    withdraw(platform, policy, "m0")
    tampered = Path("old") / "data" / "train-00005-of-00007.parquet"
    tampered.write_bytes(tampered.read_bytes() + b"x")
    with pytest.raises(PurposelyError, match="changed after it was built"):
        rebuild(platform, policy, old, Path("new"), caller="t")
    assert not Path("new").exists()


def test_unknown_snapshot(platform: Store, policy: Policy) -> None:
    with pytest.raises(PurposelyError, match="no snapshot 'cafe'"):
        rebuild(platform, policy, "cafe", Path("new"), caller="t")


def basis_counts(conn: Connection, snapshot_id: str) -> dict[str, int]:
    """A snapshot's samples counted by legal basis, over its whole lineage."""
    h = lineage.held()
    query = select(h.c.basis, func.count()).where(h.c.snapshot_id == snapshot_id)
    return {basis: int(n) for basis, n in conn.execute(query.group_by(h.c.basis))}


def test_rebuilds_share_the_lineage_of_their_build_instead_of_copying_it(
    platform: Store, policy: Policy
) -> None:
    old = build(platform, policy, TRAIN, Path("old"), caller="t", options=BY_MEMBER)
    with platform.read() as conn:
        rows_after_build = conn.scalar(select(func.count()).select_from(Sample))
    withdraw(platform, policy, "m0")
    new = rebuild(platform, policy, old, Path("new"), caller="t")
    withdraw(platform, policy, "m1")
    newer = rebuild(platform, policy, new, Path("newer"), caller="t")
    with platform.read() as conn:
        held = held_counts(conn)
        rows = conn.scalar(select(func.count()).select_from(Sample))
        infos = {sid: lineage.info(conn, sid) for sid in (old, new, newer)}
    assert rows == rows_after_build  # no lineage row was copied
    m1 = infos[new].stale["withdrawn"]  # m1's samples, which `newer` left out
    assert held[new] == held[old] - 5 and held[newer] == held[new] - m1 and m1 > 0
    assert {i.lineage_of for i in infos.values()} == {old}
    assert infos[old].stale == {"withdrawn": 5 + m1} and infos[newer].state == "ready"
    with platform.read() as conn:
        by_basis = basis_counts(conn, newer)
        members = {s: lineage.subject_count(conn, s, without_stale=False) for s in (old, newer)}
    assert sum(by_basis.values()) == held[newer]
    assert members[newer] == members[old] - 2  # m0 and m1 are in it no more
    # A rebuild's counts are its parent's less what it removed: they agree with a full count.
    for sid in (old, newer):
        assert infos[sid].counts["subjects"] == members[sid]
    assert infos[newer].counts["by_basis"] == by_basis


def test_a_rebuild_counts_a_member_who_keeps_some_samples(platform: Store, policy: Policy) -> None:
    old = build(platform, policy, TRAIN, Path("old"), caller="t", options=BY_MEMBER)
    lines = [{"type": "delete", "id": "m2-p0"}]  # one of m2's posts; four stay
    ingest_jsonl(platform, policy, write_jsonl(Path("delete.jsonl"), lines))
    withdraw(platform, policy, "m0")  # all of m0's posts go
    new = rebuild(platform, policy, old, Path("new"), caller="t")
    with platform.read() as conn:
        before, after = lineage.info(conn, old), lineage.info(conn, new)
        full = lineage.subject_count(conn, new, without_stale=False)
    assert after.counts["subjects"] == before.counts["subjects"] - 1 == full


def test_a_rebuilt_snapshot_goes_stale_and_is_reported_like_any_other(
    platform: Store, policy: Policy
) -> None:
    old = build(platform, policy, TRAIN, Path("old"), caller="t", options=BY_MEMBER)
    withdraw(platform, policy, "m0")
    new = rebuild(platform, policy, old, Path("new"), caller="t")
    withdraw(platform, policy, "m2")
    found = staleness.refresh(platform, policy)
    m2 = found[new]["withdrawn"]
    assert found == {old: {"withdrawn": m2}, new: {"withdrawn": m2}} and m2 > 0
    report = access_report(Gate(platform, policy), "m2", caller="t")
    assert {h.snapshot_id: (h.samples, h.stale) for h in report.snapshots} == {
        old: (m2, {"withdrawn": m2}),
        new: (m2, {"withdrawn": m2}),
    }


def test_a_build_whose_lineage_rebuilds_share_cannot_be_forgotten(
    platform: Store, policy: Policy
) -> None:
    old = build(platform, policy, TRAIN, Path("old"), caller="t", options=BY_MEMBER)
    withdraw(platform, policy, "m0")
    rebuild(platform, policy, old, Path("new"), caller="t")
    with (
        pytest.raises(PurposelyError, match="rebuilds that share its lineage"),
        platform.write() as conn,
    ):
        lineage.forget(conn, old)
    with platform.read() as conn:
        assert held_counts(conn)[old] > 0


def test_forgetting_a_build_removes_its_lineage_and_only_its(
    platform: Store, policy: Policy
) -> None:
    kept = build(platform, policy, TRAIN, Path("kept"), caller="t", options=BY_MEMBER)
    gone = build(platform, policy, TRAIN, Path("gone"), caller="t", options=BY_MEMBER)
    with platform.read() as conn:
        before = held_counts(conn)
    assert before[kept] == before[gone] > 0
    with platform.write() as conn:
        lineage.forget(conn, gone)
    with platform.read() as conn:
        assert held_counts(conn) == {kept: before[kept]}
        assert conn.scalar(select(func.count()).where(Sample.snapshot_id == gone)) == 0
        if conn.dialect.name == "postgresql":  # its partition went with it
            tables = conn.exec_driver_sql(OWN_TABLES).scalars().all()
            assert f"samples_{gone}" not in tables and f"samples_{kept}" in tables
