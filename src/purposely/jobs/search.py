"""Job recommendations for members and candidate search for employers, through the gate.

- :func:`recommend`: the open listings that fit a member best. The member's profile is what
  the gate releases for ``personalize.job_recommendations`` about them; a member who has not
  opted in (or withdrew, or objected) is refused with a message that says so.
- :func:`candidates`: the members who fit an employer's open listing best, among those the
  gate releases for ``employment.recruitment`` (opted in, and never minors: the policy
  excludes them in the gate). The employer sees each candidate by a pseudonym of its own
  (:func:`candidate_pseudonym`); every search is an audit event naming the employer as
  caller and the candidates by their stored pseudonyms, so each member's access report lists
  the employers who found them.

The candidate index is built once per process from one question to the gate, then kept
current: before each search it asks the gate which members changed since
(:meth:`~purposely.gate.Gate.changes`: consent decisions after the index's ledger position,
career records or member rows written since, members who came of age) and asks again about
those members only, so a withdrawal takes the member out of the very next search.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from purposely import audit
from purposely.consent.ledger import watermark as ledger_watermark
from purposely.errors import PurposelyError, UnknownSubjectError
from purposely.gate import Gate
from purposely.jobs.listings import Listing, get_listing, list_listings, listings_changed_since
from purposely.jobs.matching import (
    CandidateIndex,
    ListingIndex,
    Match,
    Ranked,
    listing_terms,
)
from purposely.jobs.profiles import JobProfile, member_profile, purpose_profiles
from purposely.jobs.titles import TitleLinker
from purposely.store import Store
from purposely.store import secret as keys
from purposely.store.subjects import SubjectRef, subjects_by_pk

RECOMMEND = "personalize.job_recommendations"
RECRUIT = "employment.recruitment"
# The audit action of a candidate search (the access report lists its callers as recipients).
CANDIDATES_ACTION = "jobs.candidates"
# Who asks the gate to build and refresh the candidate index.
INDEX_CALLER = "jobs.index"
# Writes are looked for this far back before the last refresh: a write transaction stamps
# its rows when it writes them but shows them when it commits, up to minutes later (a large
# import). Writes already read again are not read again (see CandidatePool.refresh).
LAG = timedelta(minutes=15)

# A refresh that would ask the gate again about more members than this share of the index
# (and at least REBUILD_MIN) rebuilds instead: one question about everyone costs less.
REBUILD_SHARE = 0.05
REBUILD_MIN = 1000

# Why the gate withheld a member's career records from recommendations, as the refusal says.
_REFUSALS = {
    "no_consent": "has not opted in to job recommendations",
    "withdrawn": "withdrew their consent to job recommendations",
    "objected": "objected to job recommendations",
    "minor": "is a minor, and the policy excludes minors from job recommendations",
    "no_legal_basis": "cannot get job recommendations: the policy has no legal basis for them",
}


@dataclass(frozen=True)
class Recommendation:
    """A listing recommended to a member, with its rank and match."""

    rank: int
    listing: Listing
    match: Match


@dataclass(frozen=True)
class Recommendations:
    """The listings recommended to a member, best first."""

    subject: SubjectRef
    items: tuple[Recommendation, ...]
    # Whether the gate released anything to match: an empty list means "no match" if so,
    # "no career profile" if not.
    has_profile: bool
    audit_seq: int


@dataclass(frozen=True)
class Candidate:
    """A member found for a listing: shown to the employer by ``pseudonym``; ``subject_id``
    is for the platform's own use (never shown to the employer)."""

    rank: int
    pseudonym: str
    subject_id: str
    match: Match
    open_to_work: bool


@dataclass(frozen=True)
class CandidateSearch:
    """One employer's candidate search for one listing, as logged."""

    listing: Listing
    employer: str
    candidates: tuple[Candidate, ...]
    watermark: int
    audit_seq: int


def employer_key(employer: str) -> str:
    """An employer's name as compared: case and spacing folded ("ACME  GmbH" = "acme gmbh")."""
    return " ".join(employer.casefold().split())


def candidate_pseudonym(secret: bytes, employer: str, pseudonym: str) -> str:
    """The name an employer sees a member by: an HMAC, under the installation secret, of the
    employer's folded name and the member's stored pseudonym.

    Stable for one employer (the same member is the same candidate in each of its searches),
    different for every other employer (two employers cannot join their lists to follow a
    member), and nobody without the secret can tell whose it is.
    """
    message = f"{CANDIDATES_ACTION}\x00{employer_key(employer)}\x00{pseudonym}"
    return "cand-" + keys.pseudonym(secret, message)[:16]


class CandidatePool:
    """The candidate index for one purpose, kept current from the gate.

    Built with one question about every member; then, before each search, :meth:`refresh`
    asks the gate which members changed and asks again about those only. ``rebuilds``,
    ``refreshes`` and ``rereads`` count how often each happened.
    """

    def __init__(
        self, purpose: str = RECRUIT, *, linker: TitleLinker | None = None, lag: timedelta = LAG
    ) -> None:
        self.purpose = purpose
        self.linker = linker
        self.lag = lag
        self.index = CandidateIndex()
        self.watermark: int | None = None
        self.as_of: date | None = None
        self.policy_digest: str | None = None
        self.rebuilds = 0
        self.refreshes = 0
        self.rereads = 0
        self._since = datetime.min.replace(tzinfo=UTC)
        # Member -> (latest write, writes) already read, for the writes in the lag window.
        self._seen: dict[int, tuple[datetime, int]] = {}
        self.lock = threading.Lock()

    def refresh(self, gate: Gate) -> None:
        """Bring the index up to date: built on first use (or under another policy), else
        only the members the gate names as changed are asked about again (all of them at
        once, by a rebuild, when they are many: see ``REBUILD_SHARE``)."""
        if self.watermark is None or gate.policy.digest != self.policy_digest:
            self.rebuild(gate)
            return
        started = datetime.now(UTC)
        since = self._since - self.lag
        changes = gate.changes(
            self.purpose, watermark=self.watermark, since=since, as_of_was=self.as_of
        )
        due = [
            changed
            for changed in changes.subjects
            # A write already read again (it stays in the lag window for a while) is skipped.
            if changed.decided
            or changed.updated_at is None
            or self._seen.get(changed.subject.pk) != (changed.updated_at, changed.writes)
        ]
        if len(due) > max(REBUILD_MIN, REBUILD_SHARE * len(self.index)):
            self.rebuild(gate)
            return
        for changed in due:
            self._reread(gate, changed.subject)
            if changed.updated_at is not None:
                self._seen[changed.subject.pk] = (changed.updated_at, changed.writes)
        self.watermark, self.as_of, self._since = changes.watermark, changes.as_of, started
        horizon = started - self.lag
        self._seen = {pk: seen for pk, seen in self._seen.items() if seen[0] > horizon}
        self.refreshes += 1

    def rebuild(self, gate: Gate) -> None:
        """Build the index anew from one question to the gate about every member."""
        started = datetime.now(UTC)
        with gate.store.read() as conn:
            head = ledger_watermark(conn)
        # The writes of the lag window seen now are in what the question below reads: noted
        # as read, so that the next refresh does not ask about those members again.
        recent = gate.changes(self.purpose, watermark=head, since=started - self.lag)
        answer, profiles = purpose_profiles(
            gate, self.purpose, caller=INDEX_CALLER, linker=self.linker
        )
        self.index = CandidateIndex(profiles)
        self.watermark, self.as_of, self._since = answer.watermark, answer.as_of, started
        self.policy_digest = gate.policy.digest
        self._seen = {
            c.subject.pk: (c.updated_at, c.writes)
            for c in recent.subjects
            if c.updated_at is not None
        }
        self.rebuilds += 1

    def _reread(self, gate: Gate, ref: SubjectRef) -> None:
        try:
            _, profile = member_profile(
                gate, self.purpose, ref.id, caller=INDEX_CALLER, linker=self.linker
            )
        except UnknownSubjectError:  # erased since the gate named them
            profile = None
        if profile is None:
            self.index.remove(ref.pk)
        else:
            self.index.upsert(profile)
        self.rereads += 1

    def search(
        self, gate: Gate, listing: Listing, k: int
    ) -> list[tuple[SubjectRef, Ranked[JobProfile]]]:
        """The ``k`` members who fit ``listing`` best, with who they are. Members erased since
        the last refresh are dropped from the index as they are met."""
        terms = listing_terms(listing, self.linker)
        while True:
            ranked = self.index.search(terms, k)
            with gate.store.read() as conn:
                refs = subjects_by_pk(conn, [r.doc.subject_pk for r in ranked])
            gone = [r.doc.subject_pk for r in ranked if r.doc.subject_pk not in refs]
            if not gone:
                return [(refs[r.doc.subject_pk], r) for r in ranked]
            for pk in gone:
                self.index.remove(pk)


class ListingPool:
    """The open listings' index, kept current from the ``jobs`` table (not personal data):
    before each search, the listings written since the last look are read again."""

    def __init__(self, *, linker: TitleLinker | None = None, lag: timedelta = LAG) -> None:
        self.linker = linker
        self.lag = lag
        self.index = ListingIndex()
        self.listings: dict[str, Listing] = {}
        self.rebuilds = 0
        self._since: datetime | None = None
        self.lock = threading.Lock()

    def refresh(self, store: Store) -> None:
        """Bring the index up to date with the listings added, changed or closed."""
        started = datetime.now(UTC)
        if self._since is None:
            self.index, self.listings = ListingIndex(), {}
            changed = list_listings(store)
            self.rebuilds += 1
        else:
            changed = listings_changed_since(store, self._since - self.lag)
        for listing in changed:
            known = self.listings.get(listing.id)
            if known is not None and known.updated_at == listing.updated_at:
                continue
            if listing.is_open:
                self.listings[listing.id] = listing
                self.index.upsert(listing_terms(listing, self.linker))
            else:
                self.listings.pop(listing.id, None)
                self.index.remove(listing.id)
        self._since = started


@dataclass
class Pools:
    """The indexes one store's searches share in a process."""

    listings: ListingPool = field(default_factory=ListingPool)
    candidates: dict[str, CandidatePool] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def candidate_pool(self, purpose: str = RECRUIT) -> CandidatePool:
        """The candidate index for ``purpose``."""
        with self.lock:
            if purpose not in self.candidates:
                self.candidates[purpose] = CandidatePool(purpose)
            return self.candidates[purpose]


_POOLS: dict[int, tuple[weakref.ref[Store], Pools]] = {}
_POOLS_LOCK = threading.Lock()


def pools_for(store: Store) -> Pools:
    """The indexes kept for ``store`` in this process (made on first use, dropped with it)."""
    with _POOLS_LOCK:
        held = _POOLS.get(id(store))
        if held is not None and held[0]() is store:
            return held[1]
        pools = Pools()
        _POOLS[id(store)] = (weakref.ref(store), pools)
        weakref.finalize(store, _POOLS.pop, id(store), None)
        return pools


def recommend(
    gate: Gate,
    subject: str,
    k: int = 10,
    *,
    caller: str = "jobs.recommend",
    pools: Pools | None = None,
) -> Recommendations:
    """The ``k`` open listings that fit ``subject`` (id or @handle) best, best first.

    The member's profile is what the gate releases about them for
    ``personalize.job_recommendations`` (one question, logged). A member whose career records
    the gate withholds for want of consent (none given, withdrawn, objected) is refused.
    """
    if k < 1:
        raise PurposelyError(f"-k must be at least 1, not {k}")
    answer, profile = member_profile(gate, RECOMMEND, subject, caller=caller)
    assert answer.subject is not None, "a question about one member names them"
    if answer.records_allowed == 0:
        reason = next((r for r in _REFUSALS if r in answer.withheld), None)
        if reason is not None:
            raise PurposelyError(
                f"member {answer.subject.id} {_REFUSALS[reason]} ({RECOMMEND}): nothing recommended"
            )
    pools = pools or pools_for(gate.store)
    items: list[Recommendation] = []
    if profile is not None:
        with pools.listings.lock:
            pools.listings.refresh(gate.store)
            found = pools.listings.index.search(profile, k)
            listings = pools.listings.listings
            items = [
                Recommendation(rank, listings[r.doc.job_id], r.match)
                for rank, r in enumerate(found, start=1)
            ]
    return Recommendations(answer.subject, tuple(items), profile is not None, answer.audit_seq)


def candidates(
    gate: Gate, job_id: str, employer: str, k: int = 20, *, pools: Pools | None = None
) -> CandidateSearch:
    """The ``k`` members who fit ``employer``'s open listing ``job_id`` best, among those the
    gate releases for ``employment.recruitment``; logged as one audit event with the employer
    as caller, naming the candidates (by their stored pseudonyms).

    Refused for an unknown or closed listing, and for an employer other than the listing's.
    """
    if k < 1:
        raise PurposelyError(f"-k must be at least 1, not {k}")
    if not employer.strip():
        raise PurposelyError("name the employer searching (--employer NAME)")
    listing = get_listing(gate.store, job_id)
    if employer_key(employer) != employer_key(listing.employer):
        raise PurposelyError(
            f"job {job_id!r} is listed by {listing.employer!r}, not {employer.strip()!r}: "
            "employers search candidates for their own listings only"
        )
    if not listing.is_open:
        assert listing.closed_at is not None
        raise PurposelyError(
            f"job {job_id!r} was closed at {listing.closed_at:%Y-%m-%d %H:%M} UTC: "
            "candidates are searched for open listings only"
        )
    pool = (pools or pools_for(gate.store)).candidate_pool(RECRUIT)
    with pool.lock:
        pool.refresh(gate)
        found = pool.search(gate, listing, k)
        watermark = pool.watermark
    assert watermark is not None, "a refreshed pool has a watermark"
    secret = gate.store.secret
    results = tuple(
        Candidate(
            rank=rank,
            pseudonym=candidate_pseudonym(secret, listing.employer, ref.pseudonym),
            subject_id=ref.id,
            match=ranked.match,
            open_to_work=ranked.doc.open_to_work,
        )
        for rank, (ref, ranked) in enumerate(found, start=1)
    )
    entry = audit.AuditEntry(
        caller=listing.employer,
        action=CANDIDATES_ACTION,
        purpose=RECRUIT,
        categories=tuple(sorted({c for _, r in found for c in r.doc.categories})),
        subjects=len(found),
        records=sum(r.doc.records for _, r in found),
        withheld={},
        watermark=watermark,
        details={"job": listing.id, "k": k, "policy": gate.policy.digest},
        subjects_named=tuple(ref.pseudonym for ref, _ in found),
    )
    with gate.store.write() as conn:
        seq = audit.append(conn, entry)
    return CandidateSearch(listing, listing.employer, results, watermark, seq)
