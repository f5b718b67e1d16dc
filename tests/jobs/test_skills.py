"""The bilingual skill vocabulary: German and English names meet at one key."""

from __future__ import annotations

from typing import Any

import pytest

from purposely.errors import PurposelyError
from purposely.jobs.skills import (
    find_skills,
    fold,
    normalise_skill,
    parse_vocabulary,
    skill_label,
    vocabulary,
)


def test_the_vocabulary_is_large_and_covers_every_field() -> None:
    vocab = vocabulary()
    assert len(vocab) >= 300
    fields = {s.field for s in vocab.skills.values()}
    for field in ("it", "engineering", "health", "trades", "sales", "finance", "education"):
        assert field in fields
    assert {"hospitality", "logistics"} <= fields
    for skill in vocab.skills.values():
        assert skill.name_en and skill.name_de


@pytest.mark.parametrize(
    ("german", "english", "key"),
    [
        ("Projektmanagement", "project management", "project_management"),
        ("Datenanalyse", "data analysis", "data_analysis"),
        ("Buchhaltung", "accounting", "accounting"),
        ("Pflege", "nursing", "nursing"),
        ("Maschinenbau", "Mechanical engineering", "mechanical_engineering"),
        ("Lagerwirtschaft", "warehousing", "warehousing"),
        ("Kochen", "cooking", "cooking"),
        ("Unterrichten", "teaching", "teaching"),
        ("Vertrieb", "sales", "sales"),
        ("Elektrotechnik", "electrical engineering", "electrical_engineering"),
        ("Maschinelles Lernen", "machine learning", "machine_learning"),
        ("Englisch", "English", "english"),
    ],
)
def test_german_and_english_names_give_one_key(german: str, english: str, key: str) -> None:
    assert normalise_skill(german) == normalise_skill(english) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Projekt-Management", "project_management"),
        ("PROJEKTMANAGEMENT", "project_management"),
        ("Qualitätssicherung", "quality_management"),
        ("Qualitaetssicherung", "quality_management"),
        ("  python3 ", "python"),
        ("C++", "cpp"),
        ("C#", "csharp"),
        (".NET", "dotnet"),
        ("Node.js", "nodejs"),
        ("CI/CD", "ci_cd"),
        ("Deutschkenntnisse", "german"),
        ("Python skills", "python"),
        ("Krankenpflege", "nursing"),
    ],
)
def test_spellings_and_synonyms_fold_to_the_key(name: str, key: str) -> None:
    assert normalise_skill(name) == key


def test_an_unknown_skill_keeps_a_folded_name_that_is_never_a_key() -> None:
    assert normalise_skill("Kotlin Multiplatform") == "kotlin multiplatform"
    assert normalise_skill("kotlin-multiplatform") == "kotlin multiplatform"
    assert normalise_skill("Schöne_Dinge") == "schoene dinge"
    assert "_" not in normalise_skill("project_management_tools")
    assert normalise_skill("project_management_tools") not in vocabulary().skills


def test_fold() -> None:
    assert fold("Projekt-Management") == "projekt management"
    assert fold("Café  Crème") == "cafe creme"
    assert fold("Straße") == "strasse"


def test_find_skills_in_free_text() -> None:
    text = (
        "Wir suchen Verstärkung mit Python-Kenntnissen, Erfahrung mit Continuous Delivery, "
        "Docker und SQL. Pflege von Kundenbeziehungen gehört dazu; .NET und C# sind ein Plus. "
        "Go to market with us. Erfahrung in der Krankenpflege und Buchhaltung."
    )
    # In order of first occurrence; the longest name wins ("continuous delivery" is CI/CD,
    # not delivery driving); everyday words ("Pflege", "Go") are not taken for skills.
    assert find_skills(text) == [
        "python",
        "ci_cd",
        "docker",
        "sql",
        "dotnet",
        "csharp",
        "nursing",
        "accounting",
    ]
    assert find_skills("") == []


def test_skill_labels_in_both_languages() -> None:
    assert skill_label("accounting", "de") == "Buchhaltung"
    assert skill_label("accounting", "en") == "Accounting"
    assert skill_label("kotlin multiplatform") == "kotlin multiplatform"


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (
            {"it": {"a": {"en": "A", "de": "A"}, "b": {"en": "B", "de": "A"}}},
            "name 'A' belongs to both 'a' and 'b'",
        ),
        ({"it": {"Bad-Key": {"en": "x", "de": "y"}}}, "keys are lowercase words"),
        ({"it": {"a": {"en": "A"}}}, "needs an English (en) and a German (de) name"),
        ({"it": {"a": {"en": "A", "de": "A", "ambiguous": ["B"]}}}, "not one of its names"),
        ({"it": {"a": {"en": "A", "de": "A", "other": 1}}}, "unknown field 'other'"),
        (["not", "a", "mapping"], "expected fields of skills by key"),
    ],
)
def test_a_broken_vocabulary_is_refused(doc: Any, message: str) -> None:
    with pytest.raises(PurposelyError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_vocabulary(doc, "test.yaml")
