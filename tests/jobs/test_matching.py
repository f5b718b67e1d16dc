"""Scoring, reasons, and the indexes that must rank exactly as the score does."""

from __future__ import annotations

import random

import pytest

from purposely.jobs import matching
from purposely.jobs.listings import Listing
from purposely.jobs.matching import (
    CandidateIndex,
    ListingIndex,
    ListingTerms,
    combine,
    listing_terms,
    rank,
    score,
)
from purposely.jobs.profiles import JobProfile
from purposely.jobs.terms import TitleConcept


def concept(key: str, weight: float = 1.0) -> TitleConcept:
    """A concept with made-up labels."""
    return TitleConcept(key, f"{key} (en)", f"{key} (de)", weight)


def profile(
    pk: int,
    concepts: dict[str, float] | None = None,
    skills: tuple[str, ...] = (),
    locations: tuple[str, ...] = (),
    remote: bool | None = None,
) -> JobProfile:
    """A profile made by hand."""
    return JobProfile(
        subject_pk=pk,
        concepts=tuple(concept(k, w) for k, w in sorted((concepts or {}).items())),
        skills=tuple(sorted(skills)),
        locations=tuple(sorted(locations)),
        remote=remote,
        open_to_work=False,
        titles=(),
        categories=("user.skills",),
        records=1,
    )


def terms(
    job_id: str = "j1",
    concepts: dict[str, float] | None = None,
    skills: tuple[str, ...] = (),
    place: str | None = None,
    remote: bool = False,
) -> ListingTerms:
    """A listing's terms made by hand."""
    return ListingTerms(
        job_id=job_id,
        concepts=tuple(concept(k, w) for k, w in sorted((concepts or {}).items())),
        skills=skills,
        place=place,
        remote=remote,
    )


def test_the_score_and_its_reasons() -> None:
    member = profile(1, {"dev": 0.8, "ops": 1.0}, ("python", "sql"), ("berlin",), remote=True)
    job = terms(concepts={"dev": 1.0, "qa": 1.0}, skills=("python", "docker"), place="berlin")
    match = score(member, job)
    assert match is not None
    assert match.title == pytest.approx(0.8)
    assert match.skills == 0.5 and match.place == 1.0
    assert match.score == combine(0.8, 0.5, 1.0) == pytest.approx(0.5 * 0.8 + 0.35 * 0.5 + 0.15)
    assert [c.concept for c in match.reasons.concepts] == ["dev"]
    assert match.reasons.skills == ("python",)
    assert match.reasons.place == "berlin" and match.reasons.remote is False


def test_remote_counts_as_the_place_for_members_who_want_it() -> None:
    job = terms(concepts={"dev": 1.0}, place="munich", remote=True)
    wants = score(profile(1, {"dev": 1.0}, remote=True), job)
    does_not = score(profile(2, {"dev": 1.0}, remote=False), job)
    assert wants is not None and wants.place == 1.0 and wants.reasons.remote
    assert does_not is not None and does_not.place == 0.0 and not does_not.reasons.remote


def test_no_shared_concept_or_skill_is_no_match() -> None:
    # Same place, both remote: still no match.
    member = profile(1, {"cook": 1.0}, ("baking",), ("berlin",), remote=True)
    assert score(member, terms(concepts={"dev": 1.0}, place="berlin", remote=True)) is None
    assert score(member, terms()) is None


def test_listing_terms_from_a_listing() -> None:
    listing = Listing(
        id="j1",
        employer="ACME",
        title="Python Developer (Remote)",
        description="Docker, Kubernetes und Projektmanagement",
        location="München / Remote",
        skills=("Python", "SQL"),
        posted_at=None,
        closed_at=None,
        updated_at=listing_time(),
    )
    found = listing_terms(listing)
    assert found.skills == ("python", "sql", "docker", "kubernetes", "project_management")
    assert found.place == "munich" and found.remote is True


def listing_time() -> object:
    from datetime import UTC, datetime

    return datetime(2024, 1, 1, tzinfo=UTC)


def test_the_german_and_english_titles_meet_at_one_concept() -> None:
    def listing(title: str) -> Listing:
        return Listing("j", "e", title, None, None, (), None, None, listing_time())  # type: ignore[arg-type]

    english = {c.concept for c in listing_terms(listing("Software Engineer")).concepts}
    german = {c.concept for c in listing_terms(listing("Softwareentwicklerin")).concepts}
    assert "C003406" in english & german


# --- the indexes rank exactly as the score does ------------------------------------------------

CONCEPTS = [f"c{i}" for i in range(8)]
SKILLS = [f"s{i}" for i in range(12)]
PLACES = ["berlin", "munich", "hamburg"]
# Few distinct weights, so that equal scores (ties) are common.
WEIGHTS = [1.0, 0.8, 0.64, 0.5]


def random_profile(rng: random.Random, pk: int) -> JobProfile:
    return profile(
        pk,
        {c: rng.choice(WEIGHTS) for c in rng.sample(CONCEPTS, rng.randint(0, 2))},
        tuple(rng.sample(SKILLS, rng.randint(0, 4))),
        tuple(rng.sample(PLACES, rng.randint(0, 2))),
        rng.choice([None, True, False]),
    )


def random_terms(rng: random.Random, job_id: str) -> ListingTerms:
    return terms(
        job_id,
        {c: rng.choice(WEIGHTS) for c in rng.sample(CONCEPTS, rng.randint(0, 2))},
        tuple(rng.sample(SKILLS, rng.randint(0, 3))),
        rng.choice([None, *PLACES]),
        rng.random() < 0.3,
    )


def _ranked(index: CandidateIndex, job: ListingTerms, k: int) -> list[tuple[int, float]]:
    return [(r.doc.subject_pk, r.match.score) for r in index.search(job, k)]


def _expected(
    profiles: dict[int, JobProfile], job: ListingTerms, k: int
) -> list[tuple[int, float]]:
    return [(p.subject_pk, m.score) for p, m in rank(list(profiles.values()), job, k)]


@pytest.fixture(params=["sparse", "dense"])
def layout(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Postings as they are at this size (sparse, top-k over every hit), or as at a million
    profiles: common terms dense, top-k narrowed by a sampled threshold."""
    if request.param == "dense":
        monkeypatch.setattr(matching._Postings, "DENSE_MIN", 0)
        monkeypatch.setattr(matching._Postings, "DENSE_SHARE", 0.1)
        monkeypatch.setattr(matching, "_SAMPLE", 16)
    return str(request.param)


@pytest.mark.parametrize("seed", range(5))
def test_the_candidate_index_ranks_as_the_score(
    seed: int, layout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matching, "_MIN_DEAD", 50)
    rng = random.Random(seed)
    profiles = {pk: random_profile(rng, pk) for pk in rng.sample(range(10_000), 600)}
    index = CandidateIndex(profiles.values())
    searchable = {pk: p for pk, p in profiles.items() if p.searchable}
    assert len(index) == len(searchable)
    jobs = [random_terms(rng, f"j{i}") for i in range(30)]
    for job in jobs:
        for k in (1, 5, 40):
            assert _ranked(index, job, k) == _expected(searchable, job, k)
    # Kept current one profile at a time: replaced, removed, added, compacted on the way.
    universe = list(profiles)
    for _ in range(1500):
        pk = rng.choice(universe)
        if rng.random() < 0.3:
            index.remove(pk)
            profiles.pop(pk, None)
        else:
            profiles[pk] = random_profile(rng, pk)
            index.upsert(profiles[pk])
    assert index.compactions > 0
    searchable = {pk: p for pk, p in profiles.items() if p.searchable}
    assert sorted(index.keys()) == sorted(searchable)
    for job in jobs:
        assert _ranked(index, job, 25) == _expected(searchable, job, 25)
    if layout == "dense":
        assert index._skills._dense and index._concepts._dense


@pytest.mark.parametrize("seed", range(5))
def test_the_listing_index_ranks_as_the_score(
    seed: int, layout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matching, "_MIN_DEAD", 20)
    rng = random.Random(seed)
    listings = {f"j{i:03}": random_terms(rng, f"j{i:03}") for i in rng.sample(range(999), 150)}
    index = ListingIndex(listings.values())
    members = [random_profile(rng, pk) for pk in range(40)]

    def expected(member: JobProfile, k: int) -> list[tuple[str, float]]:
        scored = [(t.job_id, m.score) for t in listings.values() if (m := score(member, t))]
        return sorted(scored, key=lambda js: (-js[1], js[0]))[:k]

    def found(member: JobProfile, k: int) -> list[tuple[str, float]]:
        return [(r.doc.job_id, r.match.score) for r in index.search(member, k)]

    for member in members:
        for k in (1, 10):
            assert found(member, k) == expected(member, k)
    universe = list(listings)
    for _ in range(600):
        job_id = rng.choice(universe)
        if rng.random() < 0.3:
            index.remove(job_id)
            listings.pop(job_id, None)
        else:
            listings[job_id] = random_terms(rng, job_id)
            index.upsert(listings[job_id])
    assert index.compactions > 0
    listings = {j: t for j, t in listings.items() if t.searchable}
    for member in members:
        assert found(member, 10) == expected(member, 10)


def test_ties_rank_by_id() -> None:
    same = {"c0": 1.0}
    index = CandidateIndex([profile(pk, same) for pk in (30, 10, 20)])
    assert [r.doc.subject_pk for r in index.search(terms(concepts=same), 3)] == [10, 20, 30]
    jobs = ListingIndex([terms(j, same) for j in ("b", "c", "a")])
    assert [r.doc.job_id for r in jobs.search(profile(1, same), 3)] == ["a", "b", "c"]


def test_a_profile_that_can_match_nothing_is_not_held() -> None:
    index = CandidateIndex([profile(1, {"c0": 1.0})])
    index.upsert(profile(1, locations=("berlin",), remote=True))
    assert len(index) == 0 and index.search(terms(concepts={"c0": 1.0}), 5) == []
    assert not index.remove(1)
