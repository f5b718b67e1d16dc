"""German tax IDs, tax numbers, identity card and passport numbers."""

from __future__ import annotations

import pytest

from purposely.redact.identifiers import GermanIdRecognizer, icao_check_digit

IDS = GermanIdRecognizer()


def ids(text: str) -> list[str]:
    """The identification numbers found in ``text``, as written."""
    return [text[s.start : s.end] for s in IDS.find(text, None)]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Meine Steuer-ID ist 86095742719.", "86095742719"),
        ("Steuer-IdNr: 86 095 742 719", "86 095 742 719"),
        ("my German tax ID is 47036892816", "47036892816"),
        ("St.-Nr. 21/815/08150", "21/815/08150"),
        ("Die Steuernummer lautet 181/815/08155.", "181/815/08155"),
        ("123/4567/8901 vom Finanzamt", "123/4567/8901"),
        ("Steuernummer 2181508150", "2181508150"),
        ("Ausweisnummer: L01X00T47", "L01X00T47"),
        ("Reisepass C01X00T47 verloren", "C01X00T47"),
        ("passport number C01X00T478", "C01X00T478"),
        ("ID card number: T22000129", "T22000129"),
    ],
)
def test_identification_numbers_are_found(text: str, number: str) -> None:
    assert ids(text) == [number]


@pytest.mark.parametrize(
    "text",
    [
        "Steuer-ID 86095742718",  # wrong check digit
        "Bestellnummer 86095742719",  # an order number, whatever it passes
        "Nummer 2181508150",  # ten digits without a tax word
        "Produkt L01X00T47 im Angebot",  # document-like, without a document word
        "Ausweisnummer: L01X00T470",  # wrong check digit after the nine characters
        "Ausweis LXXXXXXXX",  # no digit
        "Treffen am 12.03.2024",
        "Reisepass beantragt, Termin 14:30",
    ],
)
def test_identification_lookalikes_are_not_found(text: str) -> None:
    assert ids(text) == []


def test_icao_check_digit() -> None:
    # ICAO 9303's own example document number.
    assert icao_check_digit("L898902C3") == 6
