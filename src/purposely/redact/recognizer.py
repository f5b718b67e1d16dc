"""The recogniser interface, and the small text tools the built-in recognisers share.

A recogniser finds one or more entity types in a text and reports spans; the `Redactor`
runs several and resolves their overlaps. Anything with an ``entities`` attribute and a
``find(text, lang)`` method is a recogniser, so a named-entity recogniser for `Entity.PERSON`
can be plugged in without touching this package. None is shipped: no official spaCy model
installs on the machines this project runs on, and nothing may be downloaded at run time.

The built-in recognisers are built once (compiled patterns, no per-call set-up) and cheap on
text that cannot hold their entity: each checks a necessary condition first (an ``@`` for
e-mail, a digit for numbers) before it runs a pattern, and validates candidates only after
the pattern matched.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol, runtime_checkable

from purposely.redact.spans import Entity, Span

# Languages with their own rules (address patterns, phone regions, context words). Any other
# value, and None, means "either": the rules of both run.
LANGUAGES = ("de", "en")

# After a number: a letter, digit, "@" or a punctuation mark joined to more digits means the
# number is part of a longer token ("123abc", "14:30", "1.2.3.4.5").
_GLUED_AFTER = re.compile(r"[\w@]|[.,/:-]\d")
# Before a number: these make it part of a word, hashtag, handle or amount.
_GLUED_BEFORE = frozenset("#@$€£%_")

# Words right before a number that make it an order, invoice, tracking, article or book
# number, a version or a model: such numbers are not contact or payment data even when they
# happen to pass a phone, card or tax-id check. Compared in lower case, without the
# punctuation around them; words in _FILLER may stand between ("Order No. 123",
# "Bestellnummer lautet: 302-...").
_NOT_PERSONAL_WORDS = frozenset(
    {
        "order", "invoice", "tracking", "ticket", "isbn", "isbn-10", "isbn-13", "ean", "gtin",
        "sku", "art", "item", "ref", "referenz", "reference", "aktenzeichen", "az", "version",
        "build", "release", "v", "ver", "patch", "model", "modell", "serie", "seriennr",
        "kundennr", "transaction", "vorgang",
    }
)  # fmt: skip
_NOT_PERSONAL_PREFIXES = (
    "bestell", "auftrag", "rechnung", "sendung", "paket", "artikel", "vorgangs", "transaktion",
    "kundennummer", "tracking", "order", "invoice", "versions", "seriennummer",
)  # fmt: skip
_FILLER = frozenset({"no", "nr", "number", "nummer", "id", "code", "is", "ist", "lautet", "are"})
_PUNCTUATION = "#:.,;-()[]'\""


@runtime_checkable
class Recognizer(Protocol):
    """Finds personal data of some entity types in a text.

    ``lang`` is the post's language (``"de"``, ``"en"``) when known, else None; a recogniser
    that has rules per language runs all of them for None. ``find`` returns the spans it is
    sure of, in any order; overlaps with other recognisers are resolved by the caller.
    """

    @property
    def entities(self) -> frozenset[Entity]:
        """The entity types this recogniser reports."""
        ...

    def find(self, text: str, lang: str | None) -> list[Span]:
        """Spans of ``text`` that hold one of `entities`."""
        ...


def languages(lang: str | None) -> tuple[str, ...]:
    """The languages whose rules apply to a text in ``lang``: that one if known, else all."""
    return (lang,) if lang in LANGUAGES else LANGUAGES


def word_before(text: str, start: int, fillers: frozenset[str]) -> str:
    """The last word before ``start`` that is not in ``fillers``, lower case, unpunctuated.

    Looks at the four words before ``start`` at most ("Meine Nummer ist: 0171 ..." gives
    "nummer" when "ist" is a filler); empty if all of them are fillers.
    """
    for token in reversed(text[max(0, start - 40) : start].split()[-4:]):
        word = token.strip(_PUNCTUATION).lower()
        if word and word not in fillers:
            return word
    return ""


def not_personal_number(text: str, start: int) -> bool:
    """Whether the number at ``start`` is introduced as an order, ISBN, version, ... number."""
    word = word_before(text, start, _FILLER)
    return word in _NOT_PERSONAL_WORDS or word.startswith(_NOT_PERSONAL_PREFIXES)


_IBAN_HEAD = re.compile(r"[A-Z]{2}\d{2}")
_IBAN_GROUP = re.compile(r"[A-Z0-9]{1,4}")


def iban_tail(text: str, start: int) -> bool:
    """Whether the number at ``start`` continues an IBAN-shaped sequence of groups.

    "NL93 HEEZ 8388 4635 50" with a wrong check digit is no IBAN, but its tail is no phone
    or card number either.
    """
    for token in reversed(text[max(0, start - 40) : start].split()[-8:]):
        if _IBAN_HEAD.fullmatch(token):
            return True
        if not _IBAN_GROUP.fullmatch(token):
            return False
    return False


# A run of digit groups: digits (and parentheses inside a group, as in "(0)30") joined by
# single separators, as phone, card, tax and IP numbers, dates and amounts are written.
# It must start with a digit: a pattern that may start with "+" or "(" would lose the regex
# engine's skip to the next digit, and cost several times more on text without numbers.
_RUN = re.compile(
    r"[0-9][0-9()]*(?:(?:[ \u00a0]?[-./\u2013][ \u00a0]?|[ \u00a0])[(+]?[0-9][0-9()]*)*"
)
GAP = re.compile(r"[ \u00a0]?[-./\u2013][ \u00a0]?|[ \u00a0]")
# Runs that are a date or an amount and nothing else, so never personal data: "12.03.2024",
# "12.03.", "2024-03-12", "3/12/24", "1.299", "19.99".
_DATE_OR_AMOUNT = re.compile(
    r"\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})?|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})"
    r"|[1-9]\d{0,2}(?:\.\d{3}){1,2}|\d+\.\d{1,2}"
)


@lru_cache(maxsize=16)
def number_runs(text: str) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of each run of digit groups in ``text`` (with a ``+`` or ``(`` before it).

    Every built-in recogniser of numbers starts from these runs, so a text is scanned for
    digits once per `Redactor.analyze` call, not once per recogniser: the result of the
    last few texts is kept (strings cache their hash, so a repeated look-up is cheap).
    """
    runs = []
    for match in _RUN.finditer(text):
        start, end = match.span()
        if end - start > 3 and _DATE_OR_AMOUNT.fullmatch(text, start, end):
            continue
        if start and text[start - 1] in "+(":
            start -= 1
        # A closing parenthesis after the last group belongs to the text around the run.
        if text[end - 1] == ")" and text.count("(", start, end) < text.count(")", start, end):
            end -= 1
        runs.append((start, end))
    return tuple(runs)


def group_cuts(candidate: str, trailing: int = 2) -> list[int]:
    """Lengths of ``candidate`` to validate in turn: whole, then shorter.

    A run may hold more than one number ("0171 1234567 12 Uhr"): up to ``trailing`` groups
    are dropped from its end. Groups are never dropped from its start: that finds numbers
    inside numbers (a valid phone number in the last twelve digits of a card number).
    """
    if not trailing or candidate.isdigit():
        return [len(candidate)]
    gaps = [m.start() for m in GAP.finditer(candidate)]
    return [len(candidate), *reversed(gaps[max(0, len(gaps) - trailing) :])]


def glued_before(text: str, start: int) -> bool:
    """Whether the number at ``start`` continues a word, hashtag, handle or amount."""
    return start > 0 and (text[start - 1].isalnum() or text[start - 1] in _GLUED_BEFORE)


def glued_after(text: str, end: int) -> bool:
    """Whether the number ending at ``end`` runs on into letters or more digits."""
    return _GLUED_AFTER.match(text, end) is not None
