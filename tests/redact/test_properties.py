"""Properties over many generated texts (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from purposely.redact import Entity, Redactor
from purposely.redact.synthetic import post

REDACTOR = Redactor()
CHECKED = (Entity.EMAIL, Entity.IBAN, Entity.CARD, Entity.PHONE)


@settings(max_examples=400, deadline=None)
@given(rng=st.randoms(use_true_random=False), lang=st.sampled_from(["de", "en"]))
def test_injected_contact_and_payment_data_never_survive(rng: object, lang: str) -> None:
    generated = post(rng, lang, entities=CHECKED, pii=1.0)  # type: ignore[arg-type]
    redacted = REDACTOR.redact(generated.text, generated.lang).text
    for value in generated.values(*CHECKED):
        assert value not in redacted, (value, generated.text, redacted)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(
        alphabet=st.characters(blacklist_categories=("Nd", "Cs"), blacklist_characters="@"),
        max_size=300,
    ),
    lang=st.sampled_from(["de", "en", None]),
)
def test_text_without_digits_or_at_signs_is_unchanged(text: str, lang: str | None) -> None:
    assert REDACTOR.redact(text, lang).text == text
