"""The sentence catalogue: both languages for every message, with the same placeholders."""

from __future__ import annotations

import re

import pytest

from purposely.notice.text import code, join, placeholders, say
from purposely.notice.words import LANGS, WORDS


@pytest.mark.parametrize("msg_id", sorted(WORDS))
def test_every_message_has_both_languages_and_the_same_placeholders(msg_id: str) -> None:
    both = WORDS[msg_id]
    assert set(both) == set(LANGS)
    assert all(both[lang].strip() for lang in LANGS)
    assert placeholders(both["en"]) == placeholders(both["de"])


def test_messages_with_words_are_translated() -> None:
    def has_words(template: str) -> bool:
        return re.search(r"[A-Za-z]{3}", re.sub(r"\{\w+\}", "", template)) is not None

    same = [m for m, both in WORDS.items() if has_words(both["en"]) and both["en"] == both["de"]]
    assert same == []


def test_german_addresses_the_member_formally() -> None:
    informal = re.compile(r"\b(du|dich|dir|dein\w*)\b", re.IGNORECASE)
    assert [m for m, both in WORDS.items() if informal.search(both["de"])] == []


def test_say_fills_every_placeholder_and_takes_no_more() -> None:
    text = say("de", "prep.links", link=code("http"))
    assert str(text) == "Links werden zu http." and text.ids == ("prep.links",)
    with pytest.raises(ValueError, match="takes"):
        say("en", "prep.links")
    with pytest.raises(ValueError, match="takes"):
        say("en", "prep.links", link="http", extra="x")


def test_join_speaks_the_language() -> None:
    assert str(join("en", ["A", "B", "C"])) == "A, B and C"
    assert str(join("de", ["A", "B"])) == "A und B"
    assert str(join("de", ["A"])) == "A"
