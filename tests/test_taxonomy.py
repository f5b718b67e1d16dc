"""The taxonomy: fideslang keys stay fideslang's, extensions are marked, both languages."""

from __future__ import annotations

from fideslang.default_taxonomy import DEFAULT_TAXONOMY

from purposely.taxonomy import CATEGORIES, PURPOSES, TERMS, Kind, covers, label

FIDES_CATEGORIES = {c.fides_key for c in DEFAULT_TAXONOMY.data_category}
FIDES_USES = {u.fides_key for u in DEFAULT_TAXONOMY.data_use}


def test_unmarked_keys_exist_in_fideslang_and_marked_ones_do_not() -> None:
    for term in TERMS.values():
        known = FIDES_CATEGORIES if term.kind is Kind.CATEGORY else FIDES_USES
        if term.extends_fideslang:
            assert term.key not in known, f"{term.key} is in fideslang: unmark it"
        else:
            assert term.key in known, f"{term.key} is not a fideslang key: mark it as extension"


def test_every_key_has_a_parent_in_the_taxonomy_or_in_fideslang() -> None:
    for key in TERMS:
        parent = key.rpartition(".")[0]
        if parent:
            assert parent in TERMS or parent in FIDES_CATEGORIES | FIDES_USES, key


def test_every_term_speaks_german_and_english() -> None:
    for term in TERMS.values():
        assert term.label_en and term.label_de and term.description_en and term.description_de
        assert term.description_en != term.description_de, term.key


def test_the_design_keys_are_all_present() -> None:
    for key in (
        "user.content.public",
        "user.content.private",
        "user.content.private.message",
        "user.contact.email",
        "user.contact.phone_number",
        "user.demographic.date_of_birth",
        "user.job_title",
        "user.workplace",
        "user.employment_history",
        "user.education",
        "user.skills",
        "user.job_preferences",
        "user.biometric.face",
    ):
        assert key in CATEGORIES
    for key in (
        "train_ai_system",
        "personalize.job_recommendations",
        "employment.recruitment",
        "essential.service.security.identity_verification",
        "third_party_sharing",
    ):
        assert key in PURPOSES


def test_parent_keys_cover_children_only_along_the_dots() -> None:
    assert covers("user.content", "user.content.public")
    assert covers("user.content.public", "user.content.public")
    assert not covers("user.content.public", "user.content")
    assert not covers("user.con", "user.content.public")


def test_label_falls_back_to_the_key() -> None:
    assert label("user.content.public", "de") == "Öffentliche Beiträge"
    assert label("no.such.key") == "no.such.key"
