"""Sentences filled in from the catalogue, as styled spans that every renderer escapes itself.

A :class:`Text` remembers which message ids it was made of, so a test can check that the
German and the English notice are built from the same sentences in the same places.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from string import Formatter
from typing import Literal

from purposely.notice.words import WORDS
from purposely.taxonomy import Lang

Style = Literal["plain", "code", "strong"]


@dataclass(frozen=True)
class Span:
    """A run of text in one style; renderers escape it for their format."""

    text: str
    style: Style = "plain"


@dataclass(frozen=True)
class Text:
    """Styled spans, and the ids of the catalogue messages they came from."""

    spans: tuple[Span, ...]
    ids: tuple[str, ...] = ()

    def __str__(self) -> str:
        return "".join(span.text for span in self.spans)


Param = str | int | Span | Text


def code(value: str) -> Span:
    """A key, command or placeholder, shown as code."""
    return Span(value, "code")


def strong(value: str) -> Span:
    """A label shown in bold."""
    return Span(value, "strong")


def literal(value: str) -> Text:
    """A value from the policy (a name, an address), shown as written."""
    return Text((Span(value),))


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a catalogue template expects."""
    return {field for _, field, _, _ in Formatter().parse(template) if field is not None}


def say(lang: Lang, msg_id: str, **params: Param) -> Text:
    """Message ``msg_id`` in ``lang`` with its placeholders filled from ``params``.

    Raises ``KeyError`` for an unknown message and ``ValueError`` if a placeholder is left
    unfilled or a parameter is not used: a notice never shows ``{name}`` or drops a value.
    """
    template = WORDS[msg_id][lang]
    wanted = placeholders(template)
    if wanted != set(params):
        raise ValueError(f"message {msg_id!r} takes {sorted(wanted)}, was given {sorted(params)}")
    spans: list[Span] = []
    ids = [msg_id]
    for literal_text, field, _, _ in Formatter().parse(template):
        if literal_text:
            spans.append(Span(literal_text))
        if field is not None:
            part = _as_text(params[field])
            spans.extend(part.spans)
            ids.extend(part.ids)
    return Text(tuple(spans), tuple(ids))


def join(lang: Lang, items: Sequence[Param]) -> Text:
    """``a, b and c`` in ``lang``."""
    parts = [_as_text(item) for item in items]
    if len(parts) <= 1:
        return parts[0] if parts else Text(())
    head = concat(parts[:-1], ", ")
    return say(lang, "list.and", head=head, last=parts[-1])


def concat(parts: Iterable[Param], separator: str = "") -> Text:
    """``parts`` one after the other, with ``separator`` between them."""
    spans: list[Span] = []
    ids: list[str] = []
    for i, part in enumerate(_as_text(p) for p in parts):
        if i and separator:
            spans.append(Span(separator))
        spans.extend(part.spans)
        ids.extend(part.ids)
    return Text(tuple(spans), tuple(ids))


def _as_text(value: Param) -> Text:
    if isinstance(value, Text):
        return value
    if isinstance(value, Span):
        return Text((value,))
    return Text((Span(str(value)),))
