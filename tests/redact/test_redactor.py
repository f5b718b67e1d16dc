"""The redactor: placeholders in place, counts, overlaps, plug-in recognisers."""

from __future__ import annotations

import itertools
import re

from purposely.redact import Entity, Recognizer, Redaction, Redactor, Span, default_recognizers

REDACTOR = Redactor()


def test_german_post_with_several_kinds() -> None:
    text = (
        "Ruf mich an: 0171 1234567 oder schreib an max@web.de. Meine IBAN ist "
        "DE89 3704 0044 0532 0130 00, wir wohnen Hauptstraße 5, 10115 Berlin."
    )
    redaction = REDACTOR.redact(text, lang="de")
    assert redaction.text == (
        "Ruf mich an: <PHONE> oder schreib an <EMAIL>. Meine IBAN ist <IBAN>, wir wohnen <ADDRESS>."
    )
    assert redaction.counts == {
        Entity.PHONE: 1,
        Entity.EMAIL: 1,
        Entity.IBAN: 1,
        Entity.ADDRESS: 1,
    }


def test_english_post_with_several_kinds() -> None:
    text = (
        "Call (415) 555-2671 or +44 20 7946 0958, card 4111 1111 1111 1111, "
        "server 192.168.0.1, we live at 123 Main St, Springfield, IL 62704."
    )
    redaction = REDACTOR.redact(text, lang="en")
    assert redaction.text == (
        "Call <PHONE> or <PHONE>, card <CARD>, server <IP>, we live at <ADDRESS>."
    )
    assert redaction.counts[Entity.PHONE] == 2


def test_placeholders_land_where_the_spans_were() -> None:
    text = "a 0171 1234567 b max@web.de c"
    spans = REDACTOR.analyze(text, "de")
    assert [(text[s.start : s.end], s.entity) for s in spans] == [
        ("0171 1234567", Entity.PHONE),
        ("max@web.de", Entity.EMAIL),
    ]
    assert REDACTOR.redact(text, "de").text == "a <PHONE> b <EMAIL> c"


def test_text_without_personal_data_comes_back_as_it_is() -> None:
    text = "Treffen am 12.03.2024 um 14:30 Uhr, Eintritt 19,99 €. #Berlin2024"
    assert REDACTOR.redact(text, "de") == Redaction(text, {})


class _Names:
    """A toy name recogniser: the words of a fixed list."""

    entities = frozenset({Entity.PERSON})

    def __init__(self, *names: str) -> None:
        """Find exactly these ``names``."""
        self._pattern = re.compile("|".join(re.escape(n) for n in names))

    def find(self, text: str, lang: str | None) -> list[Span]:
        """Each occurrence of one of the names."""
        return [Span(m.start(), m.end(), Entity.PERSON) for m in self._pattern.finditer(text)]


def test_a_plugged_in_recogniser_runs_with_the_defaults() -> None:
    names = _Names("Anna Schmidt")
    assert isinstance(names, Recognizer)
    redactor = Redactor([*default_recognizers(), names])
    redaction = redactor.redact("Ich bin Anna Schmidt, Tel. 0171 1234567", "de")
    assert redaction.text == "Ich bin <PERSON>, Tel. <PHONE>"
    assert redaction.counts == {Entity.PERSON: 1, Entity.PHONE: 1}


def test_a_redactor_runs_only_the_recognisers_it_is_given() -> None:
    redactor = Redactor([_Names("Anna")])
    assert redactor.redact("Anna: 0171 1234567").text == "<PERSON>: 0171 1234567"


def test_overlapping_findings_become_one_placeholder() -> None:
    # The plug-in claims part of an e-mail address; the longer e-mail wins and covers both.
    redactor = Redactor([*default_recognizers(), _Names("Anna")])
    redaction = redactor.redact("Mail: anna.schmidt@web.de")
    assert redaction.text == "Mail: <EMAIL>"
    assert redaction.counts == {Entity.EMAIL: 1}


def test_analyze_returns_sorted_spans_that_do_not_overlap() -> None:
    text = "IP ::ffff:192.0.2.128, Tel +49 30 1234567, Steuer-ID 86095742719"
    spans = REDACTOR.analyze(text)
    assert spans == sorted(spans)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    assert [s.entity for s in spans] == [Entity.IP, Entity.PHONE, Entity.ID]


def test_placeholders_can_be_changed() -> None:
    redactor = Redactor(placeholders={Entity.EMAIL: "[mail]"})
    assert redactor.redact("an max@web.de").text == "an [mail]"


def test_the_defaults_cover_every_entity_but_person() -> None:
    covered = set().union(*(r.entities for r in default_recognizers()))
    assert covered == set(Entity) - {Entity.PERSON}
