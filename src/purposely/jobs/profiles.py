"""A member's career profile for matching, built only from what the gate released.

A :class:`JobProfile` is made of the records the gate allows for a job purpose
(``personalize.job_recommendations`` or ``employment.recruitment``): employment history, job
titles, skills, education and job preferences. It holds what matching compares (the ESCO
concepts of the member's titles, skill keys, preferred places, remote) and nothing else.

Fairness (EU AI Act, Art. 10; GDPR Art. 9): matching must never depend on age, gender,
nationality or birth date. They are kept out by construction, twice over:

- the profile is built from the gate's released records only, never from the ``subjects``
  table, which holds birth date and country; the gate releases for these purposes only the
  career categories of the policy (no demographic or contact category), so gender, age or
  nationality stored elsewhere never reach this module;
- and should a policy ever release more, :func:`build_profiles` reads only the career record
  kinds it knows, and skips any record of a demographic, contact or biometric category.

The only use of a birth date in job matching is the gate's own: excluding minors from
recruitment, as the policy says. That decides *whether* a member is searched, never how a
member ranks.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from purposely.gate import AllowedRecord, Answer, Gate
from purposely.jobs.skills import normalise_skill, vocabulary
from purposely.jobs.terms import TitleConcept, is_remote, place_key, strongest, title_concepts
from purposely.jobs.titles import TitleLinker
from purposely.taxonomy import covers

# Categories no profile reads, whatever a policy releases (see the module's docstring).
NEVER_READ = ("user.demographic", "user.contact", "user.biometric", "user.unique_id")

# How much a title says about what a member does or looks for (times its link score).
WANTED_TITLE = 1.0  # job preferences: the work the member looks for
CURRENT_TITLE = 1.0  # current position, or a job title field
PAST_TITLE = 0.8  # earlier positions


@dataclass(frozen=True, slots=True)
class JobProfile:
    """What matching knows about one member: linked titles, skills, places, remote."""

    subject_pk: int
    concepts: tuple[TitleConcept, ...]
    skills: tuple[str, ...]
    locations: tuple[str, ...]
    remote: bool | None
    open_to_work: bool
    titles: tuple[str, ...]
    categories: tuple[str, ...]
    records: int

    @property
    def searchable(self) -> bool:
        """Whether the profile can match anything: a linked title or a skill."""
        return bool(self.concepts or self.skills)


@dataclass
class _Parts:
    """A profile under construction, from one member's records."""

    concepts: list[TitleConcept] = field(default_factory=list)
    skills: set[str] = field(default_factory=set)
    locations: set[str] = field(default_factory=set)
    remote: bool | None = None
    open_to_work: bool = False
    titles: list[str] = field(default_factory=list)
    categories: set[str] = field(default_factory=set)
    records: int = 0

    def title(self, linker: TitleLinker, title: Any, weight: float) -> None:
        if isinstance(title, str) and title.strip():
            self.titles.append(title.strip())
            self.concepts.extend(title_concepts(linker, title, weight))

    def profile(self, subject_pk: int) -> JobProfile:
        return JobProfile(
            subject_pk=subject_pk,
            concepts=strongest(self.concepts),
            skills=tuple(sorted(self.skills)),
            locations=tuple(sorted(self.locations)),
            remote=self.remote,
            open_to_work=self.open_to_work,
            titles=tuple(dict.fromkeys(self.titles)),
            categories=tuple(sorted(self.categories)),
            records=self.records,
        )


def build_profiles(
    records: Iterable[AllowedRecord], linker: TitleLinker | None = None
) -> dict[int, JobProfile]:
    """The profiles of the members ``records`` (released by the gate) belong to, by subject pk.

    Only career records are read: employment, job titles, skills, education and job
    preferences. Any other record is skipped (see the module's docstring for why).
    """
    linker = linker or TitleLinker.default()
    parts: dict[int, _Parts] = {}
    for record in records:
        if any(covers(never, record.category) for never in NEVER_READ):
            continue
        member = parts.get(record.subject_pk)
        if member is None:
            member = parts[record.subject_pk] = _Parts()
        if _read(member, record, linker):
            member.records += 1
            member.categories.add(sys.intern(record.category))
    return {pk: p.profile(pk) for pk, p in parts.items() if p.records}


def _read(parts: _Parts, record: AllowedRecord, linker: TitleLinker) -> bool:
    """Add what ``record`` says to ``parts``; False for a record matching does not read."""
    data = record.data if isinstance(record.data, dict) else {}
    if record.kind == "employment":
        current = data.get("end") in (None, "")
        parts.title(linker, data.get("title"), CURRENT_TITLE if current else PAST_TITLE)
    elif record.category == "user.job_title":
        parts.title(linker, data.get("title", record.text), CURRENT_TITLE)
    elif record.kind == "skill":
        name = data.get("name")
        if isinstance(name, str) and name.strip():
            parts.skills.add(sys.intern(normalise_skill(name)))
    elif record.kind == "education":
        # A field of study counts as a skill when the vocabulary knows it ("Informatik").
        field_of_study = data.get("field")
        if isinstance(field_of_study, str):
            key = normalise_skill(field_of_study)
            if key in vocabulary().skills:
                parts.skills.add(key)
    elif record.kind == "job_preferences":
        _preferences(parts, data, linker)
    else:
        return False
    return True


def _preferences(parts: _Parts, data: dict[str, Any], linker: TitleLinker) -> None:
    for title in data.get("titles") or ():
        parts.title(linker, title, WANTED_TITLE)
    for place in data.get("locations") or ():
        if not isinstance(place, str):
            continue
        if (key := place_key(place)) is not None:
            parts.locations.add(sys.intern(key))
        if is_remote(place) and parts.remote is None:
            parts.remote = True
    if isinstance(data.get("remote"), bool):
        parts.remote = data["remote"]
    parts.open_to_work = data.get("open_to_work") is True


def member_profile(
    gate: Gate, purpose: str, subject: str, *, caller: str, linker: TitleLinker | None = None
) -> tuple[Answer, JobProfile | None]:
    """Ask the gate what ``purpose`` may use of ``subject`` (id or @handle) and build their
    profile from it: the answer (logged by the gate), and the profile, or None when nothing
    usable was released."""
    answer = gate.ask(purpose, caller=caller, subject=subject)
    if answer.records_allowed == 0 or answer.subject is None:
        return answer, None
    profiles = build_profiles(gate.records(answer), linker)
    return answer, profiles.get(answer.subject.pk)


def purpose_profiles(
    gate: Gate, purpose: str, *, caller: str, linker: TitleLinker | None = None
) -> tuple[Answer, Iterator[JobProfile]]:
    """Ask the gate what ``purpose`` may use of every member (one question, logged), and the
    profiles built from the records it releases."""
    answer = gate.ask(purpose, caller=caller)
    return answer, iter(build_profiles(gate.records(answer), linker).values())
