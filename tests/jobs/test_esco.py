"""The shipped ESCO occupation vocabulary and its regeneration from MELO."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from purposely.jobs.esco import (
    MELO_DE,
    MELO_EN,
    MELO_US,
    Occupation,
    Vocabulary,
    align_concepts,
    build_from_melo,
    default_path,
    load_occupations,
    main,
    parse_vocabulary,
    read_melo_corpus,
    vocabulary_bytes,
)


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_occupations()


@pytest.fixture
def melo(shared_data: Path) -> Path:
    folder = shared_data / "jobs-eval" / "melo"
    if not (folder / MELO_EN).is_dir():
        pytest.skip(f"MELO not found at {folder}")
    return folder


def write_corpus(folder: Path, rows: list[tuple[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{element}\t{label}\n" for element, label in rows)
    (folder / "corpus_elements.tsv").write_text(text, "utf-8")


# --- the shipped file ----------------------------------------------------------------------


def test_vocabulary_is_loaded_once_and_well_formed(vocabulary: Vocabulary) -> None:
    assert load_occupations() is vocabulary
    concepts = [occ.concept for occ in vocabulary]
    assert len(concepts) == len(set(concepts)) == len(vocabulary) > 3000
    for occ in vocabulary:
        assert re.fullmatch(r"C\d{6}", occ.concept)
        assert occ.labels_en, occ.concept
        assert all(label and label == label.strip() for label in occ.labels_en + occ.labels_de)
        assert vocabulary[occ.concept] is occ


def test_most_occupations_have_both_languages(vocabulary: Vocabulary) -> None:
    both = [occ for occ in vocabulary if occ.labels_de]
    assert len(both) > 0.9 * len(vocabulary)


def test_preferred_label_is_the_first_and_german_falls_back_to_english() -> None:
    occ = Occupation("C000001", ("baker", "bread maker"), ("Bäcker/Bäckerin", "Bäcker"))
    assert (occ.label("en"), occ.label("de"), occ.label()) == ("baker", "Bäcker/Bäckerin", "baker")
    english_only = Occupation("C000002", ("drone pilot",), ())
    assert english_only.label("de") == "drone pilot"


def test_lookup_of_unknown_concepts(vocabulary: Vocabulary) -> None:
    assert vocabulary.get("C999999") is None
    assert "C999999" not in vocabulary
    with pytest.raises(KeyError):
        vocabulary["C999999"]


def test_software_developer_is_one_concept_in_both_languages(vocabulary: Vocabulary) -> None:
    [occ] = [o for o in vocabulary if "software developer" in o.labels_en]
    assert "software engineer" in occ.labels_en
    assert "Softwareentwicklerin" in occ.labels_de and "Softwareentwickler" in occ.labels_de


def test_file_round_trips_and_repeats_byte_for_byte(vocabulary: Vocabulary) -> None:
    data = vocabulary_bytes(vocabulary)
    assert data == default_path().read_bytes() == vocabulary_bytes(vocabulary)
    assert data[4:8] == b"\0\0\0\0"  # gzip time stamp: none
    assert parse_vocabulary(gzip.decompress(data).decode("utf-8")) == vocabulary


def test_a_file_without_the_header_is_refused() -> None:
    with pytest.raises(ValueError, match="header"):
        parse_vocabulary("C000001\ten\tbaker\n")


# --- alignment and regeneration --------------------------------------------------------------


def test_alignment_follows_order_for_repeated_names_and_overlap_for_renamed() -> None:
    base = {
        "C1": ("Armed forces",),
        "C2": ("Officers",),
        "C3": ("Officers",),  # an ISCO group and its unit group share a name
        "C4": ("guide", "tour guide", "tourist guide", "city guide"),
        "C5": ("baker",),
    }
    other = {
        "C1": ("Armed forces",),
        "C2": ("Officers",),
        "C3": ("Officers",),
        "C4": ("tourist guide", "guide", "tour guide", "city guide"),  # renamed
        "C5": ("drone pilot", "drone operator"),  # new
        "C6": ("baker", "bread maker"),  # shifted by the new one
    }
    assert align_concepts(base, other) == {
        "C1": "C1",
        "C2": "C2",
        "C3": "C3",
        "C4": "C4",
        "C6": "C5",
    }


def test_build_merges_languages_and_keeps_new_occupations(tmp_path: Path) -> None:
    write_corpus(
        tmp_path / MELO_EN,
        [("C000001_en_000", "baker"), ("C000002_en_000", "cook"), ("C000002_en_001", "chef")],
    )
    write_corpus(
        tmp_path / MELO_DE,
        [("C000001_de_000", "Bäcker/Bäckerin"), ("C000002_de_000", "Koch/Köchin")],
    )
    write_corpus(
        tmp_path / MELO_US,
        [
            ("C000001_en_000", "baker"),
            ("C000001_en_001", "bread maker"),
            ("C000002_en_000", "drone pilot"),
            ("C000003_en_000", "cook"),
            ("C000003_en_001", "chef"),
        ],
    )
    vocabulary, us_map = build_from_melo(tmp_path)
    assert list(vocabulary) == [
        Occupation("C000001", ("baker", "bread maker"), ("Bäcker/Bäckerin",)),
        Occupation("C000002", ("cook", "chef"), ("Koch/Köchin",)),
        Occupation("C000003", ("drone pilot",), ()),
    ]
    assert us_map == {"C000001": "C000001", "C000002": "C000003", "C000003": "C000002"}


def test_corpus_elements_are_grouped_in_id_order(tmp_path: Path) -> None:
    write_corpus(
        tmp_path, [("C000002_en_001", "b2"), ("C000001_en_000", "a"), ("C000002_en_000", "b")]
    )
    assert read_melo_corpus(tmp_path / "corpus_elements.tsv") == {
        "C000001": ("a",),
        "C000002": ("b", "b2"),
    }


def test_shipped_file_is_what_melo_regenerates(melo: Path, tmp_path: Path) -> None:
    out = tmp_path / "vocabulary.tsv.gz"
    main([str(melo), "--out", str(out)])
    assert out.read_bytes() == default_path().read_bytes()


def test_every_melo_label_is_in_the_vocabulary(melo: Path, vocabulary: Vocabulary) -> None:
    english = read_melo_corpus(melo / MELO_EN / "corpus_elements.tsv")
    german = read_melo_corpus(melo / MELO_DE / "corpus_elements.tsv")
    for concept, labels in german.items():
        occ = vocabulary[concept]
        assert occ.labels_de == labels
        assert occ.labels_en[: len(english[concept])] == english[concept]
    _, us_map = build_from_melo(melo)
    for us_concept, labels in read_melo_corpus(melo / MELO_US / "corpus_elements.tsv").items():
        assert set(labels) <= set(vocabulary[us_map[us_concept]].labels_en)
