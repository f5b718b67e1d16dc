"""Helpers for the job tests: a small platform of members and listings, in German and English."""

from __future__ import annotations

from typing import Any

from purposely.ingest.jsonl import ingest_events
from purposely.policy import Policy
from purposely.store import Store
from tests.factories import consent, employment, job, job_preferences, skill, subject

RECOMMEND = "personalize.job_recommendations"
RECRUIT = "employment.recruitment"


def load(store: Store, policy: Policy, events: list[dict[str, Any]]) -> None:
    """Import ``events`` (JSONL objects) in one batch."""
    ingest_events(store, policy, events)


def opted_in(id: str, *purposes: str, **fields: Any) -> list[dict[str, Any]]:
    """A member, with consent to ``purposes`` (both job purposes by default)."""
    return [subject(id, **fields)] + [
        consent(id, purpose) for purpose in (purposes or (RECOMMEND, RECRUIT))
    ]


def platform() -> list[dict[str, Any]]:
    """Members and listings in German and English.

    - anna: Softwareentwicklerin, Python and Docker, wants Munich or remote; opted in to both.
    - ben: Software Engineer, Python; opted in to both.
    - cem: Buchhalter (accounting, Excel), Berlin; opted in to both.
    - dora: Pflegefachkraft (nursing), opted in to recruitment only.
    - erik: Softwareentwickler with Python, never opted in.
    - kid: born 2012, Python and Softwareentwickler, opted in to both (a minor).
    """
    return [
        *opted_in("anna"),
        employment("anna", "Softwareentwicklerin", "Beispiel AG"),
        employment("anna", "Werkstudentin Informatik", "Uni", start="2015", end="2018"),
        skill("anna", "Python"),
        skill("anna", "Docker"),
        job_preferences("anna", ["Softwareentwicklerin"], ["München"], remote=True),
        *opted_in("ben", country="US"),
        employment("ben", "Software Engineer", "Example Inc."),
        skill("ben", "Python"),
        job_preferences("ben", [], ["Berlin"], remote=False, open_to_work=True),
        *opted_in("cem"),
        employment("cem", "Buchhalter", "Kanzlei"),
        skill("cem", "Buchhaltung"),
        skill("cem", "Excel"),
        job_preferences("cem", [], ["Berlin"]),
        *opted_in("dora", RECRUIT),
        employment("dora", "Gesundheits- und Krankenpflegerin", "Klinikum"),
        skill("dora", "Pflege"),
        subject("erik"),
        employment("erik", "Softwareentwickler", "Firma"),
        skill("erik", "Python"),
        *opted_in("kid", birth_date="2012-05-01"),
        employment("kid", "Softwareentwickler", "Schule"),
        skill("kid", "Python"),
        job(
            "j-dev",
            "Software Engineer",
            location="Munich, Germany",
            skills=["Python", "Docker"],
            description="You build our backend services.",
            posted_at="2024-01-10T09:00:00Z",
        ),
        job(
            "j-de",
            "Softwareentwickler (m/w/d)",
            employer="Beta GmbH",
            location="Berlin",
            skills=["Python"],
            posted_at="2024-01-11T09:00:00Z",
        ),
        job(
            "j-acc",
            "Accountant",
            employer="Gamma",
            location="Berlin",
            skills=["accounting"],
            posted_at="2024-01-12T09:00:00Z",
        ),
        job(
            "j-care",
            "Pflegefachkraft",
            employer="Klinik",
            location="Hamburg",
            skills=["Krankenpflege"],
            posted_at="2024-01-09T09:00:00Z",
        ),
    ]
