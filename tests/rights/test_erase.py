"""Erasure: every record goes, stays gone on re-import, and reaches datasets and models."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from purposely import audit
from purposely.consent.ledger import history
from purposely.datasets import lineage, registry
from purposely.datasets.build import BuildOptions, build
from purposely.errors import UnknownSubjectError
from purposely.gate import Gate
from purposely.ingest.jsonl import ingest_jsonl
from purposely.ingest.x_archive import ingest_x_archive
from purposely.policy import Policy
from purposely.rights.erase import erase
from purposely.rights.report import access_report
from purposely.store import Store
from purposely.store.models import Record, Subject
from tests.factories import consent, post, subject, write_jsonl

TRAIN = "train_ai_system"
TWEETS = ("walking by the old harbour at dawn", "my violin teacher says practise more")


def ytd(kind: str, items: list[dict[str, Any]]) -> str:
    """A ``window.YTD`` data file."""
    return f"window.YTD.{kind}.part0 = {json.dumps(items)}"


def x_archive(path: Path) -> Path:
    """A small X archive of account 42 (@erin): two public tweets."""
    tweets = [
        {
            "tweet": {
                "id_str": f"9{i}",
                "full_text": [
                    "walking by the old harbour at dawn",
                    "my violin teacher says practise more",
                ][i],
                "lang": "en",
                "created_at": "Sat Feb 18 19:45:15 +0000 2023",
            }
        }
        for i in range(2)
    ]
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "data/account.js",
            ytd(
                "account",
                [
                    {
                        "account": {
                            "accountId": "42",
                            "username": "erin",
                            "email": "erin@example.org",
                            "createdAt": "2020-01-01T00:00:00.000Z",
                        }
                    }
                ],
            ),
        )
        archive.writestr("data/tweets.js", ytd("tweets", tweets))
        archive.writestr(
            "data/ageinfo.js",
            ytd("ageinfo", [{"ageMeta": {"ageInfo": {"age": ["30"], "birthDate": "1990-01-01"}}}]),
        )
    return path


def counts(store: Store) -> tuple[int, int]:
    """Subjects and records in the store."""
    with store.read() as conn:
        return (
            conn.scalar(select(func.count()).select_from(Subject)) or 0,
            conn.scalar(select(func.count()).select_from(Record)) or 0,
        )


def test_erase_then_reimport_leaves_nothing_of_them(store: Store, policy: Policy) -> None:
    archive = x_archive(Path("erin.zip"))
    ingest_x_archive(store, policy, archive)
    ingest_jsonl(
        store,
        policy,
        write_jsonl(
            Path("c.jsonl"),
            [consent("x:42", TRAIN), subject("dave"), post("d1", "dave"), consent("dave", TRAIN)],
        ),
    )
    snapshot = build(
        store, policy, TRAIN, Path("snap"), caller="t", options=BuildOptions(workers=1)
    )
    with store.write() as conn:
        registry.register(conn, "ranker", [snapshot], by="t")
    before = counts(store)

    done = erase(store, ["@erin"], caller="privacy-officer")
    assert done.subjects == ("x:42",) and done.snapshots == {snapshot: 2}
    assert done.models == ("ranker",)
    assert counts(store) == (before[0] - 1, before[1] - done.record_count)

    report = ingest_x_archive(store, policy, archive)
    assert report.stored == {} and report.subjects == 0
    assert sum(report.skipped.values()) >= 3  # the subject and both tweets, at least
    assert counts(store) == (before[0] - 1, before[1] - done.record_count)
    with pytest.raises(UnknownSubjectError):
        access_report(Gate(store, policy), "@erin", caller="t")
    rebuilt = build(
        store, policy, TRAIN, Path("snap2"), caller="t", options=BuildOptions(workers=1)
    )
    with store.read() as conn:
        assert lineage.info(conn, rebuilt).counts["included"] == 1  # dave only
        assert lineage.info(conn, snapshot).stale == {"erased": 2}
        assert registry.info(conn, "ranker").needs_retraining


def test_proof_stays_but_no_longer_names_anyone(store: Store, policy: Policy) -> None:
    ingest_jsonl(
        store,
        policy,
        write_jsonl(
            Path("c.jsonl"),
            [subject("erin", handle="erin"), post("e1", "erin"), consent("erin", TRAIN)],
        ),
    )
    pseudonym = store.pseudonym("erin")
    erase(store, ["erin"], caller="t")
    with store.read() as conn:
        assert [e.decision.value for e in history(conn, pseudonym)] == ["grant"]
        assert (
            conn.scalar(
                select(func.count()).select_from(Subject).where(Subject.pseudonym == pseudonym)
            )
            == 0
        )
        result = audit.verify(conn)
        last = audit.recent(conn, 1)[0]
        dump = " ".join(str(v) for (v,) in conn.execute(text("SELECT key FROM tombstones")))
    assert result.ok
    assert last["action"] == "subject.erase" and last["records"] == 1
    assert "erin" not in dump and "e1" not in dump  # tombstones are keyed hashes


def test_a_jsonl_reimport_is_skipped_and_says_so(store: Store, policy: Policy) -> None:
    lines = [subject("erin"), post("e1", "erin"), consent("erin", TRAIN)]
    ingest_jsonl(store, policy, write_jsonl(Path("a.jsonl"), lines))
    erase(store, ["erin"], caller="t")
    report = ingest_jsonl(store, policy, write_jsonl(Path("b.jsonl"), lines))
    assert report.skipped == {"erased earlier at the member's request: not imported again": 3}
    assert counts(store) == (0, 0)


def test_many_subjects_in_one_call(store: Store, policy: Policy) -> None:
    lines = [line for i in range(30) for line in (subject(f"s{i}"), post(f"p{i}", f"s{i}"))]
    ingest_jsonl(store, policy, write_jsonl(Path("a.jsonl"), lines))
    done = erase(store, [f"s{i}" for i in range(25)], caller="t")
    assert len(done.subjects) == 25 and done.records == {"user.content.public": 25}
    assert counts(store) == (5, 5)


def test_an_unknown_subject_erases_nothing(store: Store, policy: Policy) -> None:
    ingest_jsonl(store, policy, write_jsonl(Path("a.jsonl"), [subject("a"), subject("b")]))
    with pytest.raises(UnknownSubjectError):
        erase(store, ["a", "nobody"], caller="t")
    assert counts(store) == (2, 0)
