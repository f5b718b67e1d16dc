"""The words of the privacy center and the admin view: both languages for every key, the same
placeholders in each, and every key a template or page asks for is there."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from string import Formatter

import pytest

import purposely.api
from purposely.api.words import WORDS, reason_words, word, words_for_count
from purposely.gate import REASONS

API = Path(purposely.api.__file__).parent
TEMPLATES = sorted(Path(str(resources.files("purposely.api") / "templates")).rglob("*.j2"))
# w("key"...) and wn("key"...) in templates; ("/path", "key") in the navigation's lists;
# word_for(request, "key"...) and word("key"...) in the page code.
TEMPLATE_KEYS = re.compile(r'\bwn?\(\s*"([^"]+)"|\(\s*"/[^"]*",\s*"([^"]+)"\s*\)')
CODE_KEYS = re.compile(r'\bword(?:_for)?\(\s*(?:request,\s*)?"([^"]+)"')


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a text expects."""
    return {name for _, name, _, _ in Formatter().parse(template) if name is not None}


def used_keys() -> dict[str, str]:
    """Every literal key the templates and the page code ask for, with where."""
    found: dict[str, str] = {}
    for path in TEMPLATES:
        for match in TEMPLATE_KEYS.finditer(path.read_text("utf-8")):
            found[match.group(1) or match.group(2)] = path.name
    for path in sorted(API.glob("*.py")):
        for match in CODE_KEYS.finditer(path.read_text("utf-8")):
            found[match.group(1)] = path.name
    return found


@pytest.mark.parametrize("key", sorted(WORDS))
def test_both_languages_say_it_with_the_same_placeholders(key: str) -> None:
    english, german = WORDS[key]
    assert english.strip() and german.strip()
    assert placeholders(english) == placeholders(german)


def test_german_is_german_and_formal() -> None:
    def has_words(text: str) -> bool:
        return re.search("[A-Za-z]{4}", re.sub(r"{\w+}", "", text)) is not None

    same = {key for key, (en, de) in WORDS.items() if en == de and has_words(en)}
    assert same == {"admin_notice_version"}  # "Version {version}." in both
    informal = re.compile(r"\b([Dd]u|[Dd]ich|[Dd]ir|[Dd]ein\w*)\b")  # not DIR in a command
    assert [k for k, (_, de) in WORDS.items() if informal.search(de)] == []


def test_every_key_a_page_asks_for_has_words() -> None:
    used = used_keys()
    assert len(used) > 100  # the patterns still find the keys
    missing = {key: where for key, where in used.items() if key not in WORDS}
    assert missing == {}


def test_every_stale_reason_has_words() -> None:
    for reason in (*REASONS, "erased", "deleted"):
        assert f"reason.{reason}" in WORDS
        assert reason_words(reason, "de") != reason
    assert reason_words("something_new", "en") == "something_new"  # shown as it is


def test_singulars_are_chosen_by_count() -> None:
    assert words_for_count("erased_records", 1, "en") == "We erased 1 item:"
    assert words_for_count("erased_records", 2, "de") == "Wir haben 2 Einträge gelöscht:"
    for key in (k for k in WORDS if k.endswith(".one")):
        assert key.removesuffix(".one") in WORDS


def test_an_unknown_key_is_an_error_not_a_raw_key_on_the_page() -> None:
    with pytest.raises(KeyError, match="no words"):
        word("no_such_key", "en")
