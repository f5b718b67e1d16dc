"""A bilingual (English and German) skill vocabulary, and skill names folded to its keys.

The vocabulary (``data/skills.yaml``) was written by the purposely developers for job
matching: a few hundred skills across IT, data, engineering, health, trades, sales,
marketing, finance, education, hospitality, logistics, office work, management, law and
languages, each with a canonical key, its English and German names and common synonyms.
A member who lists "Projektmanagement" and a listing that asks for "project management" both
name ``project_management``; a skill the vocabulary lacks keeps a folded form of its name
(``"Kotlin Multiplatform"`` -> ``"kotlin multiplatform"``), so it still matches the same
name written with other case, umlauts or hyphens.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ruamel.yaml import YAML

from purposely.errors import PurposelyError

VOCABULARY = "skills.yaml"
# The longest name, in words, that find_skills looks for in free text.
_MAX_WORDS = 5
# Umlauts folded as German writes them without: "Qualitätssicherung" = "Qualitaetssicherung".
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
# Joiners folded to a space: "Projekt-Management", "CI/CD", "data_engineering".
_JOINERS = re.compile(r"[\s\-_/]+")
# A token of free text: letters and digits, with the + and # of "C++" and "C#", and the inner
# or leading dot of "Node.js" and ".NET" (a trailing dot ends a sentence).
_TOKEN = re.compile(r"\.?[^\W_][\w+#&]*(?:\.[^\W_][\w+#&]*)*")
# Endings that only say "knowledge of": "Deutschkenntnisse" = "Deutsch".
_KNOWLEDGE_SUFFIXES = ("kenntnisse", " skills", " knowledge")


@dataclass(frozen=True)
class Skill:
    """One skill of the vocabulary."""

    key: str
    field: str
    name_en: str
    name_de: str
    names: tuple[str, ...]
    # Names that are everyday words too: not looked for in free text.
    ambiguous: tuple[str, ...] = ()

    def label(self, lang: str = "en") -> str:
        """The skill's name in ``lang`` (``de`` or ``en``)."""
        return self.name_de if lang == "de" else self.name_en


@dataclass(frozen=True)
class Vocabulary:
    """The skills by key, and every folded name by the key it names."""

    skills: dict[str, Skill]
    by_name: dict[str, str]
    # Folded names without spaces ("Projekt-Management" = "Projektmanagement"), where only
    # one key has the name so written.
    by_compact: dict[str, str]
    # Folded names (as tuples of tokens) looked for in free text.
    in_text: dict[tuple[str, ...], str]

    def __len__(self) -> int:
        return len(self.skills)


def fold(name: str) -> str:
    """``name`` compared the way skills are: case, umlauts, accents and joiners folded.

    ``"Projekt-Management"`` -> ``"projekt management"``, ``"Qualitätssicherung"`` ->
    ``"qualitaetssicherung"``, ``"C++"`` -> ``"c++"``.
    """
    text = unicodedata.normalize("NFKC", name).casefold().translate(_UMLAUTS)
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return _JOINERS.sub(" ", text).strip()


def _tokens(folded: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(folded))


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary, loaded once and checked: a name may belong to one key only."""
    text = resources.files("purposely.jobs").joinpath("data", VOCABULARY).read_text("utf-8")
    return parse_vocabulary(YAML(typ="safe").load(text), VOCABULARY)


def parse_vocabulary(doc: Any, origin: str) -> Vocabulary:
    """The vocabulary from a parsed YAML document (fields of skills by key); a
    :class:`PurposelyError` naming ``origin`` for a malformed entry or a name two keys claim."""
    if not isinstance(doc, dict):
        raise PurposelyError(f"{origin}: expected fields of skills by key")
    skills: dict[str, Skill] = {}
    by_name: dict[str, str] = {}
    in_text: dict[tuple[str, ...], str] = {}
    for field, entries in doc.items():
        if not isinstance(entries, dict):
            raise PurposelyError(f"{origin}: field {field!r}: expected skills by key")
        for key, entry in entries.items():
            skill = _skill(origin, str(field), str(key), entry)
            if key in skills:
                raise PurposelyError(f"{origin}: skill {key!r} is defined twice")
            skills[key] = skill
            ambiguous = {fold(a) for a in skill.ambiguous}
            for name in (key.replace("_", " "), *skill.names):
                folded = fold(name)
                owner = by_name.setdefault(folded, key)
                if owner != key:
                    raise PurposelyError(
                        f"{origin}: name {name!r} belongs to both {owner!r} and {key!r}"
                    )
                tokens = _tokens(folded)
                if folded not in ambiguous and _searchable(tokens):
                    in_text[tokens] = key
    compact: dict[str, str | None] = {}
    for name, key in by_name.items():
        joined = name.replace(" ", "")
        compact[joined] = key if compact.get(joined, key) == key else None
    by_compact = {name: key for name, key in compact.items() if key is not None}
    return Vocabulary(skills, by_name, by_compact, in_text)


def _skill(origin: str, field: str, key: str, entry: Any) -> Skill:
    where = f"{origin}: skill {key!r}"
    if not re.fullmatch(r"[a-z0-9]+(?:_[a-z0-9]+)*", key):
        raise PurposelyError(f"{where}: keys are lowercase words joined by _")
    if not isinstance(entry, dict) or not {"en", "de"} <= entry.keys():
        raise PurposelyError(f"{where}: needs an English (en) and a German (de) name")
    unknown = entry.keys() - {"en", "de", "also", "ambiguous"}
    if unknown:
        raise PurposelyError(f"{where}: unknown field {sorted(unknown)[0]!r}")
    also = [str(a) for a in entry.get("also") or []]
    names = (str(entry["en"]), str(entry["de"]), *also)
    ambiguous = tuple(str(a) for a in entry.get("ambiguous") or [])
    folded = {fold(n) for n in names}
    for name in ambiguous:
        if fold(name) not in folded:
            raise PurposelyError(f"{where}: ambiguous name {name!r} is not one of its names")
    return Skill(key, field, str(entry["en"]), str(entry["de"]), names, ambiguous)


def _searchable(tokens: tuple[str, ...]) -> bool:
    """Whether a name is looked for in free text: not too long, and not a bare one- or
    two-letter word ("R", "Go", "KI", "HR": too often something else)."""
    if not tokens or len(tokens) > _MAX_WORDS:
        return False
    return not (len(tokens) == 1 and len(tokens[0]) <= 2 and tokens[0].isalpha())


def normalise_skill(name: str) -> str:
    """The vocabulary key ``name`` names (in English or German, or a synonym), else the
    folded name: ``"Projektmanagement"`` and ``"project management"`` ->
    ``"project_management"``; ``"Kotlin Multiplatform"`` -> ``"kotlin multiplatform"``.

    A folded name has no underscore, so it can never be mistaken for a key of two words.
    """
    vocab = vocabulary()
    folded = fold(name)
    bases = [folded] + [folded.removesuffix(s).strip() for s in _KNOWLEDGE_SUFFIXES]
    for base in dict.fromkeys(b for b in bases if b):
        key = vocab.by_name.get(base) or vocab.by_compact.get(base.replace(" ", ""))
        if key is not None:
            return key
    return folded


def find_skills(text: str) -> list[str]:
    """The vocabulary keys whose names occur in free ``text`` (a listing's description), in
    order of first occurrence, each once. Longest names win: "continuous delivery" is
    ``ci_cd``, not a delivery driver. Names that are everyday words are not looked for."""
    vocab = vocabulary()
    tokens = _tokens(fold(text))
    found: dict[str, None] = {}
    i = 0
    while i < len(tokens):
        for width in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
            key = vocab.in_text.get(tokens[i : i + width])
            if key is not None:
                found.setdefault(key)
                i += width
                break
        else:
            i += 1
    return list(found)


def skill_label(key: str, lang: str = "en") -> str:
    """The name of skill ``key`` in ``lang`` (``en`` or ``de``); an unknown skill's folded
    name as it is."""
    skill = vocabulary().skills.get(key)
    return skill.label(lang) if skill is not None else key
