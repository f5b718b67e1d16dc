"""Entity types, their placeholders, and the spans recognisers report.

A span is a half-open character range ``[start, end)`` of the text with the entity found
there. Recognisers report spans independently, so two may cover the same characters (a
phone number inside an address, an ID that also passes as a phone number). `resolve` turns
them into sorted, non-overlapping spans: overlapping spans merge into one that covers all
their characters, so redaction never leaves part of a finding behind, and the merged span
takes the entity of the longest member (ties: the most specific entity, see `SPECIFICITY`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Entity(StrEnum):
    """The kinds of personal data the redactor replaces; the value names the placeholder."""

    EMAIL = "EMAIL"
    PHONE = "PHONE"
    IBAN = "IBAN"
    CARD = "CARD"
    IP = "IP"
    ADDRESS = "ADDRESS"
    ID = "ID"
    PERSON = "PERSON"

    @property
    def placeholder(self) -> str:
        """The typed placeholder that replaces this entity in redacted text, e.g. ``<EMAIL>``."""
        return f"<{self.value}>"


# Which entity a tie on length goes to: checksum-validated, narrowly shaped entities are
# more specific than phone numbers (which many digit runs can pass for) and addresses.
SPECIFICITY: dict[Entity, int] = {
    Entity.EMAIL: 7,
    Entity.IBAN: 6,
    Entity.CARD: 5,
    Entity.ID: 4,
    Entity.IP: 3,
    Entity.PHONE: 2,
    Entity.ADDRESS: 1,
    Entity.PERSON: 0,
}


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Characters ``[start, end)`` of a text hold personal data of type ``entity``."""

    start: int
    end: int
    entity: Entity

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"a span needs 0 <= start < end, got [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        """Whether the two spans share at least one character (touching is not sharing)."""
        return self.start < other.end and other.start < self.end


def _rank(span: Span) -> tuple[int, int]:
    """Sort key of the member whose entity a merged span keeps: longest, then most specific."""
    return (len(span), SPECIFICITY[span.entity])


def resolve(spans: Iterable[Span]) -> list[Span]:
    """Sorted, non-overlapping spans covering every character of ``spans``.

    Each group of (transitively) overlapping spans becomes one span from the group's first
    start to its last end, typed by its longest member, then by `SPECIFICITY`. Identical
    duplicates collapse; spans that only touch stay apart.
    """
    ordered = sorted(spans)
    if len(ordered) < 2:
        return ordered
    merged: list[Span] = []
    group_start, group_end, winner = ordered[0].start, ordered[0].end, ordered[0]
    for span in ordered[1:]:
        if span.start < group_end:
            group_end = max(group_end, span.end)
            if _rank(span) > _rank(winner):
                winner = span
            continue
        merged.append(Span(group_start, group_end, winner.entity))
        group_start, group_end, winner = span.start, span.end, span
    merged.append(Span(group_start, group_end, winner.entity))
    return merged
