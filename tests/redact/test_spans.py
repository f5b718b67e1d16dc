"""Spans: validation, overlap, and the resolution of overlapping findings."""

from __future__ import annotations

import pytest

from purposely.redact import Entity, Span, resolve


def test_placeholder_names_the_entity() -> None:
    assert Entity.EMAIL.placeholder == "<EMAIL>"
    assert Entity.ID.placeholder == "<ID>"


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (3, 3), (5, 2)])
def test_a_span_needs_characters(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="start < end"):
        Span(start, end, Entity.PHONE)


def test_overlap_needs_a_shared_character() -> None:
    assert Span(0, 5, Entity.PHONE).overlaps(Span(4, 8, Entity.CARD))
    assert not Span(0, 5, Entity.PHONE).overlaps(Span(5, 8, Entity.CARD))


def test_resolve_sorts_and_keeps_separate_spans() -> None:
    spans = [Span(10, 12, Entity.IP), Span(0, 3, Entity.EMAIL), Span(3, 5, Entity.PHONE)]
    assert resolve(spans) == [
        Span(0, 3, Entity.EMAIL),
        Span(3, 5, Entity.PHONE),
        Span(10, 12, Entity.IP),
    ]


def test_the_longest_span_names_a_merged_group() -> None:
    # An address that contains a phone-looking number: one span, typed ADDRESS.
    spans = [Span(5, 12, Entity.PHONE), Span(0, 30, Entity.ADDRESS)]
    assert resolve(spans) == [Span(0, 30, Entity.ADDRESS)]


def test_the_most_specific_entity_wins_a_tie() -> None:
    spans = [Span(0, 11, Entity.PHONE), Span(0, 11, Entity.ID)]
    assert resolve(spans) == [Span(0, 11, Entity.ID)]


def test_partial_overlaps_merge_to_cover_every_character() -> None:
    spans = [Span(0, 10, Entity.CARD), Span(8, 14, Entity.PHONE), Span(13, 20, Entity.IP)]
    assert resolve(spans) == [Span(0, 20, Entity.CARD)]


def test_duplicates_collapse() -> None:
    assert resolve([Span(2, 9, Entity.ID)] * 3) == [Span(2, 9, Entity.ID)]


def test_nothing_resolves_to_nothing() -> None:
    assert resolve([]) == []
