"""Recommendations and candidate search: only for members who opted in, through the gate,
logged, kept current without rebuilding, and blind to age, gender and nationality."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from purposely.consent import Decision
from purposely.errors import PurposelyError
from purposely.gate import Gate
from purposely.ingest.report import ImportReport
from purposely.ingest.writer import RecordRow, Writer
from purposely.jobs.listings import close_listing
from purposely.jobs.search import (
    CANDIDATES_ACTION,
    Pools,
    candidate_pseudonym,
    candidates,
    recommend,
)
from purposely.policy import Policy
from purposely.rights.decisions import record_decision
from purposely.rights.erase import erase
from purposely.rights.report import access_report
from purposely.store import Store
from purposely.store.models import AuditEvent, AuditSubject
from tests.factories import employment, job, job_preferences, skill, subject
from tests.jobs.conftest import RECOMMEND, RECRUIT, load, opted_in, platform

SOFTWARE_DEVELOPER = "C003406"


def decide(store: Store, policy: Policy, who: str, purpose: str, decision: Decision) -> None:
    """``who`` decides about ``purpose`` now, as in the privacy center."""
    record_decision(store, policy, who, purpose, decision, notice_version="t", channel="test")


def found(search: Any) -> list[str]:
    """The subject ids of a candidate search's results, in rank order."""
    return [c.subject_id for c in search.candidates]


@pytest.fixture
def gate(store: Store, policy: Policy) -> Gate:
    """A gate over the small platform of tests/jobs/conftest.py."""
    load(store, policy, platform())
    return Gate(store, policy)


# --- recommendations ---------------------------------------------------------------------------


def test_recommendations_with_reasons_across_languages(gate: Gate) -> None:
    anna = recommend(gate, "@anna", pools=Pools())
    assert [r.listing.id for r in anna.items] == ["j-dev", "j-de"]
    best = anna.items[0]
    # A German profile ("Softwareentwicklerin", "Python") matches an English listing
    # ("Software Engineer") through the ESCO concept both link to.
    assert SOFTWARE_DEVELOPER in [c.concept for c in best.match.reasons.concepts]
    assert best.match.reasons.skills == ("python", "docker")
    assert best.match.reasons.place == "munich"  # "München" is "Munich, Germany"
    assert best.rank == 1 and best.match.score > anna.items[1].match.score
    # And the reverse: an English profile finds the German listing by its occupation.
    ben = recommend(gate, "ben", pools=Pools())
    by_id = {r.listing.id: r for r in ben.items}
    assert SOFTWARE_DEVELOPER in [c.concept for c in by_id["j-de"].match.reasons.concepts]
    cem = recommend(gate, "cem", pools=Pools())
    assert [r.listing.id for r in cem.items] == ["j-acc"]
    assert cem.items[0].match.reasons.skills == ("accounting",)
    assert len(recommend(gate, "anna", k=1, pools=Pools()).items) == 1


def test_recommendations_are_refused_without_opt_in(gate: Gate, policy: Policy) -> None:
    with pytest.raises(PurposelyError) as refused:
        recommend(gate, "erik", pools=Pools())
    assert str(refused.value) == (
        "member erik has not opted in to job recommendations "
        "(personalize.job_recommendations): nothing recommended"
    )
    # dora opted in to recruitment, not to recommendations.
    with pytest.raises(PurposelyError, match="dora has not opted in"):
        recommend(gate, "dora", pools=Pools())
    decide(gate.store, policy, "anna", RECOMMEND, Decision.WITHDRAW)
    with pytest.raises(PurposelyError, match="anna withdrew their consent"):
        recommend(gate, "anna", pools=Pools())
    decide(gate.store, policy, "ben", RECOMMEND, Decision.OBJECT)
    with pytest.raises(PurposelyError, match="ben objected to job recommendations"):
        recommend(gate, "ben", pools=Pools())


def test_a_member_without_a_career_profile_gets_nothing(gate: Gate, policy: Policy) -> None:
    load(gate.store, policy, opted_in("new"))
    found_none = recommend(gate, "new", pools=Pools())
    assert found_none.items == () and not found_none.has_profile


def test_the_question_about_the_member_is_logged(gate: Gate) -> None:
    done = recommend(gate, "anna", caller="feed-service", pools=Pools())
    with gate.store.read() as conn:
        query = select(AuditEvent.__table__).where(AuditEvent.seq == done.audit_seq)
        event = conn.execute(query).mappings().one()
    assert (event["caller"], event["purpose"], event["action"]) == (
        "feed-service",
        RECOMMEND,
        "gate.ask",
    )


def test_listings_added_and_closed_reach_the_next_recommendation(
    gate: Gate, policy: Policy
) -> None:
    pools = Pools()
    assert [r.listing.id for r in recommend(gate, "anna", pools=pools).items] == ["j-dev", "j-de"]
    close_listing(gate.store, "j-dev")
    load(gate.store, policy, [job("j-new", "Python Entwickler", location="Remote")])
    after = [r.listing.id for r in recommend(gate, "anna", pools=pools).items]
    assert "j-dev" not in after and "j-new" in after
    assert pools.listings.rebuilds == 1


# --- candidates --------------------------------------------------------------------------------


def test_candidates_are_the_opted_in_adults_who_fit(gate: Gate, policy: Policy) -> None:
    # An adult of unknown age counts as a minor (the policy's default).
    load(
        gate.store,
        policy,
        [
            *opted_in("ageless", birth_date=None),
            employment("ageless", "Softwareentwickler"),
            skill("ageless", "Python"),
        ],
    )
    search = candidates(gate, "j-dev", "ACME", pools=Pools())
    # Not erik (never opted in), not kid (a minor), not ageless (age unknown).
    assert found(search) == ["anna", "ben"]
    anna = search.candidates[0]
    assert SOFTWARE_DEVELOPER in [c.concept for c in anna.match.reasons.concepts]
    assert anna.match.reasons.skills == ("python", "docker")
    # The English profile, for the German listing:
    german = candidates(gate, "j-de", "Beta GmbH", pools=Pools())
    assert "ben" in found(german)
    ben = next(c for c in german.candidates if c.subject_id == "ben")
    assert SOFTWARE_DEVELOPER in [c.concept for c in ben.match.reasons.concepts]
    assert ben.open_to_work


def test_each_search_is_logged_and_reaches_the_access_report(gate: Gate) -> None:
    search = candidates(gate, "j-dev", "ACME", pools=Pools())
    with gate.store.read() as conn:
        query = select(AuditEvent.__table__).where(AuditEvent.seq == search.audit_seq)
        event = conn.execute(query).mappings().one()
        named = set(
            conn.scalars(
                select(AuditSubject.subject_pseudonym).where(
                    AuditSubject.audit_seq == search.audit_seq
                )
            )
        )
    assert (event["action"], event["caller"], event["purpose"]) == (
        CANDIDATES_ACTION,
        "ACME",
        RECRUIT,
    )
    assert event["subjects"] == 2 and event["details"]["job"] == "j-dev"
    assert named == {gate.store.pseudonym("anna"), gate.store.pseudonym("ben")}
    report = access_report(gate, "anna", caller="test")
    assert [(r["name"], r["purpose"], r["receives"]) for r in report.recipients] == [
        ("ACME", RECRUIT, "candidate_matches")
    ]
    assert access_report(gate, "erik", caller="test").recipients == []
    # A search that finds nobody is logged too.
    load(gate.store, gate.policy, [job("j-none", "Astronaut", employer="Space", skills=["Mars"])])
    empty = candidates(gate, "j-none", "Space", pools=Pools())
    assert found(empty) == [] and empty.audit_seq > search.audit_seq


def test_a_withdrawal_removes_the_member_from_the_next_search(gate: Gate, policy: Policy) -> None:
    pools = Pools()
    assert found(candidates(gate, "j-dev", "ACME", pools=pools)) == ["anna", "ben"]
    decide(gate.store, policy, "anna", RECRUIT, Decision.WITHDRAW)
    assert found(candidates(gate, "j-dev", "ACME", pools=pools)) == ["ben"]
    decide(gate.store, policy, "anna", RECRUIT, Decision.GRANT)
    assert found(candidates(gate, "j-dev", "ACME", pools=pools)) == ["anna", "ben"]
    pool = pools.candidate_pool()
    # Kept current without rebuilding: anna was asked about again, nobody else.
    assert (pool.rebuilds, pool.refreshes, pool.rereads) == (1, 2, 2)


def test_profile_changes_reach_the_index_without_a_rebuild(gate: Gate, policy: Policy) -> None:
    pools = Pools()
    before = candidates(gate, "j-dev", "ACME", pools=pools)
    assert found(before) == ["anna", "ben"]
    load(
        gate.store,
        policy,
        [
            skill("ben", "Docker"),
            job_preferences("ben", [], ["Munich"], remote=True),
            *opted_in("finn"),
            employment("finn", "Software Engineer"),
            skill("finn", "Python"),
        ],
    )
    after = candidates(gate, "j-dev", "ACME", pools=pools)
    assert found(after) == ["anna", "ben", "finn"]
    ben_before, ben = before.candidates[1], after.candidates[1]
    assert ben_before.match.reasons.skills == ("python",)
    assert ben.match.reasons.skills == ("python", "docker") and ben.match.reasons.place
    assert ben.match.score > ben_before.match.score
    pool = pools.candidate_pool()
    assert (pool.rebuilds, pool.rereads) == (1, 2)  # ben and finn, nobody else


def test_an_erased_member_is_dropped(gate: Gate) -> None:
    pools = Pools()
    assert found(candidates(gate, "j-dev", "ACME", pools=pools)) == ["anna", "ben"]
    erase(gate.store, ["anna"], caller="test")
    assert found(candidates(gate, "j-dev", "ACME", pools=pools)) == ["ben"]
    assert pools.candidate_pool().rebuilds == 1


def test_employers_see_their_own_stable_pseudonyms(gate: Gate, policy: Policy) -> None:
    load(gate.store, policy, [job("j-beta", "Software Engineer", employer="Beta GmbH")])
    pools = Pools()
    acme = candidates(gate, "j-dev", "ACME", pools=pools).candidates
    again = candidates(gate, "j-dev", "acme", pools=pools).candidates
    beta = candidates(gate, "j-beta", "Beta GmbH", pools=pools).candidates
    by_acme = {c.subject_id: c.pseudonym for c in acme}
    by_beta = {c.subject_id: c.pseudonym for c in beta}
    assert by_acme == {c.subject_id: c.pseudonym for c in again}
    assert by_acme.keys() <= by_beta.keys()
    for member, pseudonym in by_acme.items():
        assert pseudonym != by_beta[member]
        assert pseudonym != gate.store.pseudonym(member)
        assert pseudonym.startswith("cand-")
    assert by_acme["anna"] == candidate_pseudonym(
        gate.store.secret, " ACME ", gate.store.pseudonym("anna")
    )


def test_searches_that_are_refused(gate: Gate) -> None:
    with pytest.raises(PurposelyError, match="job 'j-dev' is listed by 'ACME', not 'Beta'"):
        candidates(gate, "j-dev", "Beta", pools=Pools())
    with pytest.raises(PurposelyError, match="no job listing with id 'nope'"):
        candidates(gate, "nope", "ACME", pools=Pools())
    with pytest.raises(PurposelyError, match="-k must be at least 1"):
        candidates(gate, "j-dev", "ACME", k=0, pools=Pools())
    close_listing(gate.store, "j-dev")
    with pytest.raises(PurposelyError, match=r"job 'j-dev' was closed at .* open listings only"):
        candidates(gate, "j-dev", "ACME", pools=Pools())


# --- fairness ----------------------------------------------------------------------------------


def rankings(gate: Gate, pools: Pools) -> dict[str, list[tuple[str, float]]]:
    """Every ranking the platform can produce: candidates for each listing, and
    recommendations for each member who opted in to them."""
    result: dict[str, list[tuple[str, float]]] = {}
    for job_id, employer in [("j-dev", "ACME"), ("j-de", "Beta GmbH"), ("j-acc", "Gamma")]:
        search = candidates(gate, job_id, employer, pools=pools)
        result[job_id] = [(c.subject_id, c.match.score) for c in search.candidates]
    for member in ("anna", "ben", "cem"):
        items = recommend(gate, member, pools=pools).items
        result[member] = [(r.listing.id, r.match.score) for r in items]
    return result


def add_gender(store: Store, policy: Policy, genders: dict[str, str]) -> None:
    """Store a gender for members, as an X archive import does."""
    with store.write() as conn:
        writer = Writer(conn, store, policy, ImportReport(source="test", format="test"))
        for member, gender in genders.items():
            writer.record(
                RecordRow(
                    subject_id=member,
                    source="x",
                    source_id=f"gender:{member}",
                    kind="gender",
                    category="user.demographic.gender",
                    origin="test",
                    text=gender,
                    data={"gender": gender},
                )
            )
        writer.flush()


def test_age_gender_and_nationality_never_change_a_ranking(gate: Gate, policy: Policy) -> None:
    """EU AI Act: matching must not use age, gender, nationality or birth date, even when
    stored. Changing them all (within adulthood, which the policy's minor rule decides) leaves
    every ranking, and every score, exactly as it was."""
    load(gate.store, policy, [job("j-two", "Buchhalterin", employer="Gamma", skills=["Excel"])])
    add_gender(gate.store, policy, {"anna": "female", "ben": "male", "cem": "male"})
    pools = Pools()
    before = rankings(gate, pools)
    assert before["j-dev"] and before["anna"] and before["j-acc"]
    variants: list[tuple[dict[str, dict[str, str]], dict[str, str]]] = [
        (
            {
                "anna": {"birth_date": "1958-11-30", "country": "US"},
                "ben": {"birth_date": "2001-01-01", "country": "DE"},
                "cem": {"birth_date": "1975-06", "country": "TR"},
            },
            {"anna": "male", "ben": "female", "cem": "diverse"},
        ),
        (
            {
                "anna": {"birth_date": "2000", "country": "FR"},
                "ben": {"birth_date": "1940-02-29", "country": "NG"},
                "cem": {"birth_date": "1999-12-31", "country": "SY"},
            },
            {"anna": "female", "ben": "unknown", "cem": "female"},
        ),
    ]
    for members, genders in variants:
        load(gate.store, policy, [subject(m, **fields) for m, fields in members.items()])
        add_gender(gate.store, policy, genders)
        # Kept current incrementally, and built anew: the same rankings either way.
        assert rankings(gate, pools) == before
        assert rankings(gate, Pools()) == before
    assert pools.candidate_pool().rebuilds == 1
