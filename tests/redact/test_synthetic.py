"""The generator of synthetic posts: valid values, exact positions, same seed, same posts."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from stdnum import iban, luhn
from stdnum.de import idnr

from purposely.redact import Entity
from purposely.redact.synthetic import card, corpus, phone, post, tax_id
from purposely.redact.synthetic import iban as make_iban


def test_same_seed_same_posts() -> None:
    assert corpus(200, seed=3) == corpus(200, seed=3)
    assert corpus(200, seed=3) != corpus(200, seed=4)


def test_spans_point_at_values_of_their_type() -> None:
    for generated in corpus(2000, seed=1):
        for span in generated.spans:
            value = generated.text[span.start : span.end]
            assert value.strip() == value and value


def _valid_somewhere(number: str) -> bool:
    """Valid as written: international, or national in Germany, Britain or the US."""
    if number.startswith("00"):
        number = "+" + number[2:]
    regions = (None,) if number.startswith("+") else ("DE", "GB", "US")
    return any(phonenumbers.is_valid_number(phonenumbers.parse(number, r)) for r in regions)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_phone_numbers_are_valid(lang: str) -> None:
    rng = random.Random(5)
    assert all(_valid_somewhere(phone(rng, lang)) for _ in range(300))


def test_checksummed_values_pass_or_fail_as_asked() -> None:
    rng = random.Random(9)
    for _ in range(200):
        assert iban.is_valid(make_iban(rng))
        assert not iban.is_valid(make_iban(rng, valid=False))
        assert luhn.is_valid(card(rng).replace(" ", "").replace("-", ""))
        assert not luhn.is_valid(card(rng, valid=False).replace(" ", "").replace("-", ""))
        assert idnr.is_valid(tax_id(rng))


def test_a_post_holds_only_the_entities_asked_for() -> None:
    rng = random.Random(2)
    for _ in range(300):
        generated = post(rng, "de", entities=(Entity.EMAIL,), pii=1.0)
        assert {s.entity for s in generated.spans} == {Entity.EMAIL}
        assert generated.values(Entity.EMAIL)
