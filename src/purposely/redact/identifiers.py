"""German identification numbers: tax ID, tax number, identity card and passport numbers.

- Steuer-IdNr (tax identification number): eleven digits, compact or ``86 095 742 719``,
  that pass ``stdnum.de.idnr`` (first digit not 0, one digit repeated, ISO 7064 check
  digit). Taken anywhere, unless introduced as an order or similar number.
- Steuernummer (tax number): has no check digit, so it is taken only where it can be told
  apart: written with slashes in a state's layout (``21/815/08150``, ``181/815/08155``,
  ``123/4567/8901``) and matching a state's format in ``stdnum.de.stnr``; or right after a
  tax word ("Steuernummer", "St.-Nr.", "Finanzamt", "tax number") in any of the state or
  13-digit federal formats.
- Personalausweis and Reisepass numbers: nine characters of the ICAO document alphabet
  (a letter from ``CFGHJKLMNPRTVWXYZ`` first, at least one digit) right after a document word
  ("Ausweisnummer", "Reisepass", "passport number"). A tenth digit, when written, must be
  the ICAO 9303 check digit of the nine. Without such a word nine letters and digits are
  too common (product codes, booking references) to be taken.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from stdnum.de import idnr, stnr

from purposely.redact.recognizer import (
    glued_after,
    glued_before,
    group_cuts,
    not_personal_number,
    number_runs,
    word_before,
)
from purposely.redact.spans import Entity, Span

_SP = r"[ \u00a0]"
_TAX_ID: Final = re.compile(rf"[1-9]\d(?:{_SP}?\d{{3}}){{3}}")
# The layouts of the states' tax numbers with slashes: 2/3/5 (e.g. Berlin), 3/3/5 (Bayern),
# 3/4/4 (Nordrhein-Westfalen), 2/3/4/1 (Rheinland-Pfalz), 5/5 (Baden-Württemberg).
_TAX_NUMBER_SLASHED: Final = re.compile(r"\d{2,3}/\d{3,4}/\d{4,5}|\d{2}/\d{3}/\d{4}/\d|\d{5}/\d{5}")
_TAX_NUMBER_ANY: Final = re.compile(rf"\d{{2,5}}(?:{_SP}?[/ ]{_SP}?\d{{3,5}}){{1,3}}|\d{{10,13}}")
# Words that introduce a tax number or an identity document number, and words that may
# stand between ("Die Steuernummer lautet: 21/815/08150", "ID card number: L01X00T47").
_TAX_WORDS: Final = frozenset(
    {"steuernummer", "steuer-nr", "steuernr", "st.-nr", "st-nr", "stnr", "steuer", "tax",
     "finanzamt", "steuer-nummer"}
)  # fmt: skip
_DOCUMENT_WORDS: Final = frozenset(
    {"ausweis", "personalausweis", "reisepass", "pass", "passport", "dokumentennummer",
     "document", "ausweisnummer", "passnummer", "reisepassnummer", "personalausweisnummer",
     "pass-nr", "ausweis-nr", "id-card", "idcard"}
)  # fmt: skip
_FILLERS: Final = frozenset({"number", "nummer", "no", "nr", "ist", "is", "lautet"})
# Lower-case words one of which a text must hold before the tax-word or document layouts
# are looked for at all.
_TAX_HINTS: Final = ("steuer", "st.-nr", "stnr", "st-nr", "st. nr", "finanzamt", "tax number")
_DOCUMENT_HINTS: Final = (
    "ausweis", "reisepass", "pass ", "pass:", "passnummer", "pass-nr", "pass nr", "passport",
    "identity card", "id card", "id-card", "dokumentennummer", "document n",
)  # fmt: skip
_DOCUMENT_FIRST: Final = frozenset("CFGHJKLMNPRTVWXYZ")
_DOCUMENT: Final = re.compile(r"(?<!\w)[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}\d?(?!\w)")
_NON_DIGIT: Final = re.compile(r"\D")
# ICAO 9303 values of the document alphabet: digits as they are, A=10 ... Z=35.
_ICAO_VALUES: Final = {c: int(c, 36) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def icao_check_digit(chars: str) -> int:
    """The ICAO 9303 check digit of ``chars``: weights 7, 3, 1 repeating, sum modulo 10."""
    return sum(_ICAO_VALUES[c] * (7, 3, 1)[i % 3] for i, c in enumerate(chars)) % 10


def _document_number(token: str) -> bool:
    """Whether ``token`` (9 or 10 characters) can be a German ID card or passport number."""
    if not any(c.isdigit() for c in token):
        return False
    return len(token) == 9 or icao_check_digit(token[:9]) == int(token[9])


class GermanIdRecognizer:
    """German tax IDs, tax numbers, identity card and passport numbers (`Entity.ID`)."""

    entities: Final = frozenset({Entity.ID})

    def find(self, text: str, lang: str | None) -> list[Span]:
        """Spans of the German identification numbers in ``text``."""
        runs = number_runs(text)
        if not runs:
            return []
        spans: list[Span] = []
        lower: str | None = None
        document_like = False  # a run right after a capital, as in "L01X00T47"
        for start, end in runs:
            if start and text[start - 1] in _DOCUMENT_FIRST:
                document_like = True
            if end - start < 10 or glued_before(text, start) or glued_after(text, end):
                continue
            span = _tax_id(text, start, end) or _slashed_tax_number(text, start, end)
            if span is None:
                lower = text.lower() if lower is None else lower
                if any(hint in lower for hint in _TAX_HINTS):
                    span = _worded_tax_number(text, start, end)
            if span is not None and not not_personal_number(text, start):
                spans.append(span)
        if document_like:
            lower = text.lower() if lower is None else lower
            if any(hint in lower for hint in _DOCUMENT_HINTS):
                spans.extend(_documents(text))
        return spans


def _first_cut(
    text: str, start: int, end: int, shape: re.Pattern[str], valid: Callable[[str], bool]
) -> Span | None:
    """The first cut of the run ``text[start:end]`` that has ``shape`` and is ``valid``."""
    run = text[start:end]
    for hi in group_cuts(run):
        candidate = run[:hi]
        if shape.fullmatch(candidate) and valid(_NON_DIGIT.sub("", candidate)):
            return Span(start, start + hi, Entity.ID)
    return None


def _tax_id(text: str, start: int, end: int) -> Span | None:
    """Steuer-IdNr: eleven digits with a valid ``stdnum.de.idnr`` check."""
    return _first_cut(text, start, end, _TAX_ID, idnr.is_valid)


def _slashed_tax_number(text: str, start: int, end: int) -> Span | None:
    """Steuernummer in a state's slashed layout and format."""
    if "/" not in text[start:end]:
        return None
    return _first_cut(text, start, end, _TAX_NUMBER_SLASHED, stnr.is_valid)


def _worded_tax_number(text: str, start: int, end: int) -> Span | None:
    """Steuernummer in any state or federal format, right after a tax word."""
    if word_before(text, start, _FILLERS) not in _TAX_WORDS:
        return None
    return _first_cut(text, start, end, _TAX_NUMBER_ANY, stnr.is_valid)


def _documents(text: str) -> list[Span]:
    """ID card and passport numbers right after a document word."""
    return [
        Span(m.start(), m.end(), Entity.ID)
        for m in _DOCUMENT.finditer(text)
        if _document_number(m[0]) and _document_word_before(text, m.start())
    ]


def _document_word_before(text: str, start: int) -> bool:
    """Whether an identity document word stands right before ``start``, fillers aside."""
    word = word_before(text, start, _FILLERS)
    if word == "card":  # "ID card", "identity card", but not any card
        word = word_before(text, text.lower().rfind("card", 0, start), _FILLERS)
        return word in ("id", "identity")
    return word in _DOCUMENT_WORDS
