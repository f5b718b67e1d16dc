"""IBANs and payment card numbers, both checksum-validated.

IBAN: two letters and two check digits, then the account number, compact or in groups
(``DE89 3704 0044 0532 0130 00``). The country fixes the length, so a match is cut to that
length (the pattern may run into the next word) and must then pass ``stdnum.iban``: the
mod-97 check digits, the country's account structure and, where stdnum has one, the
country's own check. Upper and lower case are both accepted; the checksum keeps that safe.

Cards: 12 to 19 digits, compact or in groups of three or more (the last may be shorter)
separated by single spaces or hyphens (``4111 1111 1111 1111``, ``3782 822463 10005``), that
pass the Luhn check and begin with a prefix that a card scheme issues at that length (Visa,
Mastercard, American Express, Discover, JCB, Diners, Maestro, UnionPay, Mir, RuPay, Troy),
or with any prefix right after a card word ("card", "Kreditkarte", "cc"). Numbers
introduced as order, invoice or tracking numbers are skipped.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from stdnum import iban, numdb

from purposely.redact.recognizer import (
    glued_after,
    glued_before,
    group_cuts,
    iban_tail,
    not_personal_number,
    number_runs,
    word_before,
)
from purposely.redact.spans import Entity, Span

_IBAN: Final = re.compile(
    r"(?<![^\W_])[A-Z]{2}\d{2}(?:[ \u00a0-]?[A-Z0-9]){8,32}", re.IGNORECASE | re.ASCII
)
_ALNUM: Final = re.compile(r"[A-Za-z0-9]")
_BBAN_PART: Final = re.compile(r"(\d+)!?[nac]")
_IBAN_DB: Final = numdb.get("iban")


@cache
def _iban_length(country: str) -> int | None:
    """Length of a compact IBAN of ``country`` (upper case), or None if it has none."""
    info = _IBAN_DB.info(country)
    if not info or not info[0][1].get("bban"):
        return None
    return 4 + sum(int(n) for n in _BBAN_PART.findall(info[0][1]["bban"]))


def _end_of_compact(text: str, start: int, count: int) -> int:
    """Position in ``text`` right after the ``count``-th letter or digit from ``start``."""
    for seen, match in enumerate(_ALNUM.finditer(text, start), start=1):
        if seen == count:
            return match.end()
    return len(text)


class IbanRecognizer:
    """IBANs of every country in the IBAN registry, validated by ``stdnum.iban``."""

    entities: Final = frozenset({Entity.IBAN})

    def find(self, text: str, lang: str | None) -> list[Span]:
        """Spans of the valid IBANs in ``text``."""
        spans = []
        for start, _ in number_runs(text):
            # Every IBAN has its two check digits right after two letters.
            if (
                start >= 2
                and text[start - 2 : start].isascii()
                and text[start - 2 : start].isalpha()
            ):
                match = _IBAN.match(text, start - 2)
                span = _check_iban(text, match) if match is not None else None
                if span is not None:
                    spans.append(span)
        return spans


def _check_iban(text: str, match: re.Match[str]) -> Span | None:
    """The span of the IBAN the candidate ``match`` starts with, if it is a valid one."""
    length = _iban_length(match[0][:2].upper())
    if length is None:
        return None
    start = match.start()
    end = _end_of_compact(text, start, length)
    # The IBAN must end where a group ends, not inside a longer run of letters and digits.
    if end < len(text) and text[end].isalnum():
        return None
    # Only letters, digits and the pattern's separators may lie inside the IBAN.
    if end > match.end():
        return None
    compact = "".join(_ALNUM.findall(text, start, end)).upper()
    if not _mod97(compact) or not iban.is_valid(compact):
        return None
    return Span(start, end, Entity.IBAN)


# Letters as ISO 13616 numbers: A=10 ... Z=35.
_LETTER_VALUES: Final = {ord(c): str(int(c, 36)) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def _mod97(compact: str) -> bool:
    """The ISO 13616 check alone, cheap: most IBAN-shaped text fails it before stdnum runs."""
    return int((compact[4:] + compact[:4]).translate(_LETTER_VALUES)) % 97 == 1


# Groups of three digits or more (the last may be shorter), separated by single spaces or
# hyphens.
_CARD: Final = re.compile(r"\d{3,19}(?:[ \u00a0-]\d{3,19}){0,5}(?:[ \u00a0-]\d{1,2})?")
_CARD_GAPS: Final = re.compile(r"[ \u00a0-]")


# (lowest and highest prefix, lengths) issued by the card schemes; both bounds have as many
# digits as the prefix compared.
_SCHEMES: Final[tuple[tuple[int, int, frozenset[int]], ...]] = (
    (4, 4, frozenset({13, 16, 19})),  # Visa
    (51, 55, frozenset({16})),  # Mastercard
    (2221, 2720, frozenset({16})),  # Mastercard 2-series
    (34, 34, frozenset({15})),  # American Express
    (37, 37, frozenset({15})),
    (6011, 6011, frozenset(range(16, 20))),  # Discover
    (644, 649, frozenset(range(16, 20))),
    (65, 65, frozenset(range(16, 20))),  # Discover, RuPay
    # JCB issues 3528-3589; the rest of 35 is unassigned, and a Luhn-valid 16-digit number
    # there is still written as a card number (test data generators use it for JCB).
    (3500, 3599, frozenset(range(16, 20))),
    (1800, 1800, frozenset({15})),  # JCB (older)
    (2131, 2131, frozenset({15})),
    (300, 305, frozenset(range(14, 20))),  # Diners Club
    (36, 36, frozenset(range(14, 20))),
    (38, 39, frozenset(range(14, 20))),
    (50, 50, frozenset(range(12, 20))),  # Maestro
    (56, 69, frozenset(range(12, 20))),  # Maestro, UnionPay (62), RuPay (60)
    (2200, 2204, frozenset(range(16, 20))),  # Mir
    (81, 82, frozenset({16})),  # RuPay
    (9792, 9792, frozenset({16})),  # Troy
)


# Every issued prefix written out, with its lengths: one dictionary look-up per prefix width.
_ISSUED: Final = {
    str(prefix): lengths for low, high, lengths in _SCHEMES for prefix in range(low, high + 1)
}
_WIDTHS: Final = sorted({len(prefix) for prefix in _ISSUED})


# Luhn: every second digit from the right doubled, digits of the product summed.
_DOUBLED: Final = {str(d): (2 * d) // 10 + (2 * d) % 10 for d in range(10)}
_SINGLE: Final = {str(d): d for d in range(10)}


def _luhn(digits: str) -> bool:
    """Whether ``digits`` pass the Luhn check (as ``stdnum.luhn`` does, without its clean-up)."""
    total = sum(_SINGLE[d] for d in digits[-1::-2]) + sum(_DOUBLED[d] for d in digits[-2::-2])
    return total % 10 == 0


def _issued(digits: str) -> bool:
    """Whether a card scheme issues numbers of this length with these first digits."""
    return any(len(digits) in _ISSUED.get(digits[:width], ()) for width in _WIDTHS)


class CardRecognizer:
    """Payment card numbers: a scheme's prefix and length, and the Luhn check."""

    entities: Final = frozenset({Entity.CARD})

    def find(self, text: str, lang: str | None) -> list[Span]:
        """Spans of the payment card numbers in ``text``."""
        spans = []
        for start, end in number_runs(text):
            if end - start >= 12 and not glued_before(text, start) and not glued_after(text, end):
                span = _check_card(text, start, end, _card_word_before(text, start))
                if span is not None:
                    spans.append(span)
        return spans


def _check_card(text: str, start: int, end: int, context: bool) -> Span | None:
    """The span of a card number in the run ``text[start:end]``, if it holds one.

    With a card word right before it (``context``), a Luhn-valid number of a card's length
    is taken whatever its prefix: schemes retire and add ranges.
    """
    run = text[start:end]
    # Shorter cuts only for runs too long to be one card ("4111 1111 1111 1111 2027"): a
    # number that fails as a whole must not pass by its first twelve digits.
    trailing = 2 if len(_CARD_GAPS.sub("", run)) > 19 else 0
    for hi in group_cuts(run, trailing=trailing):
        candidate = run[:hi]
        if _CARD.fullmatch(candidate):
            digits = _CARD_GAPS.sub("", candidate)
            if 12 <= len(digits) <= 19 and (context or _issued(digits)) and _luhn(digits):
                if not_personal_number(text, start) or iban_tail(text, start):
                    return None
                return Span(start, start + hi, Entity.CARD)
    return None


# Words that make the number after them a card number, and words that may stand between.
_CARD_WORDS: Final = frozenset(
    {"card", "karte", "kreditkarte", "cc", "visa", "mastercard", "amex", "maestro", "girocard",
     "kartennummer", "kartennr", "creditcard", "debitkarte", "ec-karte"}
)  # fmt: skip
_CARD_FILLERS: Final = frozenset({"number", "nummer", "no", "nr", "is", "ist", "lautet", "#"})


def _card_word_before(text: str, start: int) -> bool:
    """Whether a card word stands right before ``start``, fillers aside."""
    return word_before(text, start, _CARD_FILLERS) in _CARD_WORDS
