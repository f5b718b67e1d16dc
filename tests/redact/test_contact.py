"""E-mail addresses and phone numbers, German and English."""

from __future__ import annotations

import pytest

from purposely.redact.contact import EmailRecognizer, PhoneRecognizer
from purposely.redact.spans import Entity

EMAIL = EmailRecognizer()
PHONE = PhoneRecognizer()


def emails(text: str) -> list[str]:
    """The e-mail addresses found in ``text``, as written."""
    return [text[s.start : s.end] for s in EMAIL.find(text, None)]


def phones(text: str, lang: str | None = None) -> list[str]:
    """The phone numbers found in ``text``, as written."""
    return [text[s.start : s.end] for s in PHONE.find(text, lang)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Schreib mir an max.mustermann@web.de.", ["max.mustermann@web.de"]),
        ("Mail: Jürgen_Weber+news@firma-müller.de!", ["Jürgen_Weber+news@firma-müller.de"]),
        ("Email me at j.doe@mail.example.co.uk, thanks", ["j.doe@mail.example.co.uk"]),
        ("a@b.de und c@d.org", ["a@b.de", "c@d.org"]),
        ("Contact: first@a.com Contact: second@b.com", ["first@a.com", "second@b.com"]),
        ("Folgt @alice@mastodon.social", ["alice@mastodon.social"]),
    ],
)
def test_email_addresses_are_found(text: str, found: list[str]) -> None:
    assert emails(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "Danke @alice und @bob!",
        "Treffen @ 18 Uhr",
        "user@localhost is not public",
        "name@domain.",
        "no at sign here",
        "email@123.456",
    ],
)
def test_things_with_an_at_sign_that_are_no_email(text: str) -> None:
    assert emails(text) == []


def test_email_span_positions() -> None:
    text = "Kontakt: max@web.de"
    [span] = EMAIL.find(text, "de")
    assert (span.start, span.end, span.entity) == (9, 19, Entity.EMAIL)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Ruf mich an: 0171 1234567", "0171 1234567"),
        ("Tel.:030 1234567", "030 1234567"),
        ("Handy 0171/1234567 (abends)", "0171/1234567"),
        ("Neue Nummer: 0151-23456789.", "0151-23456789"),
        ("Büro (089) 12345678", "(089) 12345678"),
        ("erreichbar unter +49 171 1234567", "+49 171 1234567"),
        ("Zentrale +49 (0)30 1234567", "+49 (0)30 1234567"),
        ("aus dem Ausland 0049 30 1234567", "0049 30 1234567"),
        ("Call +44 20 7946 0958 today", "+44 20 7946 0958"),
        ("London office 020 7946 0958", "020 7946 0958"),
        ("Call me at (415) 555-2671.", "(415) 555-2671"),
        ("Text 415-555-2671 please", "415-555-2671"),
        ("Phone: 415.555.2671", "415.555.2671"),
        ("Desk: (602)272-9781x123", "(602)272-9781x123"),
    ],
)
def test_phone_numbers_are_found(text: str, number: str) -> None:
    assert phones(text) == [number]


def test_german_and_english_posts_both_find_their_numbers() -> None:
    assert phones("Ruf an: 030 1234567", "de") == ["030 1234567"]
    assert phones("Call 020 7946 0958", "en") == ["020 7946 0958"]


def test_a_phone_word_takes_a_number_no_region_tried_knows() -> None:
    assert phones("Call me on 450 0840?", "en") == ["450 0840"]
    assert phones("Meet at 450 0840?", "en") == []


@pytest.mark.parametrize(
    "text",
    [
        "Treffen am 12.03.2024 um 14:30 Uhr",
        "Meet on 3/12/2024 at 9:45",
        "Kostet 1.299,00 € statt 1.499,00 €",
        "Only $1,299.99 today",
        "Bestellnummer 302-1234567-1234567 kam nie an",
        "Order #123-4567890-1234567 never arrived",
        "ISBN 978-3-16-148410-0",
        "ISBN 0-306-40615-2 is a classic",
        "Version 10.0.19045.3803",
        "Server 192.168.100.200 down",
        "#Berlin2024 war toll",
        "Von 1998 bis 2017 in der Firma",
        "Schon 1.234.567 Aufrufe!",
        "Here's my SSN: 054-28-6917",
        "Zimmer 123, Etage 4",
        "Sendungsnummer 00340434161234567890 hängt fest",
        "1234567 Schritte",
    ],
)
def test_numbers_that_are_no_phone_numbers(text: str) -> None:
    assert phones(text) == []


def test_a_number_after_the_phone_is_left_out_where_possible() -> None:
    assert phones("Ruf 0171 1234567 an, ab 18 Uhr", "de") == ["0171 1234567"]


def test_the_tail_of_an_invalid_iban_is_no_phone_number() -> None:
    assert phones("Wrong IBAN NL93 HEEZ 0738 8845 80 bounced", "en") == []
