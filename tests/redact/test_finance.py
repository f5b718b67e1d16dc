"""IBANs and payment card numbers, checksum-validated."""

from __future__ import annotations

import pytest

from purposely.redact.finance import CardRecognizer, IbanRecognizer

IBAN = IbanRecognizer()
CARD = CardRecognizer()


def ibans(text: str) -> list[str]:
    """The IBANs found in ``text``, as written."""
    return [text[s.start : s.end] for s in IBAN.find(text, None)]


def cards(text: str) -> list[str]:
    """The card numbers found in ``text``, as written."""
    return [text[s.start : s.end] for s in CARD.find(text, None)]


@pytest.mark.parametrize(
    ("text", "iban"),
    [
        ("Meine IBAN ist DE89 3704 0044 0532 0130 00 bitte", "DE89 3704 0044 0532 0130 00"),
        ("IBAN: DE89370400440532013000.", "DE89370400440532013000"),
        ("Spendenkonto AT61 1904 3002 3457 3201", "AT61 1904 3002 3457 3201"),
        ("UK account GB29 NWBK 6016 1331 9268 19, thanks", "GB29 NWBK 6016 1331 9268 19"),
        ("pay to gb42nawi04454264788619", "gb42nawi04454264788619"),
        ("Konto CH93 0076 2011 6238 5295 7", "CH93 0076 2011 6238 5295 7"),
    ],
)
def test_valid_ibans_are_found(text: str, iban: str) -> None:
    assert ibans(text) == [iban]


@pytest.mark.parametrize(
    "text",
    [
        "Falsche IBAN DE89 3704 0044 0532 0130 01",  # check digits do not match
        "DE8937040044053201300012",  # too long for a German IBAN
        "XX89 3704 0044 0532 0130 00",  # no such country
        "ca12 Leute kamen zur Feier",
        "#Berlin2024 war toll",
    ],
)
def test_iban_lookalikes_are_not_found(text: str) -> None:
    assert ibans(text) == []


@pytest.mark.parametrize(
    ("text", "card"),
    [
        ("Meine Kreditkarte 4111 1111 1111 1111 wurde gesperrt", "4111 1111 1111 1111"),
        ("card: 5555-5555-5555-4444", "5555-5555-5555-4444"),
        ("Amex 3782 822463 10005 expired", "3782 822463 10005"),
        ("Visa 4012888888881881.", "4012888888881881"),
        ("Diners 3056 930902 5904", "3056 930902 5904"),
        ("Karte 4111 1111 1111 1111 2027 gültig", "4111 1111 1111 1111"),
        ("credit card 060426070011 transactions", "060426070011"),
    ],
)
def test_card_numbers_are_found(text: str, card: str) -> None:
    assert cards(text) == [card]


@pytest.mark.parametrize(
    "text",
    [
        "Die Nummer 4111 1111 1111 1112 ist ungültig",  # fails Luhn
        "Bestellnummer 4111 1111 1111 1111",  # an order number, whatever it passes
        "Tracking 1Z4111111111111111",
        "Nummer 0604 2607 0011",  # Luhn-valid, but no scheme's prefix and no card word
        "Wrong IBAN GB30 VLWL 6048 2987 9698 93 bounced",
        "Sendungsnummer 00340434161234567890",
        "ISBN 978-3-16-148410-0",
    ],
)
def test_card_lookalikes_are_not_found(text: str) -> None:
    assert cards(text) == []
