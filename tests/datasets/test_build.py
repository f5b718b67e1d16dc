"""Building a snapshot: what goes in, how it is prepared, how it lands on disk."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import datasets as hf
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from purposely.datasets import lineage
from purposely.datasets.build import BuildOptions, build
from purposely.datasets.snapshot import read_manifest, sha256_of
from purposely.errors import PurposelyError
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.models import Record, Sample, Subject
from tests.datasets.conftest import TRAIN

SMALL = BuildOptions(workers=1, shard_rows=10)


def platform_text(store: Store) -> str:
    """Every stored post's text, joined."""
    with store.read() as conn:
        return " ".join(t for (t,) in conn.execute(select(Record.text)) if t)


def texts(out: Path) -> list[str]:
    """Every text in a snapshot's shards, in order."""
    return pq.read_table(out / "data").column("text").to_pylist()


def test_a_snapshot_holds_only_what_the_gate_allows(platform: Store, policy: Policy) -> None:
    out = Path("snap")
    snapshot_id = build(platform, policy, TRAIN, out, caller="test", options=SMALL)
    found = texts(out)
    assert len(found) == 6 * 5 + 1 + 1 + 1  # members' posts, pii-1, one dup, one near dup
    assert not any(
        t in found
        for t in (
            "only for my followers",
            "a direct message",
            "I am twelve",
            "I never consented to anything",
        )
    )
    manifest = read_manifest(out)
    assert manifest["snapshot_id"] == snapshot_id and manifest["purpose"] == TRAIN
    assert manifest["counts"]["included"] == len(found)
    assert manifest["counts"]["excluded"] == {
        "private": 2,
        "minor": 1,
        "no_consent": 1,
        "duplicate_exact": 1,
        "duplicate_near": 1,
    }
    assert manifest["counts"]["by_basis"] == {"consent": len(found)}


def test_texts_are_prepared_as_the_policy_says(platform: Store, policy: Policy) -> None:
    out = Path("snap")
    build(platform, policy, TRAIN, out, caller="test", options=SMALL)
    (pii,) = [t for t in texts(out) if t.startswith("Schreib mir")]
    assert pii == "Schreib mir an <EMAIL> oder ruf <PHONE> an, @user http"
    assert read_manifest(out)["counts"]["redactions"] == {"EMAIL": 1, "PHONE": 1}


def test_the_first_of_each_duplicate_group_is_kept(platform: Store, policy: Policy) -> None:
    out = Path("snap")
    build(platform, policy, TRAIN, out, caller="test", options=SMALL)
    found = texts(out)
    assert found.count("Exactly the same words here") == 1
    assert "Great concert last night at the old harbour, what a show!" in found
    assert not any(t.endswith("!!! http") for t in found)


def test_shards_carry_no_subject_ids_or_handles_and_load_everywhere(
    platform: Store, policy: Policy
) -> None:
    out = Path("snap")
    build(platform, policy, TRAIN, out, caller="test", options=SMALL)
    table = pq.read_table(out / "data")
    assert table.column_names == ["sample_id", "text", "lang", "created_at"]
    values = " ".join(str(v) for column in table.columns for v in column.to_pylist())
    with platform.read() as conn:
        ids = [i for (i,) in conn.execute(select(Subject.id))]
        handles = [h for (h,) in conn.execute(select(Subject.handle)) if h]
        pks = [str(pk) for (pk,) in conn.execute(select(Record.pk))]
    assert "@handle2" in platform_text(platform)  # the member's handle was in a post
    for secret in (*ids, *handles):
        assert not re.search(rf"\b{re.escape(secret)}\b", values), secret
    assert not set(pks) & set(table.column("sample_id").to_pylist())
    loaded = hf.load_dataset("parquet", data_files=str(out / "data" / "*.parquet"), split="train")
    assert loaded.num_rows == table.num_rows and loaded.column_names == table.column_names


def test_manifest_lists_every_shard_with_its_checksum(platform: Store, policy: Policy) -> None:
    out = Path("snap")
    build(platform, policy, TRAIN, out, caller="test", options=SMALL)
    manifest = read_manifest(out)
    files = sorted(p.name for p in (out / "data").iterdir())
    assert [s["path"] for s in manifest["shards"]] == [f"data/{f}" for f in files]
    assert files == [f"train-0000{i}-of-00004.parquet" for i in range(4)]
    for shard in manifest["shards"]:
        assert sha256_of(out / shard["path"]) == shard["sha256"]
    assert sum(s["rows"] for s in manifest["shards"]) == manifest["counts"]["included"]
    card = (out / "README.md").read_text()
    assert card.startswith("---\nlicense: other\n") and "path: data/*.parquet" in card
    assert f"{manifest['counts']['included']:,} samples" in card


def test_same_store_policy_and_watermark_give_identical_shards(
    platform: Store, policy: Policy
) -> None:
    first, second = Path("one"), Path("two")
    build(platform, policy, TRAIN, first, caller="test", options=SMALL)
    build(
        platform,
        policy,
        TRAIN,
        second,
        caller="test",
        options=BuildOptions(workers=2, shard_rows=10, batch_rows=7),
    )
    one = read_manifest(first)["shards"]
    two = read_manifest(second)["shards"]
    assert [s["sha256"] for s in one] == [s["sha256"] for s in two]
    assert read_manifest(first)["snapshot_id"] != read_manifest(second)["snapshot_id"]


def built_with_lineage(
    platform: Store, policy: Policy, *columns: Any
) -> tuple[str, pa.Table, list[Any]]:
    """A snapshot built from ``platform``: its id, its shards, and ``columns`` of its
    lineage rows joined to their records and members."""
    out = Path("snap")
    snapshot_id = build(platform, policy, TRAIN, out, caller="test", options=SMALL)
    with platform.read() as conn:
        rows = conn.execute(
            select(*columns)
            .join(Record, Record.pk == Sample.record_pk)
            .join(Subject, Subject.pk == Sample.subject_pk)
            .where(Sample.snapshot_id == snapshot_id)
        ).all()
    return snapshot_id, pq.read_table(out / "data"), list(rows)


def test_lineage_leads_from_each_sample_to_record_subject_and_consent(
    platform: Store, policy: Policy
) -> None:
    columns = (Sample.sample_id, Record.source_id, Subject.id, Sample.basis, Sample.consent_seq)
    snapshot_id, table, rows = built_with_lineage(platform, policy, *columns)
    with platform.read() as conn:
        info = lineage.info(conn, snapshot_id, with_shards=True)
    assert {r.sample_id for r in rows} == set(table.column("sample_id").to_pylist())
    by_record = {r.source_id: r for r in rows}
    assert by_record["m0-p0"].id == "m0" and by_record["m0-p0"].basis == "consent"
    assert by_record["m0-p0"].consent_seq == 1  # m0's grant was the first ledger entry
    assert info.state == "ready" and len(info.shards) == 4


def test_each_shard_row_carries_the_sample_id_of_its_own_record(
    platform: Store, policy: Policy
) -> None:
    columns = (Sample.sample_id, Record.pk, Record.source_id, Record.text)
    _, table, rows = built_with_lineage(platform, policy, *columns)
    by_id = {r.sample_id: r for r in rows}
    records = [by_id[sample_id] for sample_id in table.column("sample_id").to_pylist()]
    assert [r.pk for r in records] == sorted(r.pk for r in records)  # record order
    texts = table.column("text").to_pylist()
    plain = [(r.text, text) for r, text in zip(records, texts, strict=True) if "-p" in r.source_id]
    assert len(plain) == 30 and all(stored == written for stored, written in plain)
    for r in rows:  # the id is the record's own, keyed by the installation's secret
        assert r.sample_id == lineage.sample_ids(platform.secret, TRAIN, [r.pk])[0]


def test_out_must_be_new(platform: Store, policy: Policy) -> None:
    out = Path("taken")
    out.mkdir()
    (out / "something.txt").write_text("mine")
    with pytest.raises(PurposelyError, match="already exists"):
        build(platform, policy, TRAIN, out, caller="test", options=SMALL)
    assert (out / "something.txt").read_text() == "mine"


def test_purposes_that_release_only_aggregates_get_no_dataset(
    platform: Store, policy: Policy
) -> None:
    with pytest.raises(PurposelyError, match="aggregates"):
        build(platform, policy, "third_party_sharing", Path("x"), caller="test")
    assert not Path("x").exists()


def test_an_empty_answer_gives_an_empty_snapshot(store: Store, policy: Policy) -> None:
    out = Path("empty")
    build(store, policy, TRAIN, out, caller="test", options=SMALL)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["included"] == 0
    assert pq.read_table(out / "data").num_rows == 0
