"""Career profiles are built from what the gate released, and from nothing else."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from purposely.gate import AllowedRecord, Gate
from purposely.jobs.profiles import (
    CURRENT_TITLE,
    PAST_TITLE,
    JobProfile,
    build_profiles,
    member_profile,
    purpose_profiles,
)
from purposely.policy import LegalBasis, Policy
from purposely.store import Store
from tests.factories import education, employment, skill
from tests.jobs.conftest import RECOMMEND, RECRUIT, load, opted_in, platform

SOFTWARE_DEVELOPER = "C003406"


def test_a_profile_from_the_released_career_records(store: Store, policy: Policy) -> None:
    load(store, policy, platform())
    answer, profile = member_profile(Gate(store, policy), RECOMMEND, "@anna", caller="test")
    assert profile is not None and answer.subject is not None
    assert profile.subject_pk == answer.subject.pk
    concepts = {c.concept: c for c in profile.concepts}
    # German titles linked to ESCO occupations, with both languages' labels.
    assert concepts[SOFTWARE_DEVELOPER].label_en == "software developer"
    assert concepts[SOFTWARE_DEVELOPER].weight == pytest.approx(1.0)
    assert set(profile.skills) == {"python", "docker"}
    assert profile.locations == ("munich",)
    assert profile.remote is True and profile.open_to_work is False
    assert "Softwareentwicklerin" in profile.titles
    assert profile.records == answer.records_allowed == 5
    assert profile.categories == (
        "user.employment_history",
        "user.job_preferences",
        "user.skills",
    )


def test_past_positions_weigh_less_than_current_ones(store: Store, policy: Policy) -> None:
    load(
        store,
        policy,
        [
            *opted_in("now"),
            employment("now", "Koch"),
            *opted_in("then"),
            employment("then", "Koch", end="2020-01"),
            education("then", field="Informatik", degree="BSc"),
            skill("then", "Kotlin Multiplatform"),
        ],
    )
    gate = Gate(store, policy)
    _, now = member_profile(gate, RECRUIT, "now", caller="test")
    _, then = member_profile(gate, RECRUIT, "then", caller="test")
    assert now is not None and then is not None
    cook = {c.concept for c in now.concepts} & {c.concept for c in then.concepts}
    assert cook
    for concept in cook:
        [w_now] = [c.weight for c in now.concepts if c.concept == concept]
        [w_then] = [c.weight for c in then.concepts if c.concept == concept]
        assert w_then == pytest.approx(w_now * PAST_TITLE / CURRENT_TITLE)
    # A field of study the vocabulary knows counts as a skill; unknown skills keep their name.
    assert set(then.skills) == {"computer_science", "kotlin multiplatform"}


def test_no_profile_without_consent(store: Store, policy: Policy) -> None:
    load(store, policy, platform())
    gate = Gate(store, policy)
    answer, profile = member_profile(gate, RECOMMEND, "erik", caller="test")
    assert profile is None and answer.withheld == {"no_consent": 2}
    # dora opted in to recruitment only.
    assert member_profile(gate, RECOMMEND, "dora", caller="test")[1] is None
    assert member_profile(gate, RECRUIT, "dora", caller="test")[1] is not None


def test_the_whole_purpose_in_one_question(store: Store, policy: Policy) -> None:
    load(store, policy, platform())
    answer, profiles = purpose_profiles(Gate(store, policy), RECRUIT, caller="test")
    by_pk = {p.subject_pk: p for p in profiles}
    # anna, ben, cem, dora: not erik (no consent), not kid (a minor).
    assert len(by_pk) == answer.subjects_allowed == 4
    assert answer.withheld == {"minor": 2, "no_consent": 2}


def _record(category: str, kind: str, data: dict[str, object]) -> AllowedRecord:
    return AllowedRecord(
        pk=1,
        subject_pk=7,
        source="test",
        source_id="r1",
        kind=kind,
        category=category,
        text=None,
        data=data,
        lang=None,
        created_at=datetime(2024, 1, 1, tzinfo=UTC),
        basis=LegalBasis.CONSENT,
        consent_seq=1,
    )


def test_demographic_records_are_never_read_even_if_released() -> None:
    """Should a policy ever release them, gender, birth date or nationality records are
    skipped: a profile has nowhere to hold them, and matching cannot use them."""
    records = [
        _record("user.demographic.gender", "profile", {"gender": "female"}),
        _record("user.demographic.date_of_birth", "profile", {"birth_date": "1990-01-01"}),
        _record("user.contact.address.country", "profile", {"country": "DE"}),
        _record("user.skills", "skill", {"name": "Python"}),
    ]
    [profile] = build_profiles(records).values()
    assert profile.records == 1 and profile.skills == ("python",)
    assert profile.categories == ("user.skills",)
    names = {f.name for f in dataclasses.fields(JobProfile)}
    for forbidden in ("age", "gender", "nationality", "birth", "country", "born"):
        assert not any(forbidden in name for name in names)


def test_records_of_unknown_kinds_are_skipped() -> None:
    records = [
        _record("user.workplace", "workplace", {"employer": "ACME"}),
        _record("user.job_title", "profile_field", {"title": "Koch"}),
        _record("user.skills", "skill", {"name": 42}),
    ]
    [profile] = build_profiles(records).values()
    assert profile.titles == ("Koch",) and profile.skills == ()
    assert profile.records == 2  # the job title, and the skill record (read, but empty)
