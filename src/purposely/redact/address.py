"""Street addresses in German and English.

German: a street name with a street-type ending and a house number (``Hauptstraße 5``,
``Karl-Marx-Allee 90a``, ``Berliner Str. 12``, ``Birkenweg 3-5``), optionally followed by a
postcode and place (``, 10115 Berlin``). Names without a street-type word (``Am Markt 3``,
``Unter den Linden 77``, ``Lange Reihe 12``) are taken only with a comma or line break and
the postcode and place after them, which tells them apart from "Im Januar 3 mal". A
postcode and place alone (``10115 Berlin``) is not an address of a person and is left as
it is.

English: a house number, a street name and a street type (``221B Baker Street``,
``123 Main St``, ``1600 Pennsylvania Avenue NW``), optionally a unit (``Apt. 4B``, ``Suite
500``) and a city with a US state and ZIP code or a UK postcode (``, Springfield, IL
62704``; ``, London SW1A 2AA``).

Both start from the numbers in the text: the English pattern is tried at a short number
followed by a capitalised word, the German one around a number after a word with a street
ending, or a postcode followed by a capitalised word.
"""

from __future__ import annotations

import re
from typing import Final

from purposely.redact.recognizer import languages, number_runs
from purposely.redact.spans import Entity, Span

# Street-type endings of one-word street names ("Hauptstraße", "Rosenweg", "Marktplatz").
_DE_ENDINGS = (
    r"stra(?:ß|ss)e|str\.|weg|platz|allee|gasse|ring|damm|ufer|chaussee|steig|stieg|pfad"
    r"|graben|kai|promenade|wall|zeile|twiete|kamp"
)
# Street-type words after a name ("Berliner Straße", "Karl-Marx-Allee", "Alter Markt").
_DE_WORDS = (
    r"Stra(?:ß|ss)e|Str\.|Weg|Platz|Allee|Gasse|Ring|Damm|Ufer|Chaussee|Steig|Pfad|Graben"
    r"|Kai|Promenade|Markt"
)
_UP = "A-ZÄÖÜ"
_LOW = "a-zäöüß"
_SP = r"[ \u00a0]"
# The word before a German house number must end like a street name (lower case), or the
# number be a postcode followed by a place.
_DE_ENDS: Final = (
    "straße", "strasse", "str.", "weg", "platz", "allee", "gasse", "ring", "damm", "ufer",
    "chaussee", "steig", "stieg", "pfad", "graben", "kai", "promenade", "wall", "zeile",
    "twiete", "kamp", "markt",
)  # fmt: skip
# How far before a house number a German street name may start, and after it a place end.
_DE_BEFORE = 80
_DE_AFTER = 60
_DE_NUMBER = rf"[1-9]\d{{0,3}}[a-zA-Z]?(?:{_SP}?[-/]{_SP}?\d{{1,4}}[a-zA-Z]?)?"
_DE_POSTCODE = (
    rf"(?:D-)?\d{{5}}{_SP}+[{_UP}][{_LOW}]+"
    rf"(?:(?:-|{_SP}(?:am|an{_SP}der|im|ob{_SP}der|bei){_SP})[{_UP}][{_LOW}]+)?"
)
_DE_PLACE = rf"(?:,{_SP}*|{_SP}+|{_SP}*\n{_SP}*){_DE_POSTCODE}"
# Capitalised words that start a sentence or a noun phrase, never a street name:
# "Die Straße 5 mal überquert".
_DE_NOT_NAMES = (
    r"(?:Die|Der|Das|Den|Dem|Des|Ein|Eine|Einer|Mein|Meine|Dein|Deine|Unsere?|Diese[rs]?"
    r"|Jede[rs]?|Welche[rs]?|Keine?|Jene[rs]?|Alle|Viele|Zur|Zum|Auf|In|An|Im|Am|Bei)"
)
_DE_STREET = (
    rf"(?:[{_UP}][{_LOW}]+-){{0,3}}[{_UP}][{_LOW}]+(?:{_DE_ENDINGS})"
    rf"|(?:[{_UP}][{_LOW}]+-){{1,3}}(?:{_DE_WORDS})"
    rf"|[{_LOW}]+stra(?:ß|ss)e"
    rf"|(?:(?!{_DE_NOT_NAMES}{_SP})[{_UP}][{_LOW}]+{_SP}){{1,2}}(?:{_DE_WORDS})"
)
# Street names without a type word: "Am Markt", "Unter den Linden", "Lange Reihe".
_DE_NAME = (
    rf"(?:Am|An{_SP}der|An{_SP}den|Im|In{_SP}der|Auf{_SP}der|Auf{_SP}dem|Zum|Zur"
    rf"|Unter{_SP}den|Hinter{_SP}der|Vor{_SP}dem|Bei{_SP}der)(?:{_SP}[{_UP}][{_LOW}]+){{1,2}}"
    rf"|[{_UP}][{_LOW}]+(?:[ \u00a0-][{_UP}][{_LOW}]+)?"
)
_DE_ADDRESS: Final = re.compile(
    rf"(?<![\w-])(?:(?:{_DE_STREET}){_SP}?{_DE_NUMBER}(?![\w]|[.,]\d)(?:{_DE_PLACE})?"
    rf"|(?:{_DE_NAME}){_SP}[1-9]\d{{0,2}}[a-zA-Z]?(?:,{_SP}*|{_SP}*\n{_SP}*){_DE_POSTCODE})(?!\w)"
)

_EN_TYPES = (
    r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl"
    r"|Terrace|Way|Square|Sq|Parkway|Pkwy|Highway|Hwy|Circle|Crescent|Close|Row|Trail"
    r"|Alley|Gardens|Grove|Mews|Walk|Plaza"
)
_EN_ADDRESS: Final = re.compile(
    r"[1-9]\d{0,5}[A-Za-z]?(?:-\d{1,5})?[ \u00a0]+"
    r"(?:(?:North|South|East|West|[NSEW]\.?)[ \u00a0]+)?"
    r"(?:[A-Z][a-z']+|\d{1,3}(?:st|nd|rd|th))(?:[ \u00a0]+[A-Z][a-z']+){0,3}[ \u00a0]+"
    rf"(?:{_EN_TYPES})\b\.?"
    r"(?:[ \u00a0]+(?:NW|NE|SW|SE|N|S|E|W)\b\.?)?"
    r"(?:,?[ \u00a0]+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Floor|#)[ \u00a0]*[A-Za-z0-9-]+)?"
    r"(?:,?[ \u00a0]+[A-Z][a-z]+(?:[ \u00a0][A-Z][a-z]+){0,2},?[ \u00a0]+"
    r"(?:[A-Z]{2}[ \u00a0]+\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?[ \u00a0]?\d[A-Z]{2}))?"
    r"(?![\w])"
)


class AddressRecognizer:
    """German and English street addresses; the post's language picks the rules."""

    entities: Final = frozenset({Entity.ADDRESS})

    def find(self, text: str, lang: str | None) -> list[Span]:
        """Spans of the street addresses in ``text``."""
        runs = number_runs(text)
        if not runs:
            return []
        rules = languages(lang)
        spans: list[Span] = []
        for start, end in runs:
            # A postcode after a house number is part of the address already found.
            if spans and start < spans[-1].end:
                continue
            if "en" in rules and _english_start(text, start, end):
                match = _EN_ADDRESS.match(text, start)
                if match is not None:
                    spans.append(Span(match.start(), match.end(), Entity.ADDRESS))
                    continue
            if "de" in rules and _german_anchor(text, start, end):
                spans.extend(_german_around(text, start, end))
        return spans


def _english_start(text: str, start: int, end: int) -> bool:
    """Whether the run can be an English house number: short, then a capitalised word."""
    if end - start > 7 or (start and not text[start - 1].isspace()):
        return False
    after = text[end : end + 3]
    if len(after) < 2:
        return False
    return after[0].isalpha() or (after[0] in " \u00a0" and after[1].isupper())


def _german_anchor(text: str, start: int, end: int) -> bool:
    """Whether a German street name ends right before the run, or it is a postcode and place."""
    if end - start <= 5 and start and text[start - 1] in " \u00a0.":
        word_end = start - 1 if text[start - 1] != "." else start
        word_start = max(text.rfind(" ", 0, word_end), text.rfind("\n", 0, word_end)) + 1
        if text[word_start:word_end].lower().endswith(_DE_ENDS):
            return True
    return end - start == 5 and text[end : end + 1] == " " and text[end + 1 : end + 2].isupper()


def _german_around(text: str, start: int, end: int) -> list[Span]:
    """German addresses found in a window around the run that overlap it."""
    return [
        Span(m.start(), m.end(), Entity.ADDRESS)
        for m in _DE_ADDRESS.finditer(text, max(0, start - _DE_BEFORE), end + _DE_AFTER)
        if m.start() < end and start < m.end()
    ]
