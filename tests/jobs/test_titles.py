"""Linking job titles, German or English, to ESCO occupations."""

from __future__ import annotations

import random

import pytest

from purposely.jobs.esco import Occupation, Vocabulary, load_occupations
from purposely.jobs.titles import (
    MIN_LINK_SCORE,
    ConceptMatch,
    TitleLinker,
    _title_parts,
    normalise_title,
)


@pytest.fixture(scope="module")
def linker() -> TitleLinker:
    return TitleLinker.default()


# --- normalisation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Softwareentwicklerin",
        "Softwareentwickler/in",
        "Softwareentwickler/-in",
        "Softwareentwickler*in",
        "Softwareentwickler:in",
        "Softwareentwickler_in",
        "Softwareentwickler(in)",
        "SoftwareentwicklerIn",
        "Softwareentwickler:innen",
        "Softwareentwickler/Softwareentwicklerin",
        "Softwareentwickler (m/w/d)",
        "Softwareentwickler (w/m/d)",
        "Softwareentwicklerin (d/w/m)",
        "Softwareentwickler m/f/d",
        "Softwareentwickler (all genders)",
        "  SOFTWAREENTWICKLERIN!  ",
        "Senior Softwareentwickler (m/w/d) - Vollzeit",
    ],
)
def test_gender_forms_and_noise_normalise_to_the_masculine(title: str) -> None:
    assert normalise_title(title) == normalise_title("Softwareentwickler") == "softwareentwickler"


@pytest.mark.parametrize(
    ("title", "same_as"),
    [
        ("Kaufmann/-frau im Einzelhandel", "Kaufmann im Einzelhandel"),
        ("Kauffrau im Einzelhandel", "Kaufmann im Einzelhandel"),
        ("Ärztin", "Arzt"),
        ("Köchin", "Koch"),
        ("Psychologin", "Psychologe"),
        ("Lehrerinnen", "Lehrer"),
        (
            "Staatlich geprüfter Techniker/Staatlich geprüfte Technikerin",
            "staatlich geprüfter Techniker",
        ),
        ("Straßenbauer", "Strassenbauer"),
        ("Software-Entwickler", "Software Entwickler"),
        ("Software Developers", "software developer"),
        ("Nannies", "nanny"),
        ("Café-Mitarbeiter", "Cafe Mitarbeiter"),
    ],
)
def test_spelling_variants_normalise_alike(title: str, same_as: str) -> None:
    assert normalise_title(title) == normalise_title(same_as)


def test_normalised_titles_are_plain_lower_case_words() -> None:
    for title in ["Ärztin (m/w/d)", "Data-Scientist, Senior!", "Œuvre Łódź"]:
        text = normalise_title(title)
        assert text == text.lower() and text.isascii()
        assert all(word.isalnum() for word in text.split())


def test_words_that_only_end_in_in_are_kept() -> None:
    assert normalise_title("Medizin") == "medizin"
    assert normalise_title("Admin") == "admin"


@pytest.mark.parametrize(
    ("title", "whole", "specialisations"),
    [
        (
            "Staatlich geprüfter Techniker/Staatlich geprüfte Technikerin Fachrichtung"
            " Chemietechnik Schwerpunkt Laboratoriumstechnik",
            "techniker chemietechnik laboratoriumstechnik",
            ["chemietechnik", "laboratoriumstechnik"],
        ),
        ("Tierwirt/in Teilbereich Schäferei", "tierwirt schaferei", ["schaferei"]),
        ("Geprüfter Fachhauswirtschafter", "fachhauswirtschafter", []),
        ("Software Developer", "software developer", []),
        ("Staatlich geprüft", "staatlich gepruft", []),  # nothing but qualification: kept
        ("Schwerpunkt", "schwerpunkt", []),
    ],
)
def test_titles_lose_qualification_words_and_name_their_specialisations(
    title: str, whole: str, specialisations: list[str]
) -> None:
    assert _title_parts(normalise_title(title)) == (whole, specialisations)


# --- linking -------------------------------------------------------------------------------


def test_german_and_english_software_titles_link_to_the_software_developer(
    linker: TitleLinker,
) -> None:
    links = [
        linker.link_best(title)
        for title in ("Softwareentwicklerin", "Software Engineer", "software developer")
    ]
    assert all(link is not None for link in links)
    concepts = {link.concept for link in links if link}
    assert len(concepts) == 1
    occupation = load_occupations()[concepts.pop()]
    assert occupation.label("en") == "software developer"
    assert "Softwareentwickler" in occupation.labels_de


@pytest.mark.parametrize(
    ("german", "english"),
    [
        ("Bäckerin", "Baker"),
        ("Koch", "Cook"),
        ("Datenwissenschaftlerin (m/w/d)", "Data Scientist"),
        ("Projektmanager", "Project Manager"),
        ("Rechtsanwältin", "Lawyer"),
        ("Friseurin", "Hairdresser"),
        ("Buchhalter/in", "Bookkeeper"),
    ],
)
def test_german_and_english_titles_of_one_job_link_to_one_concept(
    linker: TitleLinker, german: str, english: str
) -> None:
    assert linker.link(german, k=1)[0].concept == linker.link(english, k=1)[0].concept


def test_gender_forms_link_like_the_masculine(linker: TitleLinker) -> None:
    expected = linker.link("Bäcker", k=5)
    for title in ("Bäckerin", "Bäcker/in", "Bäcker*in (m/w/d)", "BäckerIn"):
        assert linker.link(title, k=5) == expected


def test_a_label_links_to_its_occupation_with_a_full_score(linker: TitleLinker) -> None:
    vocabulary = load_occupations()
    for occupation in random.Random(6).sample(vocabulary.occupations, 60):
        for label in (occupation.label("en"), occupation.label("de")):
            best = linker.link(label, k=1)[0]
            assert best.score == pytest.approx(1.0)
            # Several occupations may share a label; the best has this one among its labels.
            winner = vocabulary[best.concept]
            labels = {normalise_title(x) for x in winner.labels_en + winner.labels_de}
            assert normalise_title(label) in labels


def test_a_match_carries_both_preferred_labels(linker: TitleLinker) -> None:
    for match in linker.link("Bäckerin", k=3):
        occupation = load_occupations()[match.concept]
        assert (match.label_en, match.label_de) == (occupation.label("en"), occupation.label("de"))


@pytest.mark.parametrize("title", ["", "   ", "!!!", "(m/w/d)", "---"])
def test_empty_titles_link_to_nothing(linker: TitleLinker, title: str) -> None:
    assert linker.link(title) == []
    assert linker.link_best(title) is None


@pytest.mark.parametrize(
    "title", ["asdfgh qwertz", "Lorem ipsum dolor sit amet", "zzzz", "Hello world"]
)
def test_garbage_titles_score_low(linker: TitleLinker, title: str) -> None:
    assert linker.link_best(title) is None
    assert all(match.score < MIN_LINK_SCORE for match in linker.link(title))


def test_ranking_is_ordered_unique_bounded_and_repeatable(linker: TitleLinker) -> None:
    for title in ("Fachverkäufer im Lebensmittelhandwerk", "Chief Executives", "Pflegefachkraft"):
        matches = linker.link(title, k=25)
        assert 0 < len(matches) <= 25
        scores = [m.score for m in matches]
        assert scores == sorted(scores, reverse=True)
        assert all(0 < s <= 1 for s in scores)
        assert len({m.concept for m in matches}) == len(matches)
        assert linker.link(title, k=25) == matches
        assert linker.link(title, k=5) == matches[:5]


def test_a_new_linker_answers_as_the_default(linker: TitleLinker) -> None:
    assert TitleLinker.default() is linker
    fresh = TitleLinker(load_occupations())
    for title in ("Softwareentwicklerin", "Busfahrer", "Data Engineer", "Tierpfleger"):
        assert fresh.link(title) == linker.link(title)


def test_qualification_words_do_not_change_the_link(linker: TitleLinker) -> None:
    plain = linker.link("Techniker Elektrotechnik", k=5)
    assert linker.link("Staatlich geprüfter Techniker Elektrotechnik", k=5) == plain


# --- scoring rules on a small vocabulary -----------------------------------------------------

SMALL = Vocabulary(
    (
        Occupation("C000001", ("Cooks",), ("Köche",)),  # an ISCO group: one label each
        Occupation("C000002", ("cook", "kitchen cook"), ("Koch/Köchin", "Koch", "Köchin")),
        Occupation("C000003", ("baker",), ("Bäcker/Bäckerin",)),
        Occupation("C000004", ("pastry chef",), ("Konditor/Konditorin", "Koch")),
    )
)


def test_a_german_title_finds_the_english_labels_through_the_german_ones() -> None:
    best = TitleLinker(SMALL).link_best("Bäckerin (m/w/d)")
    assert best == ConceptMatch("C000003", "baker", "Bäcker/Bäckerin", 1.0)


def test_the_preferred_label_counts_and_equal_scores_go_to_more_labels() -> None:
    matches = TitleLinker(SMALL).link("Köchin")
    # "Koch" is a label of C000002 and C000004, the preferred one only of C000002.
    assert [m.concept for m in matches[:2]] == ["C000002", "C000004"]
    assert matches[0].score > matches[1].score
    # Singular and plural fold together: the group and the occupation tie; more labels win.
    tied = TitleLinker(SMALL).link("cooks", k=2)
    assert tied[0].score == tied[1].score
    assert [m.concept for m in tied] == ["C000002", "C000001"]


SPECIALISED = Vocabulary(
    (
        Occupation("C000001", ("foundry mechanic",), ("Gießereimechaniker",)),
        Occupation("C000002", ("hand moulder",), ("Handformer",)),
        Occupation("C000003", ("machine moulder",), ("Maschinenformer",)),
    )
)


def test_a_specialisation_is_matched_on_its_own_too() -> None:
    linker = TitleLinker(SPECIALISED)
    title = "Gießereimechaniker/in Fachrichtung Handformguss"
    matches = linker.link(title)
    # The trade still comes first; of the others, the one the specialisation names.
    assert [m.concept for m in matches[:2]] == ["C000001", "C000002"]
    # Scores stay within 0-1, and the specialisation weighs more than in the whole title.
    assert all(0 < m.score <= 1 for m in matches)
    whole = linker.scores("Gießereimechaniker Handformguss")
    assert whole[1] < linker.scores(title)[1]
