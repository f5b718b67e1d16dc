"""The gate: what each purpose may use, why the rest is withheld, and that it is logged."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from purposely import audit
from purposely.consent import ConsentDecision, Decision, append
from purposely.errors import PurposelyError, UnknownPurposeError, UnknownSubjectError
from purposely.gate import BATCH_SCHEMA, Gate
from purposely.ingest.jsonl import ingest_jsonl
from purposely.policy import LegalBasis, Policy, parse_policy
from purposely.store import Store
from tests.factories import T0, consent, employment, message, post, skill, subject, write_jsonl

TRAIN = "train_ai_system"
IDENTITY = "essential.service.security.identity_verification"
AS_OF = date(2026, 1, 1)


def load(store: Store, policy: Policy, lines: list[dict[str, Any]]) -> None:
    """Import ``lines`` through the JSONL importer."""
    ingest_jsonl(store, policy, write_jsonl(Path("in.jsonl"), lines))


def ask(store: Store, policy: Policy, purpose: str = TRAIN, **kw: Any) -> Any:
    """Ask the gate as a test caller, on a fixed date."""
    return Gate(store, policy).ask(purpose, caller="test", as_of=AS_OF, **kw)


def test_each_reason_is_given_for_what_it_withholds(store: Store, policy: Policy) -> None:
    load(
        store,
        policy,
        [
            subject("de_granted"),
            post("p1", "de_granted"),
            post("p2", "de_granted", visibility="private"),
            message("m1", "de_granted", ["de_silent"]),
            skill("de_granted", "Python"),
            subject("de_silent"),
            post("p3", "de_silent"),
            subject("de_withdrew"),
            post("p4", "de_withdrew"),
            subject("us_default", country="US"),
            post("p5", "us_default"),
            subject("us_objected", country="US"),
            post("p6", "us_objected"),
            subject("kid", birth_date="2012-05-01"),
            post("p7", "kid"),
            consent("de_granted", TRAIN),
            consent("kid", TRAIN),
            consent("de_withdrew", TRAIN),
            consent("de_withdrew", TRAIN, "withdraw", at="2024-02-01T00:00:00Z"),
            consent("us_objected", TRAIN, "object"),
        ],
    )
    answer = ask(store, policy)
    assert answer.allowed == {"user.content.public": 2}  # p1 (consent) and p5 (legit. interest)
    assert answer.subjects_allowed == 2
    assert answer.withheld == {
        "private": 2,  # the private post and the message
        "category_not_allowed": 1,  # the skill
        "minor": 1,
        "objected": 1,
        "withdrawn": 1,
        "no_consent": 1,
    }
    assert answer.withheld_by_category["user.content.private.message"] == {"private": 1}
    ids = {r.source_id for r in Gate(store, policy).records(answer)}
    assert ids == {"p1", "p5"}


def test_released_records_say_what_they_relied_on(store: Store, policy: Policy) -> None:
    load(
        store,
        policy,
        [
            subject("de"),
            post("p1", "de"),
            consent("de", TRAIN),
            subject("us", country="US"),
            post("p2", "us"),
        ],
    )
    gate = Gate(store, policy)
    records = {r.source_id: r for r in gate.records(ask(store, policy))}
    assert records["p1"].basis is LegalBasis.CONSENT and records["p1"].consent_seq == 1
    assert (
        records["p2"].basis is LegalBasis.LEGITIMATE_INTEREST and records["p2"].consent_seq is None
    )
    assert records["p1"].text == "Guten Morgen" and records["p1"].category == "user.content.public"


def test_unknown_country_gets_the_strictest_basis(store: Store, policy: Policy) -> None:
    load(store, policy, [subject("nowhere", country=None), post("p1", "nowhere")])
    assert ask(store, policy).withheld == {"no_consent": 1}


@pytest.mark.parametrize(
    ("birth_date", "allowed"),
    [
        ("2007-12-31", True),
        ("2008-01-01", True),
        ("2008-01-02", False),
        ("2007", True),
        ("2008", False),
        ("2007-12", True),
        (None, False),
    ],
)
def test_age_boundaries_and_partial_birth_dates(
    store: Store, policy: Policy, birth_date: str | None, allowed: bool
) -> None:
    load(store, policy, [subject("s", birth_date=birth_date, country="US"), post("p", "s")])
    answer = ask(store, policy)  # as of 2026-01-01: born on or before 2008-01-01 is 18
    assert answer.records_allowed == (1 if allowed else 0)
    assert answer.withheld == ({} if allowed else {"minor": 1})


def test_policy_may_admit_unknown_ages(store: Store, policy: Policy) -> None:
    text = (
        Path(__file__).parents[1].joinpath("src/purposely/policy/default_policy.yaml").read_text()
    )
    lenient, problems = parse_policy(
        text.replace("unknown_age_is_minor: true", "unknown_age_is_minor: false"), "p"
    )
    assert lenient is not None, problems
    load(store, policy, [subject("s", birth_date=None, country="US"), post("p", "s")])
    assert ask(store, lenient).records_allowed == 1
    assert ask(store, policy).records_allowed == 0


def test_withdrawal_takes_effect_at_the_next_question_and_old_watermarks_still_answer(
    store: Store, policy: Policy
) -> None:
    load(store, policy, [subject("a"), post("p1", "a"), consent("a", TRAIN)])
    before = ask(store, policy)
    assert before.records_allowed == 1 and before.watermark == 1
    with store.write() as conn:
        append(
            conn,
            policy,
            [
                ConsentDecision(
                    store.pseudonym("a"), TRAIN, Decision.WITHDRAW, datetime.now(UTC), "v", "test"
                )
            ],
        )
    after = ask(store, policy)
    assert after.records_allowed == 0 and after.withheld == {"withdrawn": 1}
    assert ask(store, policy, watermark=1).records_allowed == 1
    with pytest.raises(PurposelyError, match="outside the consent ledger"):
        ask(store, policy, watermark=9)


def test_career_purposes_need_their_own_separate_consent(store: Store, policy: Policy) -> None:
    load(
        store,
        policy,
        [
            subject("a"),
            employment("a"),
            skill("a", "SQL"),
            post("p1", "a"),
            consent("a", "personalize.job_recommendations"),
        ],
    )
    recommend = ask(store, policy, "personalize.job_recommendations")
    assert recommend.allowed == {"user.employment_history": 1, "user.skills": 1}
    assert recommend.withheld == {"category_not_allowed": 1}
    recruit = ask(store, policy, "employment.recruitment")
    assert recruit.records_allowed == 0 and recruit.withheld["no_consent"] == 2


def test_identity_verification_never_sees_anything_but_face_templates(
    store: Store, policy: Policy
) -> None:
    load(
        store,
        policy,
        [
            subject("a"),
            post("p1", "a"),
            employment("a"),
            consent("a", IDENTITY, categories=["user.biometric.face"]),
        ],
    )
    answer = ask(store, policy, IDENTITY)
    assert answer.records_allowed == 0
    assert answer.withheld == {"category_not_allowed": 2}


def test_subject_question_lists_ids_as_the_source_gave_them(store: Store, policy: Policy) -> None:
    load(
        store,
        policy,
        [
            subject("a", handle="alice"),
            post("p1", "a"),
            post("p2", "a", visibility="private"),
            post("p3", "a"),
            subject("b"),
            post("p4", "b"),
            consent("a", TRAIN),
            consent("b", TRAIN),
        ],
    )
    answer = ask(store, policy, subject="@alice", list_ids=True)
    assert answer.record_ids == (("jsonl", "p1"), ("jsonl", "p3"))
    assert answer.subject is not None and answer.subject.id == "a"
    assert answer.withheld == {"private": 1}
    with pytest.raises(UnknownSubjectError, match="nobody"):
        ask(store, policy, subject="@nobody")


def test_every_question_is_one_audit_event(store: Store, policy: Policy) -> None:
    load(
        store,
        policy,
        [subject("member-42", handle="mx42"), post("p1", "member-42"), consent("member-42", TRAIN)],
    )
    first = ask(store, policy)
    second = ask(store, policy, subject="member-42")
    with store.read() as conn:
        events = audit.recent(conn)
        assert audit.verify(conn).ok
    assert [e["seq"] for e in events] == [second.audit_seq, first.audit_seq]
    assert events[1]["records"] == 1 and events[1]["categories"] == ["user.content.public"]
    # the log names the subject by pseudonym only, never by id or handle
    assert events[0]["details"]["subject"] == store.pseudonym("member-42")
    assert "member-42" not in json.dumps(events, default=str)
    assert "mx42" not in json.dumps(events, default=str)


def test_unknown_purpose_is_refused_before_anything_is_read(store: Store, policy: Policy) -> None:
    with pytest.raises(UnknownPurposeError, match="sell_insights"):
        ask(store, policy, "sell_insights")
    with store.read() as conn:
        assert audit.recent(conn) == []


def test_a_deleted_post_is_gone_from_the_next_answer(store: Store, policy: Policy) -> None:
    load(store, policy, [subject("a"), post("p1", "a"), post("p2", "a"), consent("a", TRAIN)])
    load(store, policy, [{"type": "delete", "id": "p1", "at": T0}])
    assert {r.source_id for r in Gate(store, policy).records(ask(store, policy))} == {"p2"}


def test_a_post_turned_private_is_withheld(store: Store, policy: Policy) -> None:
    load(store, policy, [subject("a"), post("p1", "a"), consent("a", TRAIN)])
    load(store, policy, [post("p1", "a", visibility="private")])
    assert ask(store, policy).withheld == {"private": 1}


def _mixed_platform(store: Store, policy: Policy) -> None:
    """Posts of allowed and withheld subjects interleaved, so order and filtering both show."""
    lines: list[dict[str, Any]] = [
        subject("de"),
        subject("us", country="US"),
        subject("silent"),
        consent("de", TRAIN),
    ]
    owners = ["de", "silent", "us", "de", "us", "silent", "de"]
    for n, owner in enumerate(owners):
        lines.append(post(f"p{n}", owner, f"Beitrag {n} mit 100% Rabatt"))
    lines.append(post("hidden", "de", visibility="private"))
    load(store, policy, lines)


def test_record_batches_hold_exactly_the_records_in_their_order(
    store: Store, policy: Policy
) -> None:
    _mixed_platform(store, policy)
    gate = Gate(store, policy)
    answer = ask(store, policy)
    batches = list(gate.record_batches(answer, batch_size=2))
    assert [b.num_rows for b in batches] == [2, 2, 1]
    assert all(b.schema == BATCH_SCHEMA for b in batches)
    rows = [row for b in batches for row in b.to_pylist()]
    expected = [
        {
            "pk": r.pk,
            "subject_pk": r.subject_pk,
            "kind": r.kind,
            "category": r.category,
            "text": r.text,
            "lang": r.lang,
            "created_at": r.created_at,
            "basis": r.basis.value,
            "consent_seq": r.consent_seq,
        }
        for r in gate.records(answer)
    ]
    assert rows == expected
    assert [row["pk"] for row in rows] == sorted(row["pk"] for row in rows)
    assert [row["text"] for row in rows] == [
        f"Beitrag {n} mit 100% Rabatt" for n in (0, 2, 3, 4, 6)
    ]


def test_record_batches_left_early_leave_the_store_usable(store: Store, policy: Policy) -> None:
    _mixed_platform(store, policy)
    gate = Gate(store, policy)
    answer = ask(store, policy)
    stream = gate.record_batches(answer, batch_size=1)
    assert next(stream).num_rows == 1
    stream.close()
    again = sum(b.num_rows for b in gate.record_batches(ask(store, policy), batch_size=1))
    assert again == 5
