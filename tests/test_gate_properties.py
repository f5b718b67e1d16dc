"""Property-based tests of the gate (hypothesis).

Whatever the consents: no private content and no message ever passes for AI training, no
minor passes, a withdrawal or objection takes effect at the very next question, and the
gate releases exactly what an independent, plain-Python reading of the policy releases.
"""

from __future__ import annotations

import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from purposely.consent import ConsentDecision, Decision, append
from purposely.gate import Gate
from purposely.ingest.jsonl import ingest_jsonl
from purposely.policy import Policy, load_policy
from purposely.store import Store
from tests.factories import consent, message, post, subject, write_jsonl

TRAIN = "train_ai_system"
AS_OF = date(2026, 1, 1)
EEA = {"DE", "FR", "AT"}
POLICY = load_policy()
PURPOSES = sorted(POLICY.purposes)
BIRTHS = ["1980-06-01", "2001", "2007-12-31", "2008-01-02", "2012-03-04", "2010", None]
COUNTRIES = ["DE", "FR", "AT", "US", "BR", None]


@dataclass(frozen=True)
class Member:
    """A generated subject and their posts (``True`` = public) and messages."""

    birth: str | None
    country: str | None
    posts: tuple[bool, ...]
    messages: int


members = st.builds(
    Member,
    birth=st.sampled_from(BIRTHS),
    country=st.sampled_from(COUNTRIES),
    posts=st.lists(st.booleans(), max_size=3).map(tuple),
    messages=st.integers(0, 2),
)
# (member index, purpose, decision, day): decisions arrive in any order of time
decisions = st.tuples(
    st.integers(0, 5),
    st.sampled_from([TRAIN, TRAIN, *PURPOSES]),
    st.sampled_from(list(Decision)),
    st.integers(0, 30),
)


def is_minor(birth: str | None) -> bool:
    """Independent age rule: unknown is minor; partial dates mean their latest day."""
    if birth is None:
        return True
    latest = {4: f"{birth}-12-31", 7: f"{birth}-28", 10: birth}[len(birth)]
    return date.fromisoformat(latest) > date(2008, 1, 1)


def expected_release(
    people: list[Member], consents: list[tuple[int, str, Decision, int]]
) -> set[str]:
    """The posts the default policy releases for AI training, computed without the gate."""
    latest: dict[int, tuple[int, int, Decision]] = {}
    for order, (who, purpose, decided, day) in enumerate(consents):
        later = who not in latest or (day, order) >= latest[who][:2]
        if purpose == TRAIN and who < len(people) and later:
            latest[who] = (day, order, decided)
    released = set()
    for i, person in enumerate(people):
        if is_minor(person.birth):
            continue
        decided = latest[i][2] if i in latest else None
        needs_consent = person.country is None or person.country in EEA
        if decided in (Decision.WITHDRAW, Decision.OBJECT):
            continue
        if needs_consent and decided is not Decision.GRANT:
            continue
        released |= {f"p{i}-{k}" for k, public in enumerate(person.posts) if public}
    return released


def build(people: list[Member], consents: list[tuple[int, str, Decision, int]]) -> Store:
    """A fresh SQLite store holding ``people`` and ``consents``, imported as JSONL."""
    folder = Path(tempfile.mkdtemp())
    store = Store.init(f"sqlite:///{folder / uuid.uuid4().hex}.db")
    lines: list[dict[str, Any]] = []
    for i, person in enumerate(people):
        lines.append(subject(f"s{i}", birth_date=person.birth, country=person.country))
        lines += [
            post(f"p{i}-{k}", f"s{i}", visibility="public" if public else "private")
            for k, public in enumerate(person.posts)
        ]
        lines += [message(f"m{i}-{k}", f"s{i}", ["s0"]) for k in range(person.messages)]
    for who, purpose, decided, day in consents:
        if who < len(people):
            at = (datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=day)).isoformat()
            extra = {"categories": ["user.biometric.face"]} if "identity" in purpose else {}
            lines.append(consent(f"s{who}", purpose, decided.value, at=at, **extra))
    ingest_jsonl(store, POLICY, write_jsonl(folder / "in.jsonl", lines))
    return store


def released(store: Store, policy: Policy) -> tuple[set[str], Any]:
    """Ask for AI training; return the released record ids and the answer."""
    gate = Gate(store, policy)
    answer = gate.ask(TRAIN, caller="property", as_of=AS_OF)
    records = list(gate.records(answer))
    assert len(records) == answer.records_allowed
    for record in records:
        assert record.category == "user.content.public" and record.kind == "post"
    return {r.source_id for r in records}, answer


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(people=st.lists(members, min_size=1, max_size=6), consents=st.lists(decisions, max_size=12))
def test_training_releases_exactly_what_the_policy_says(
    people: list[Member], consents: list[tuple[int, str, Decision, int]]
) -> None:
    store = build(people, consents)
    ids, answer = released(store, POLICY)
    assert ids == expected_release(people, consents)
    # nothing private, no message, no minor: by construction of the ids above, and in counts
    private = sum(not public for p in people for public in p.posts)
    messages = sum(p.messages for p in people)
    assert answer.withheld.get("private", 0) == private + messages
    minors_posts = sum(len(p.posts) for p in people if is_minor(p.birth))
    public_minor_posts = sum(sum(p.posts) for p in people if is_minor(p.birth))
    assert answer.withheld.get("minor", 0) == public_minor_posts
    assert all(not is_minor(people[int(i[1:].split("-")[0])].birth) for i in ids)
    assert minors_posts >= public_minor_posts
    store.engine.dispose()


@SETTINGS
@given(
    people=st.lists(members, min_size=1, max_size=6),
    consents=st.lists(decisions, max_size=12),
    leaving=st.sampled_from([Decision.WITHDRAW, Decision.OBJECT]),
    pick=st.integers(0, 5),
)
def test_withdrawal_or_objection_applies_at_the_next_question(
    people: list[Member],
    consents: list[tuple[int, str, Decision, int]],
    leaving: Decision,
    pick: int,
) -> None:
    store = build(people, consents)
    who = pick % len(people)
    with store.write() as conn:
        append(
            conn,
            POLICY,
            [
                ConsentDecision(
                    store.pseudonym(f"s{who}"), TRAIN, leaving, datetime.now(UTC), "v", "test"
                )
            ],
        )
    ids, answer = released(store, POLICY)
    assert not any(i.startswith(f"p{who}-") for i in ids)
    assert ids == expected_release(people, consents) - {f"p{who}-{k}" for k in range(3)}
    if not is_minor(people[who].birth) and any(people[who].posts):
        reason = "withdrawn" if leaving is Decision.WITHDRAW else "objected"
        assert answer.withheld.get(reason, 0) >= sum(people[who].posts)
    store.engine.dispose()
