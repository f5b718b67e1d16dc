"""The access report: everything stored, what it may be used for, decisions, datasets, uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from purposely.datasets import registry
from purposely.datasets.build import BuildOptions, build
from purposely.errors import UnknownSubjectError
from purposely.gate import Gate
from purposely.ingest.jsonl import ingest_jsonl
from purposely.policy import Policy
from purposely.rights.html import report_html
from purposely.rights.report import access_report, report_dict
from purposely.store import Store
from tests.datasets.conftest import distinct_text
from tests.factories import consent, employment, message, post, skill, subject, write_jsonl

TRAIN = "train_ai_system"


def member_lines(posts: int = 3) -> list[dict[str, Any]]:
    """Alice with posts, a message, a career profile and decisions; Bob beside her."""
    return [
        subject("alice", handle="alice", country="DE"),
        subject("bob", handle="bob", country="US"),
        *[post(f"a{i}", "alice", text=distinct_text(i)) for i in range(posts)],
        post("b1", "bob", text="Bob was here"),
        message("dm", "alice", ["bob"], text="hello Bob"),
        employment("alice"),
        skill("alice", "Python"),
        consent("alice", TRAIN, notice_version="2024-01"),
        consent("alice", "employment.recruitment", "object"),
    ]


@pytest.fixture
def alice(store: Store, policy: Policy) -> Store:
    """A store holding :func:`member_lines`."""
    ingest_jsonl(store, policy, write_jsonl(Path("m.jsonl"), member_lines()))
    return store


def test_everything_stored_is_there_grouped_by_category(alice: Store, policy: Policy) -> None:
    report = access_report(Gate(alice, policy), "@alice", caller="t")
    data = report_dict(report)
    assert data["records"] == 6
    by_category = {c["category"]: c for c in data["categories"]}
    assert {k: c["count"] for k, c in by_category.items()} == {
        "user.content.public": 3,
        "user.content.private.message": 1,
        "user.employment_history": 1,
        "user.skills": 1,
    }
    assert all(i["text"] != "Bob was here" for c in data["categories"] for i in c["items"])
    assert {f["field"]: f["value"] for f in data["profile"]}["country"] == "DE"


def test_each_category_says_who_may_use_it_on_which_basis(alice: Store, policy: Policy) -> None:
    data = report_dict(access_report(Gate(alice, policy), "alice", caller="t"))
    by_category = {c["category"]: c["purposes"] for c in data["categories"]}
    assert by_category["user.content.public"] == [
        {"purpose": TRAIN, "legal_basis": "consent", "your_decision": "grant"}
    ]
    assert by_category["user.content.private.message"] == []  # messages: no purpose, ever
    recruitment = next(
        p for p in by_category["user.skills"] if p["purpose"] == "employment.recruitment"
    )
    assert recruitment == {
        "purpose": "employment.recruitment",
        "legal_basis": "consent",
        "your_decision": "object",
    }


def test_decisions_datasets_models_and_uses_are_listed(alice: Store, policy: Policy) -> None:
    gate = Gate(alice, policy)
    gate.ask(TRAIN, caller="researcher", subject="alice")
    snapshot = build(
        alice, policy, TRAIN, Path("snap"), caller="builder", options=BuildOptions(workers=1)
    )
    with alice.write() as conn:
        registry.register(conn, "ranker", [snapshot], by="t")
    data = report_dict(access_report(gate, "alice", caller="member"))
    assert [(c["purpose"], c["decision"], c["notice_version"]) for c in data["consents"]] == [
        (TRAIN, "grant", "2024-01"),
        ("employment.recruitment", "object", "test-1"),
    ]
    (held,) = data["snapshots"]
    assert held["snapshot_id"] == snapshot and held["samples"] == 3
    assert held["models"] == ["ranker"] and held["stale"] == {}
    callers = [(e["caller"], e["action"]) for e in data["audit_events"]]
    assert ("researcher", "gate.ask") in callers and ("builder", "gate.ask") in callers
    assert callers[-1] == ("member", "rights.access")  # the report itself is logged
    assert all(e["caller"] != "nobody" for e in data["audit_events"])


def test_the_page_speaks_plainly_in_both_languages(alice: Store, policy: Policy) -> None:
    report = access_report(Gate(alice, policy), "alice", caller="t")
    english = report_html(report, lang="en", controller="Example <GmbH>")
    german = report_html(report, lang="de", controller="Example <GmbH>")
    assert "Public posts" in english and "only with your consent" in english
    assert "Öffentliche Beiträge" in german and "nur mit Ihrer Einwilligung" in german
    assert "Example &lt;GmbH&gt;" in english and "<GmbH>" not in english
    for page in (english, german):
        assert "user.content.public" not in page  # labels, not raw keys
        assert distinct_text(1) in page


def test_unknown_subject(alice: Store, policy: Policy) -> None:
    with pytest.raises(UnknownSubjectError):
        access_report(Gate(alice, policy), "@carol", caller="t")


def test_statements_do_not_grow_with_the_number_of_records(
    sqlite_store: Store, policy: Policy
) -> None:
    def statements_for(subject_id: str, posts: int) -> int:
        lines = [subject(subject_id), consent(subject_id, TRAIN)]
        lines += [post(f"{subject_id}-{i}", subject_id, text=f"post {i}") for i in range(posts)]
        ingest_jsonl(sqlite_store, policy, write_jsonl(Path(f"{subject_id}.jsonl"), lines))
        count = 0

        def counted(*_args: Any) -> None:
            nonlocal count
            count += 1

        event.listen(sqlite_store.engine, "before_cursor_execute", counted)
        try:
            access_report(Gate(sqlite_store, policy), subject_id, caller="t")
        finally:
            event.remove(sqlite_store.engine, "before_cursor_execute", counted)
        return count

    assert statements_for("few", 5) == statements_for("many", 500)


@pytest.mark.parametrize(
    ("caller", "english", "german"),
    [
        ("web:member:7", "you, in the privacy center", "Sie selbst"),
        ("web:officer:2", "the privacy officer", "Datenschutzbeauftragte"),
        ("token:ab12cd:feed-service", "the service feed-service", "der Dienst feed-service"),
        ("cli:root", "staff (root), on the command line", "Personal (root)"),
        ("bench", "bench", "bench"),
    ],
)
def test_the_page_names_who_used_the_data_in_plain_words(
    caller: str, english: str, german: str
) -> None:
    from purposely.rights.html import who

    assert who(caller, "en") == english
    assert german in who(caller, "de")
