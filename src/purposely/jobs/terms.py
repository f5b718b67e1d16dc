"""What titles and places mean for matching: ESCO concepts of a title, a place's key, remote.

Members and employers write titles and places in German or English, in many forms. Matching
compares what they mean instead: a title's ESCO occupation concepts (through
:class:`~purposely.jobs.titles.TitleLinker`, so "Softwareentwicklerin" and "Software
Engineer" meet at *software developer*), a place's key ("München", "Munich, Germany" ->
``munich``), and whether a place means remote work ("Remote", "Homeoffice").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from purposely.jobs.skills import fold
from purposely.jobs.titles import MIN_LINK_SCORE, TitleLinker

# A title links to its best concepts: up to this many, scoring at least MIN_LINK_SCORE and
# within CONCEPT_MARGIN of the best (the linker gives many exact synonyms the same score).
MAX_CONCEPTS = 4
CONCEPT_MARGIN = 0.05


@dataclass(frozen=True, slots=True)
class TitleConcept:
    """An ESCO occupation a title links to, with its labels and a weight in (0, 1]."""

    concept: str
    label_en: str
    label_de: str
    weight: float

    def label(self, lang: str = "en") -> str:
        """The concept's preferred label in ``lang`` (``de`` or ``en``)."""
        return self.label_de if lang == "de" and self.label_de else self.label_en


@lru_cache(maxsize=1 << 17)
def _linked(linker: TitleLinker, title: str) -> tuple[TitleConcept, ...]:
    """The concepts ``title`` links to, each weighted by its link score. Titles repeat a lot
    (a million profiles hold far fewer distinct titles): each is linked once per process."""
    matches = linker.link(title, k=MAX_CONCEPTS)
    if not matches or matches[0].score < MIN_LINK_SCORE:
        return ()
    floor = max(MIN_LINK_SCORE, matches[0].score - CONCEPT_MARGIN)
    return tuple(
        TitleConcept(m.concept, m.label_en, m.label_de, float(m.score))
        for m in matches
        if m.score >= floor
    )


def title_concepts(linker: TitleLinker, title: str, weight: float = 1.0) -> list[TitleConcept]:
    """The ESCO concepts ``title`` (German or English) links to, weighted by link score times
    ``weight`` (how much the title says about what the person does or the job is)."""
    text = title.strip()
    if not text:
        return []
    return [
        TitleConcept(c.concept, c.label_en, c.label_de, c.weight * weight)
        for c in _linked(linker, text)
    ]


def strongest(concepts: list[TitleConcept]) -> tuple[TitleConcept, ...]:
    """Each concept once, with its highest weight, in concept order (so equal inputs give
    equal profiles whatever the order of the records)."""
    best: dict[str, TitleConcept] = {}
    for c in concepts:
        if c.weight > 0 and (c.concept not in best or c.weight > best[c.concept].weight):
            best[c.concept] = c
    return tuple(best[key] for key in sorted(best))


# Places written in German or English (folded as skills fold names) and their one key.
_PLACE_ALIASES = {
    "muenchen": "munich",
    "munchen": "munich",
    "koeln": "cologne",
    "koln": "cologne",
    "nuernberg": "nuremberg",
    "nurnberg": "nuremberg",
    "frankfurt am main": "frankfurt",
    "frankfurt a m": "frankfurt",
    "frankfurt a.m": "frankfurt",
    "frankfurt a.m.": "frankfurt",
    "hanover": "hannover",
    "brunswick": "braunschweig",
    "wien": "vienna",
    "zuerich": "zurich",
    "zurich": "zurich",
    "genf": "geneva",
    "geneve": "geneva",
    "bruessel": "brussels",
    "bruxelles": "brussels",
    "prag": "prague",
    "warschau": "warsaw",
    "rom": "rome",
    "mailand": "milan",
    "kopenhagen": "copenhagen",
    "lissabon": "lisbon",
    "moskau": "moscow",
    "den haag": "the hague",
    "athen": "athens",
    "deutschland": "germany",
    "oesterreich": "austria",
    "schweiz": "switzerland",
}
# Places that say "from anywhere".
_REMOTE = frozenset(
    {
        "remote",
        "fully remote",
        "100% remote",
        "remote first",
        "anywhere",
        "work from home",
        "wfh",
        "home office",
        "homeoffice",
        "fernarbeit",
        "mobiles arbeiten",
        "ortsunabhaengig",
        "telearbeit",
    }
)
# "Berlin, Germany", "Berlin (hybrid)", "Berlin / Remote", "Berlin oder Remote".
_PLACE_PARTS = re.compile(r"[,;|/()]|\s+(?:or|oder|and|und)\s+")
_NOT_PLACES = frozenset({"hybrid", "onsite", "on site", "vor ort", "germany", "deutschland"})


def _parts(place: str) -> list[str]:
    """The folded parts of a place, split before folding (which turns "/" into a space)."""
    parts = (fold(p).strip(" .") for p in _PLACE_PARTS.split(place.casefold()))
    return [p for p in parts if p]


def is_remote(place: str | None) -> bool:
    """Whether ``place`` means remote work: "Remote", "Homeoffice", "Berlin / Remote"."""
    return place is not None and any(part in _REMOTE for part in _parts(place))


def place_key(place: str | None) -> str | None:
    """The key of the first place ``place`` names, in German or English: "München" and
    "Munich, Germany" -> ``munich``; None for no place, or one that only says remote."""
    if place is None:
        return None
    for part in _parts(place):
        if part in _REMOTE or part in _NOT_PLACES:
            continue
        return _PLACE_ALIASES.get(part, part)
    return None
