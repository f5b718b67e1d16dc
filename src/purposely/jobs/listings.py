"""Job listings: list them, read one, close one.

Listings arrive as ``job`` lines of the JSONL format (or events over the API) and live in the
``jobs`` table. They are not personal data (employers publish them), so they are read here
directly, without the gate. A listing sent again with the same id is updated, and stays
closed if it was closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from purposely.errors import PurposelyError
from purposely.store import Store
from purposely.store.models import Job


@dataclass(frozen=True)
class Listing:
    """One job listing as stored."""

    id: str
    employer: str
    title: str
    description: str | None
    location: str | None
    skills: tuple[str, ...]
    posted_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime

    @property
    def is_open(self) -> bool:
        """True until the listing is closed."""
        return self.closed_at is None

    @classmethod
    def from_row(cls, row: Any) -> Listing:
        """From a ``jobs`` row."""
        return cls(
            id=row["id"],
            employer=row["employer"],
            title=row["title"],
            description=row["description"],
            location=row["location"],
            skills=tuple(row["skills"] or ()),
            posted_at=row["posted_at"],
            closed_at=row["closed_at"],
            updated_at=row["updated_at"],
        )


def list_listings(store: Store, *, include_closed: bool = False) -> list[Listing]:
    """The open listings (with ``include_closed``, every listing), newest first, then by id."""
    t = Job.__table__
    query = select(t)
    if not include_closed:
        query = query.where(t.c.closed_at.is_(None))
    with store.read() as conn:
        listings = [Listing.from_row(row) for row in conn.execute(query).mappings()]
    return sorted(listings, key=_newest_first)


def _newest_first(listing: Listing) -> tuple[float, str]:
    posted = listing.posted_at.timestamp() if listing.posted_at is not None else float("-inf")
    return (-posted, listing.id)


def get_listing(store: Store, job_id: str) -> Listing:
    """The listing ``job_id``; a clear error if there is none."""
    t = Job.__table__
    with store.read() as conn:
        row = conn.execute(select(t).where(t.c.id == job_id)).mappings().first()
    if row is None:
        raise unknown_listing(job_id)
    return Listing.from_row(row)


def close_listing(store: Store, job_id: str, *, at: datetime | None = None) -> Listing:
    """Close the listing ``job_id`` at ``at`` (now if None): it no longer shows in
    recommendations and its employer can no longer search candidates for it.

    An unknown listing, or one closed already, is an error, and nothing is written.
    """
    at = at or datetime.now(UTC)
    t = Job.__table__
    with store.write() as conn:
        row = conn.execute(select(t).where(t.c.id == job_id)).mappings().first()
        if row is None:
            raise unknown_listing(job_id)
        if row["closed_at"] is not None:
            raise PurposelyError(
                f"job {job_id!r} was already closed at {row['closed_at']:%Y-%m-%d %H:%M} UTC"
            )
        conn.execute(update(Job).where(Job.id == job_id).values(closed_at=at, updated_at=at))
        row = conn.execute(select(t).where(t.c.id == job_id)).mappings().one()
    return Listing.from_row(row)


def listings_changed_since(store: Store, since: datetime) -> list[Listing]:
    """Listings added, updated or closed after ``since`` (open and closed alike), by id."""
    t = Job.__table__
    query = select(t).where(t.c.updated_at > since).order_by(t.c.id)
    with store.read() as conn:
        return [Listing.from_row(row) for row in conn.execute(query).mappings()]


def unknown_listing(job_id: str) -> PurposelyError:
    """The error for a job id the store does not hold."""
    return PurposelyError(f"no job listing with id {job_id!r} (see `purposely jobs list --all`)")
