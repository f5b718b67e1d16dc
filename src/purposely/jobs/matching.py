"""Scoring a member's profile against a listing, with the reasons, and the in-memory indexes.

The score of a profile for a listing is, in [0, 1]::

    0.50 * title + 0.35 * skills + 0.15 * place

- ``title``: the best shared ESCO concept, its weight on the listing's side times its weight
  on the member's (link score times how current the title is);
- ``skills``: the share of the listing's skills the member has;
- ``place``: 1 if the listing's place is one the member prefers, or the listing is remote
  and the member wants remote work.

A pair shares at least a concept or a skill to match at all; place alone never makes a
match. Nothing else enters: no age, gender, nationality or birth date (the profile does not
hold them, see :mod:`purposely.jobs.profiles`). Equal scores are ordered by id (the
listing's, or the member's store key), so the same data always ranks the same way.

:class:`CandidateIndex` (profiles, searched with a listing) and :class:`ListingIndex`
(listings, searched with a profile) compute the same score for all documents at once with
numpy over inverted postings (concept -> slots, skill -> slots, place -> slots), so a search
reads only the postings of the query's few terms. Both are kept current one document at a
time (``upsert``, ``remove``); a replaced or removed document leaves a dead slot behind,
and the slots are compacted in memory once the dead outnumber the living.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

from purposely.jobs.listings import Listing
from purposely.jobs.profiles import JobProfile
from purposely.jobs.skills import find_skills, normalise_skill
from purposely.jobs.terms import TitleConcept, is_remote, place_key, strongest, title_concepts
from purposely.jobs.titles import TitleLinker

TITLE_WEIGHT = 0.50
SKILL_WEIGHT = 0.35
PLACE_WEIGHT = 0.15
# Compaction waits for at least this many dead slots.
_MIN_DEAD = 1024

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class ListingTerms:
    """What a listing asks for, as matching compares it."""

    job_id: str
    concepts: tuple[TitleConcept, ...]
    skills: tuple[str, ...]
    place: str | None
    remote: bool

    @property
    def searchable(self) -> bool:
        """Whether the listing can match anyone: a linked title or a skill."""
        return bool(self.concepts or self.skills)


def listing_terms(listing: Listing, linker: TitleLinker | None = None) -> ListingTerms:
    """The terms of ``listing``: its title's concepts, its skills (those it lists, then
    those its title and description name), its place, and whether it is remote."""
    linker = linker or TitleLinker.default()
    skills = dict.fromkeys(normalise_skill(s) for s in listing.skills if s.strip())
    skills.update(dict.fromkeys(find_skills(listing.title)))
    if listing.description:
        skills.update(dict.fromkeys(find_skills(listing.description)))
    return ListingTerms(
        job_id=listing.id,
        concepts=strongest(title_concepts(linker, listing.title)),
        skills=tuple(skills),
        place=place_key(listing.location),
        remote=is_remote(listing.location) or is_remote(listing.title),
    )


@dataclass(frozen=True, slots=True)
class Reasons:
    """Why a profile matches a listing: shared concepts (the listing's, with labels), shared
    skill keys (in the listing's order), the place matched, and remote work."""

    concepts: tuple[TitleConcept, ...]
    skills: tuple[str, ...]
    place: str | None
    remote: bool


@dataclass(frozen=True, slots=True)
class Match:
    """A profile's score for a listing, its three parts, and the reasons."""

    score: float
    title: float
    skills: float
    place: float
    reasons: Reasons


def combine(title: float, skills: float, place: float) -> float:
    """The score from its parts (the indexes compute the same sum, in the same order)."""
    return TITLE_WEIGHT * title + SKILL_WEIGHT * skills + PLACE_WEIGHT * place


def score(profile: JobProfile, terms: ListingTerms) -> Match | None:
    """How well ``profile`` fits the listing ``terms`` describe, and why; None if they share
    no concept and no skill."""
    mine = {c.concept: c.weight for c in profile.concepts}
    shared = [(c.weight * mine[c.concept], c) for c in terms.concepts if c.concept in mine]
    skills = set(profile.skills)
    matched = tuple(s for s in terms.skills if s in skills)
    if not shared and not matched:
        return None
    title = max((w for w, _ in shared), default=0.0)
    skill_part = len(matched) / len(terms.skills) if terms.skills else 0.0
    place = terms.place if terms.place is not None and terms.place in profile.locations else None
    remote = terms.remote and profile.remote is True
    place_part = 1.0 if place is not None or remote else 0.0
    ordered = tuple(c for _, c in sorted(shared, key=lambda wc: (-wc[0], wc[1].concept)))
    return Match(
        score=combine(title, skill_part, place_part),
        title=title,
        skills=skill_part,
        place=place_part,
        reasons=Reasons(ordered, matched, place, remote),
    )


# --- the indexes -----------------------------------------------------------------------------

Key = TypeVar("Key", int, str)
Doc = TypeVar("Doc")


class _Growing:
    """A numpy array of one value per slot that grows (by doubling) as slots are added."""

    def __init__(self, dtype: type[np.generic], size: int = 1024) -> None:
        self._data: npt.NDArray[np.generic] = np.zeros(max(size, 1024), dtype=dtype)

    def _reserve(self, size: int) -> None:
        if size > len(self._data):
            grown = np.zeros(max(2 * len(self._data), size), dtype=self._data.dtype)
            grown[: len(self._data)] = self._data
            self._data = grown

    def set(self, slot: int, value: float | bool | int) -> None:
        self._reserve(slot + 1)
        self._data[slot] = value

    def scatter(self, slots: Ints, values: Floats) -> None:
        if len(slots):
            self._reserve(int(slots[-1]) + 1)
            self._data[slots] = values

    def view(self, n: int) -> npt.NDArray[np.generic]:
        self._reserve(n)
        return self._data[:n]


@dataclass(frozen=True, slots=True)
class _Found:
    """A term's posting as a search reads it: the slots holding it with their weights, or
    (``slots`` None) a weight for every slot of the index, 0 where the term is absent."""

    slots: Ints | None
    weights: npt.NDArray[np.generic]


class _Postings:
    """Term -> the slots holding it, with a weight each.

    Sparse postings are numpy arrays of slots (ascending) and weights, appended to in
    batches: a new document's slots wait in lists until the next search reads the term. A
    term held by more than ``DENSE_SHARE`` of the slots turns dense, one value per slot
    (``dtype``: float64 weights for concepts, bool for skills and places), so a search adds
    whole arrays instead of scattering into hundreds of thousands of slots.
    """

    DENSE_SHARE = 1 / 8
    DENSE_MIN = 4096

    def __init__(self, dtype: type[np.generic]) -> None:
        self._dtype = dtype
        self._slots: dict[str, Ints] = {}
        self._weights: dict[str, Floats] = {}
        self._pending: dict[str, tuple[list[int], list[float]]] = {}
        self._dense: dict[str, _Growing] = {}

    def add(self, term: str, slot: int, weight: float = 1.0) -> None:
        dense = self._dense.get(term)
        if dense is not None:
            dense.set(slot, weight)
            return
        slots, weights = self._pending.setdefault(term, ([], []))
        slots.append(slot)
        weights.append(weight)

    def get(self, term: str, n: int) -> _Found | None:
        """The posting of ``term`` in an index of ``n`` slots, or None if no slot holds it."""
        dense = self._dense.get(term)
        if dense is not None:
            return _Found(None, dense.view(n))
        pending = self._pending.pop(term, None)
        if pending is not None:
            new_slots = np.array(pending[0], dtype=np.int64)
            new_weights = np.array(pending[1], dtype=np.float64)
            if term in self._slots:
                new_slots = np.concatenate([self._slots[term], new_slots])
                new_weights = np.concatenate([self._weights[term], new_weights])
            self._slots[term], self._weights[term] = new_slots, new_weights
        slots = self._slots.get(term)
        if slots is None:
            return None
        if len(slots) > max(self.DENSE_MIN, n * self.DENSE_SHARE):
            dense = self._dense[term] = _Growing(self._dtype, n)
            dense.scatter(slots, self._weights.pop(term))
            del self._slots[term]
            return _Found(None, dense.view(n))
        return _Found(slots, self._weights[term])


class _Index(Generic[Key, Doc]):
    """Documents in slots, with postings for their concepts, skills and places.

    A document's slot never changes while it lives; replacing it kills the old slot and
    takes a new one (postings are append-only), and :meth:`_compact` drops dead slots.
    """

    def __init__(self) -> None:
        self._docs: dict[Key, Doc] = {}
        self._slot_of: dict[Key, int] = {}
        self._keys: list[Key | None] = []
        self._reset()
        self.compactions = 0

    def _reset(self) -> None:
        self._concepts = _Postings(np.float64)
        self._skills = _Postings(np.bool_)
        self._places = _Postings(np.bool_)
        self._alive = _Growing(np.bool_)
        self._remote = _Growing(np.bool_)
        self._skill_counts = _Growing(np.int64)
        self._keys = []
        self._slot_of = {}

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, key: object) -> bool:
        return key in self._docs

    def keys(self) -> list[Key]:
        """The keys of the documents held, in no particular order."""
        return list(self._docs)

    def _kill(self, key: Key) -> bool:
        slot = self._slot_of.pop(key, None)
        if slot is None:
            return False
        self._alive.set(slot, False)
        self._keys[slot] = None
        del self._docs[key]
        return True

    def _place(self, key: Key, doc: Doc) -> int:
        """A new slot for ``doc`` (the caller fills its postings)."""
        self._kill(key)
        slot = len(self._keys)
        self._keys.append(key)
        self._slot_of[key] = slot
        self._docs[key] = doc
        self._alive.set(slot, True)
        return slot

    def _maybe_compact(self, fill: Callable[[Key, Doc], None]) -> None:
        dead = len(self._keys) - len(self._docs)
        if dead >= _MIN_DEAD and dead > len(self._docs):
            docs = list(self._docs.items())
            self._docs = {}
            self._reset()
            for key, doc in docs:
                fill(key, doc)
            self.compactions += 1

    def _size(self) -> int:
        return len(self._keys)

    def _title_part(self, n: int, query: Iterable[TitleConcept]) -> Floats:
        """Per slot, the best product of a query concept's weight and the slot's weight for
        it (0 where none is shared). The product is the same whichever side is the query."""
        title = np.zeros(n)
        for c in query:
            found = self._concepts.get(c.concept, n)
            if found is None:
                continue
            products = c.weight * found.weights.astype(np.float64, copy=False)
            if found.slots is None:
                np.maximum(title, products, out=title)
            else:
                title[found.slots] = np.maximum(title[found.slots], products)
        return title

    def _shared_skills(self, n: int, query: Iterable[str]) -> Ints:
        """Per slot, how many of the query's (distinct) skills it holds."""
        counts = np.zeros(n, dtype=np.int64)
        for skill in query:
            found = self._skills.get(skill, n)
            if found is None:
                continue
            if found.slots is None:
                np.add(counts, found.weights, out=counts, casting="unsafe")
            else:
                counts[found.slots] += 1
        return counts

    def _places_of(self, n: int, places: Iterable[str], remote: bool) -> Bools:
        """Per slot, whether it holds one of ``places``, or (``remote``) is remote."""
        place = np.zeros(n, dtype=np.bool_)
        for key in places:
            found = self._places.get(key, n)
            if found is None:
                continue
            if found.slots is None:
                place |= found.weights.astype(np.bool_, copy=False)
            else:
                place[found.slots] = True
        if remote:
            place |= self._remote.view(n).astype(np.bool_, copy=False)
        return place

    def _scores(
        self, title: Floats, counts: Ints, wanted: int | Ints, place: Bools
    ) -> tuple[Floats, Bools]:
        """Every slot's score (in ``title``'s array) and which slots match at all.

        The same operations as :func:`combine`, in the same order, element by element, so
        each score is bit for bit what :func:`score` gives: title times its weight, plus
        shared over ``wanted`` skills times its weight, plus the place's weight where the
        place matches (adding 0 elsewhere changes nothing).
        """
        n = len(title)
        hit = counts > 0
        hit |= title > 0
        if len(self._docs) < n:
            hit &= self._alive.view(n).astype(np.bool_, copy=False)
        skills = counts.astype(np.float64)
        if isinstance(wanted, int):
            skills /= max(wanted, 1)  # no skills wanted: every count is 0
        else:
            np.divide(skills, wanted, out=skills, where=wanted > 0)
        skills *= SKILL_WEIGHT
        title *= TITLE_WEIGHT
        title += skills
        # Not np.add(..., where=place): a masked loop costs five times a multiply and an add.
        title += place * PLACE_WEIGHT
        return title, hit


# Top-k over many hits first narrows them with a threshold read off a sample of this many.
_SAMPLE = 16384


def _top(scores: Floats, hit: Bools, k: int) -> tuple[Ints, Floats]:
    """The slots of ``hit`` with the ``k`` best scores, and everything tied with the k-th
    best (for the caller's tie-break, so the answer never depends on chance); unordered.

    Over many slots, a threshold is taken from an evenly spread sample, set so that a few
    times ``k`` slots should pass it; if at least ``k`` do, the k best are among them (the
    k-th best is then at least the threshold), else every hit is ranked.
    """
    masked = scores * hit  # scores of hits are > 0; all else 0
    slots: Ints | None = None
    stride = len(masked) // _SAMPLE
    if stride > 1 and k * 64 < len(masked):
        sample = masked[::stride]
        rank_in_sample = min(len(sample), -(-8 * k // stride))
        threshold = np.partition(sample, len(sample) - rank_in_sample)[-rank_in_sample]
        if threshold > 0:
            passed = np.flatnonzero(masked >= threshold)
            if len(passed) >= k:
                slots = passed
    if slots is None:
        slots = np.flatnonzero(hit)
    values = masked[slots]
    if len(slots) > k:
        kth = np.partition(values, len(values) - k)[len(values) - k]
        keep = values >= kth
        slots, values = slots[keep], values[keep]
    return slots, values


@dataclass(frozen=True, slots=True)
class Ranked(Generic[Doc]):
    """A document found by a search, with its match."""

    doc: Doc
    match: Match


class CandidateIndex(_Index[int, JobProfile]):
    """The profiles of the members a purpose may use, searched with a listing.

    Kept current member by member: :meth:`upsert` a profile rebuilt from the gate, or
    :meth:`remove` a member the gate no longer releases. Equal scores rank by subject pk.
    """

    def __init__(self, profiles: Iterable[JobProfile] = ()) -> None:
        super().__init__()
        self._pks = _Growing(np.int64)
        for profile in profiles:
            self.upsert(profile)

    def _reset(self) -> None:
        super()._reset()
        self._pks = _Growing(np.int64)

    def upsert(self, profile: JobProfile) -> None:
        """Add ``profile``, replacing the member's earlier one; one that can match nothing
        (no linked title, no skill) is removed instead."""
        if not profile.searchable:
            self.remove(profile.subject_pk)
            return
        self._fill(profile.subject_pk, profile)
        self._maybe_compact(self._fill)

    def _fill(self, pk: int, profile: JobProfile) -> None:
        slot = self._place(pk, profile)
        self._pks.set(slot, pk)
        for c in profile.concepts:
            self._concepts.add(c.concept, slot, c.weight)
        for s in profile.skills:
            self._skills.add(s, slot)
        for place in profile.locations:
            self._places.add(place, slot)
        self._remote.set(slot, profile.remote is True)

    def remove(self, subject_pk: int) -> bool:
        """Drop the member's profile; False if it was not held."""
        removed = self._kill(subject_pk)
        self._maybe_compact(self._fill)
        return removed

    def profile(self, subject_pk: int) -> JobProfile | None:
        """The profile held for a member, if any."""
        return self._docs.get(subject_pk)

    def search(self, terms: ListingTerms, k: int) -> list[Ranked[JobProfile]]:
        """The ``k`` profiles that fit the listing best, best first, with their matches."""
        n = self._size()
        if n == 0 or k <= 0 or not terms.searchable:
            return []
        title = self._title_part(n, terms.concepts)
        counts = self._shared_skills(n, terms.skills)
        places = () if terms.place is None else (terms.place,)
        place = self._places_of(n, places, terms.remote)
        scores, hit = self._scores(title, counts, len(terms.skills), place)
        slots, values = _top(scores, hit, k)
        pks = self._pks.view(n)[slots].astype(np.int64, copy=False)
        ranked = []
        for i in np.lexsort((pks, -values))[:k]:
            profile = self._docs[int(pks[i])]
            match = score(profile, terms)
            assert match is not None, "the index found what the score matches"
            ranked.append(Ranked(profile, match))
        return ranked


class ListingIndex(_Index[str, ListingTerms]):
    """The open listings, searched with a member's profile. Equal scores rank by job id."""

    def __init__(self, listings: Iterable[ListingTerms] = ()) -> None:
        super().__init__()
        for terms in listings:
            self.upsert(terms)

    def upsert(self, terms: ListingTerms) -> None:
        """Add a listing's terms, replacing earlier ones for the same job; a listing that can
        match nobody (no linked title, no skill) is removed instead."""
        if not terms.searchable:
            self.remove(terms.job_id)
            return
        self._fill(terms.job_id, terms)
        self._maybe_compact(self._fill)

    def _fill(self, job_id: str, terms: ListingTerms) -> None:
        slot = self._place(job_id, terms)
        for c in terms.concepts:
            self._concepts.add(c.concept, slot, c.weight)
        for s in terms.skills:
            self._skills.add(s, slot)
        if terms.place is not None:
            self._places.add(terms.place, slot)
        self._remote.set(slot, terms.remote)
        self._skill_counts.set(slot, len(terms.skills))

    def remove(self, job_id: str) -> bool:
        """Drop a listing (closed, say); False if it was not held."""
        removed = self._kill(job_id)
        self._maybe_compact(self._fill)
        return removed

    def search(self, profile: JobProfile, k: int) -> list[Ranked[ListingTerms]]:
        """The ``k`` listings that fit ``profile`` best, best first, with their matches."""
        n = self._size()
        if n == 0 or k <= 0 or not profile.searchable:
            return []
        title = self._title_part(n, profile.concepts)
        counts = self._shared_skills(n, profile.skills)
        place = self._places_of(n, profile.locations, profile.remote is True)
        wanted = self._skill_counts.view(n).astype(np.int64, copy=False)
        scores, hit = self._scores(title, counts, wanted, place)
        slots, values = _top(scores, hit, k)
        found = sorted(
            (-float(value), str(self._keys[int(slot)]))
            for slot, value in zip(slots, values, strict=True)
        )
        ranked = []
        for _, job_id in found[:k]:
            terms = self._docs[job_id]
            match = score(profile, terms)
            assert match is not None, "the index found what the score matches"
            ranked.append(Ranked(terms, match))
        return ranked


def rank(
    profiles: Sequence[JobProfile], terms: ListingTerms, k: int
) -> list[tuple[JobProfile, Match]]:
    """The ``k`` best ``profiles`` for a listing by :func:`score` alone, ties by subject pk:
    what :meth:`CandidateIndex.search` must answer (the reference its tests compare with)."""
    scored = [(p, m) for p in profiles if (m := score(p, terms)) is not None]
    scored.sort(key=lambda pm: (-pm[1].score, pm[0].subject_pk))
    return scored[:k]
