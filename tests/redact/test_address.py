"""German and English street addresses."""

from __future__ import annotations

import pytest

from purposely.redact.address import AddressRecognizer

ADDRESS = AddressRecognizer()


def addresses(text: str, lang: str | None = None) -> list[str]:
    """The street addresses found in ``text``, as written."""
    return [text[s.start : s.end] for s in ADDRESS.find(text, lang)]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Hauptstraße 5, 10115 Berlin", "Hauptstraße 5, 10115 Berlin"),
        ("Wir wohnen jetzt in der Karl-Marx-Allee 90a.", "Karl-Marx-Allee 90a"),
        ("Berliner Str. 12 ist schön", "Berliner Str. 12"),
        ("Paket an Birkenweg 3-5, 80331 München", "Birkenweg 3-5, 80331 München"),
        ("Am Markt 3, 12345 Musterstadt", "Am Markt 3, 12345 Musterstadt"),
        ("Unter den Linden 77\n10117 Berlin", "Unter den Linden 77\n10117 Berlin"),
        ("wohne in der hauptstraße 5", "hauptstraße 5"),
        (
            "Frankfurter Allee 12, 60311 Frankfurt am Main",
            "Frankfurter Allee 12, 60311 Frankfurt am Main",
        ),
    ],
)
def test_german_addresses_are_found(text: str, address: str) -> None:
    assert addresses(text, "de") == [address]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("221B Baker Street", "221B Baker Street"),
        ("We moved to 123 Main St, Springfield, IL 62704.", "123 Main St, Springfield, IL 62704"),
        ("10 Downing Street, London SW1A 2AA", "10 Downing Street, London SW1A 2AA"),
        ("1600 Pennsylvania Avenue NW is famous", "1600 Pennsylvania Avenue NW"),
        ("742 Evergreen Terrace, Apt. 4B", "742 Evergreen Terrace, Apt. 4B"),
    ],
)
def test_english_addresses_are_found(text: str, address: str) -> None:
    assert addresses(text, "en") == [address]


@pytest.mark.parametrize(
    "text",
    [
        "Wir sind nach 10115 Berlin gezogen",  # a postcode and place alone
        "Im Januar 3 mal",
        "Supermarkt 24 Stunden geöffnet",
        "Die Straße 5 mal überquert",
        "during 5 minutes",
        "I have 3 kids",
        "We moved to NY 10001",
        "Top 10 Places to visit",
        "Hauptstraße ist gesperrt",
    ],
)
def test_address_lookalikes_are_not_found(text: str) -> None:
    assert addresses(text) == []


def test_the_language_picks_the_rules() -> None:
    assert addresses("221B Baker Street", "de") == []
    assert addresses("221B Baker Street", None) == ["221B Baker Street"]
