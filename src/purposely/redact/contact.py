"""E-mail addresses and phone numbers.

E-mail: a careful pattern (RFC 5322 "dot-atom" local part, domain labels of letters, digits
and inner hyphens, an alphabetic or punycode top-level domain). No suffix list, no network:
``tldextract`` would want to fetch one. A fediverse handle ``@alice@example.social`` is
found as the e-mail ``alice@example.social``: it reaches the same person.

Phone: the runs of digit groups in the text (``030 1234567``, ``0171/1234567``,
``+49 (0)30 1234567``, ``(415) 555-2671``) are candidates; ``phonenumbers`` then decides.
International numbers (``+`` or ``00``) must have a possible length for their country code;
national numbers with a trunk ``0`` must be valid in one of the regions tried (the post's
language first); ten-digit North American numbers must be valid in the US or Canada, or
(in posts not in German) be written in the North American layout ``(415) 555-2671``. A
phone-shaped number that none of these accepts is still taken when a phone word stands
right before it ("Tel.", "Handy", "call me on") or right after it ("office", "fax"):
formats of countries not tried, and numbers the metadata does not know yet, are then still
redacted. Dates, amounts, IP addresses and US social security numbers are never phone
numbers, nor numbers introduced as order, tracking or similar numbers.
"""

from __future__ import annotations

import re
from typing import Final

import phonenumbers
from phonenumbers import NumberParseException

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

_EMAIL: Final = re.compile(
    r"(?<![\w.!#$%&'*+/=?^`{|}~-])"
    r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*"
    r"@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{2,59})"
    r"(?![\w-]|\.[^\W_])"
)
# The part after an "@" must at least look like "label.label"; mentions ("@alice") do not.
_DOMAIN_START: Final = re.compile(r"[^\W_][\w-]*\.[^\W_]")
_LOCAL_MAX = 64


class EmailRecognizer:
    """E-mail addresses, looked for around each ``@`` that a domain follows."""

    entities: Final = frozenset({Entity.EMAIL})

    def find(self, text: str, lang: str | None) -> list[Span]:
        """Spans of the e-mail addresses in ``text``."""
        spans: list[Span] = []
        floor = 0  # where the last address ended: the next one starts after it
        at = text.find("@")
        while at != -1:
            if _DOMAIN_START.match(text, at + 1):
                match = _EMAIL.search(text, max(floor, at - _LOCAL_MAX))
                if match is not None and match.start() < at < match.end():
                    spans.append(Span(match.start(), match.end(), Entity.EMAIL))
                    floor = match.end()
                    at = floor - 1
            at = text.find("@", at + 1)
        return spans


_NON_DIGIT: Final = re.compile(r"\D")
# An extension right after a number: "x0135", " ext. 12", " Durchwahl 89".
_EXTENSION: Final = re.compile(r"[ \u00a0]?(?:x|ext\.?|Durchwahl|DW)[ \u00a0]?\d{1,5}(?!\w)")

# Shapes that are not phone numbers even with the right digit count.
_NOT_PHONE: Final = re.compile(
    r"\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})"  # dates 12.03.2024, 3/12/24
    r"|\d{4}[./-]\d{1,2}[./-]\d{1,2}"  # ISO dates
    r"|\d{1,3}(?:\.\d{1,3}){3}"  # IPv4, left to the IP recogniser
    r"|[1-9]\d{0,2}(?:[.,']\d{3})+"  # amounts with thousands separators
    r"|\d{3}-\d{2}-\d{4}"  # US social security numbers
)
# Words that make the number after them a phone number, and words that may stand between
# ("Ruf mich an: 0171 ...", "call me on 450 0840", "Handynummer ist 0171 ...").
_PHONE_WORDS: Final = frozenset(
    {"tel", "phone", "ph", "fax", "call", "called", "ring", "ruf", "rufe", "erreichbar",
     "whatsapp", "signal", "sms", "hotline", "festnetz", "durchwahl", "text", "reach",
     "answering", "reachable"}
)  # fmt: skip
_PHONE_PREFIXES: Final = ("telefon", "mobil", "handy", "cell", "anruf", "phone", "whatsapp")
_PHONE_FILLERS: Final = frozenset(
    {"me", "mich", "uns", "us", "on", "at", "an", "unter", "is", "ist", "lautet", "number",
     "nummer", "no", "nr", "mir", "bitte", "please"}
)  # fmt: skip
_PHONE_AFTER: Final = re.compile(
    r"(?i)[ \t-]{0,3}\(?(?:office|fax|mobile|home|work|cell|landline|büro|privat|mobil)\b"
)
_NANP: Final = re.compile(r"(?:\+?1[ .-]?)?\(?[2-9]\d{2}\)?[ .-]?[2-9]\d{2}[ .-]?\d{4}")
_NANP_SEPARATED: Final = re.compile(r"\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}|\(\d{3}\)\d{3}\d{4}")
_NANP_LAYOUT: Final = re.compile(r"\([2-9]\d{2}\) ?\d{3}-\d{4}|[2-9]\d{2}-\d{3}-\d{4}")

# Countries whose national numbers start with a trunk "0" (Italy keeps the 0 in the number),
# per post language; the others are tried after these.
_TRUNK_REGIONS: Final = {
    "de": ("DE", "AT", "CH"),
    "en": ("GB", "IE", "AU"),
}
_MORE_TRUNK_REGIONS: Final = ("FR", "NL", "BE", "IT", "LU", "DK", "SE", "NO", "FI", "PL")


def _is_valid(number: str, region: str | None) -> bool:
    """Whether ``phonenumbers`` parses ``number`` (as dialled in ``region``) to a valid one."""
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, region))
    except NumberParseException:
        return False


def _is_possible(number: str) -> bool:
    """Whether an international ``number`` has a possible length for its country code."""
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(number, None))
    except NumberParseException:
        return False


def _trunk_regions(lang: str | None) -> tuple[str, ...]:
    """Regions to try for a national number with a trunk 0, the post's language first."""
    first = _TRUNK_REGIONS.get(lang or "", ())
    rest = [r for regions in _TRUNK_REGIONS.values() for r in regions if r not in first]
    return (*first, *rest, *_MORE_TRUNK_REGIONS)


class PhoneRecognizer:
    """Phone numbers: phone-shaped digit runs that ``phonenumbers`` validates, or context."""

    entities: Final = frozenset({Entity.PHONE})

    def __init__(self) -> None:
        self._regions = {lang: _trunk_regions(lang) for lang in (None, "de", "en")}

    def find(self, text: str, lang: str | None) -> list[Span]:
        """Spans of the phone numbers in ``text``."""
        spans = []
        for start, end in number_runs(text):
            # Seven digits at least: shorter runs are left before any other work.
            if end - start >= 7 and not _glued(text, start, end):
                span = self._check(text, start, end, lang)
                if span is not None:
                    spans.append(span)
        return spans

    def _check(self, text: str, start: int, end: int, lang: str | None) -> Span | None:
        """The span of a phone number in the run ``text[start:end]``, if it holds one.

        Cheap tests come first: most long runs in posts (dates, amounts, order numbers)
        fail the shape test or are vetoed by the word before them before ``phonenumbers``
        is asked.
        """
        run = text[start:end]
        extension = _EXTENSION.match(text, end)
        context: bool | None = None
        for hi in group_cuts(run):
            number = run[:hi]
            digits = _NON_DIGIT.sub("", number)
            if not 7 <= len(digits) <= 15 or _NOT_PHONE.fullmatch(number):
                continue
            if context is None:
                # What stands before the run vetoes it or vouches for it, for every cut.
                if not_personal_number(text, start) or iban_tail(text, start):
                    return None
                context = _phone_word_before(text, start)
            stop = extension.end() if extension and hi == len(run) else start + hi
            if (
                context
                or _PHONE_AFTER.match(text, stop) is not None
                or self._valid(number, digits, lang)
            ):
                return Span(start, stop, Entity.PHONE)
        return None

    def _valid(self, number: str, digits: str, lang: str | None) -> bool:
        """Whether ``phonenumbers`` takes ``number`` where it would be dialled like that.

        International numbers need only a length that is possible for their country code: a
        "+" and a country code before that many digits are a phone number whether or not
        the range is assigned yet. Outside German posts, the North American layouts
        ``(415) 555-2671`` and ``415-555-2671`` are taken as they are: nothing else is
        written like that.
        """
        if number[0] == "+" or number.startswith("00"):
            return _is_possible("+" + digits[2:] if number[0] == "0" else number)
        if digits[0] == "0":
            regions = self._regions.get(lang, self._regions[None])
            return any(_is_valid(number, region) for region in regions)
        nanp = _NANP.fullmatch(number) and (lang != "de" or _NANP_SEPARATED.fullmatch(number))
        if nanp and (_is_valid(number, "US") or _is_valid(number, "CA")):
            return True
        return lang != "de" and _NANP_LAYOUT.fullmatch(number) is not None


def _phone_word_before(text: str, start: int) -> bool:
    """Whether a phone word stands right before ``start``, fillers aside."""
    word = word_before(text, start, _PHONE_FILLERS)
    return word in _PHONE_WORDS or word.startswith(_PHONE_PREFIXES)


def _glued(text: str, start: int, end: int) -> bool:
    """Whether the run is part of a longer token; an extension ("x0135") may follow it."""
    if glued_before(text, start):
        return True
    return glued_after(text, end) and _EXTENSION.match(text, end) is None
