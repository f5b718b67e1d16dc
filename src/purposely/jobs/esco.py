"""The ESCO occupation vocabulary in English and German, shipped with the package.

``load_occupations()`` reads ``data/esco_occupations.tsv.gz`` (columns ``concept``, ``lang``,
``label``; the first label of a concept in a language is its preferred label). The file is
derived from the MELO benchmark's processed ESCO corpora (see ``data/ATTRIBUTION.md``) and is
regenerated, byte for byte, with::

    .venv/bin/python -m purposely.jobs.esco MELO_DIR [--out PATH]

where ``MELO_DIR`` holds MELO's ``deu_q_de_c_en``, ``deu_q_de_c_de`` and ``usa_q_en_c_en``
folders (``data/processed/melo/`` of Avature/melo-benchmark at commit 014982f).

MELO numbers its concepts per benchmark set: ``C000123`` names the same concept in the two
German sets (``deu_q_de_c_en``, ``deu_q_de_c_de``), but the US set was built from a later ESCO
release and numbers its concepts differently. The German sets give the concept ids and both
languages; each US concept is matched to a German-set concept (same preferred English label,
in the same order; else the most similar set of English labels), its extra English labels are
added, and the US concepts that match none (occupations added to ESCO later, such as "data
protection officer") are kept with English labels only and new ids after the last one.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from purposely.taxonomy import Lang

DATA_PACKAGE = "purposely.jobs"
VOCABULARY_NAME = "esco_occupations.tsv.gz"
HEADER = ("concept", "lang", "label")

# The MELO folders the vocabulary is built from: English and German labels of one ESCO
# release (same concept ids), and the English labels of a later release.
MELO_EN = "deu_q_de_c_en"
MELO_DE = "deu_q_de_c_de"
MELO_US = "usa_q_en_c_en"

# Two concepts of different ESCO releases whose preferred labels differ are taken to be the
# same when at least half of their English labels are shared (a renamed occupation).
MIN_LABEL_OVERLAP = 0.5


@dataclass(frozen=True)
class Occupation:
    """One ESCO occupation (or ISCO group) with its labels, the preferred label first."""

    concept: str
    labels_en: tuple[str, ...]
    labels_de: tuple[str, ...]

    def label(self, lang: Lang = "en") -> str:
        """The preferred label in ``lang``; the English one if there is no German label."""
        if lang == "de" and self.labels_de:
            return self.labels_de[0]
        return self.labels_en[0]


@dataclass(frozen=True)
class Vocabulary:
    """Every occupation, in concept order, with look-up by concept id."""

    occupations: tuple[Occupation, ...]
    _by_concept: dict[str, Occupation] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_concept", {o.concept: o for o in self.occupations})

    def __len__(self) -> int:
        return len(self.occupations)

    def __iter__(self) -> Iterator[Occupation]:
        return iter(self.occupations)

    def __contains__(self, concept: object) -> bool:
        return concept in self._by_concept

    def __getitem__(self, concept: str) -> Occupation:
        return self._by_concept[concept]

    def get(self, concept: str) -> Occupation | None:
        """The occupation with this concept id, or None."""
        return self._by_concept.get(concept)


@cache
def load_occupations() -> Vocabulary:
    """The vocabulary shipped with the package (read once per process)."""
    data = resources.files(DATA_PACKAGE).joinpath("data").joinpath(VOCABULARY_NAME).read_bytes()
    return parse_vocabulary(gzip.decompress(data).decode("utf-8"))


def parse_vocabulary(text: str) -> Vocabulary:
    """A vocabulary from the text of a vocabulary file (TSV with a header line)."""
    lines = text.splitlines()
    if not lines or tuple(lines[0].split("\t")) != HEADER:
        raise ValueError(f"not an occupation vocabulary: the header must be {HEADER}")
    labels: dict[str, dict[str, list[str]]] = {}
    for line in lines[1:]:
        concept, lang, label = line.split("\t")
        labels.setdefault(concept, {"en": [], "de": []})[lang].append(label)
    return Vocabulary(
        tuple(
            Occupation(concept, tuple(by_lang["en"]), tuple(by_lang["de"]))
            for concept, by_lang in labels.items()
        )
    )


def vocabulary_bytes(vocabulary: Vocabulary) -> bytes:
    """The vocabulary file's content: gzip without a name or time, so the bytes repeat."""
    rows = ["\t".join(HEADER)]
    for occ in vocabulary:
        for lang, labels in (("en", occ.labels_en), ("de", occ.labels_de)):
            rows.extend(f"{occ.concept}\t{lang}\t{label}" for label in labels)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(("\n".join(rows) + "\n").encode("utf-8"))
    return buffer.getvalue()


def read_melo_corpus(path: Path) -> dict[str, tuple[str, ...]]:
    """A MELO ``corpus_elements.tsv`` as concept id -> labels, in element id order."""
    elements: list[tuple[str, str]] = []
    for line in path.read_text("utf-8").splitlines():
        element, label = line.split("\t")
        elements.append((element, label.strip()))
    corpus: dict[str, list[str]] = {}
    for element, label in sorted(elements):
        corpus.setdefault(concept_of(element), []).append(label)
    return {concept: tuple(labels) for concept, labels in corpus.items()}


def concept_of(element: str) -> str:
    """The concept id of a MELO corpus element id (``C000123_en_004`` -> ``C000123``)."""
    return element.split("_", 1)[0]


def align_concepts(
    base: Mapping[str, Sequence[str]], other: Mapping[str, Sequence[str]]
) -> dict[str, str]:
    """Which ``base`` concept each ``other`` concept is, from their English labels.

    First the preferred labels, aligned in concept order (ISCO groups repeat names, so order
    tells them apart); then, among the concepts left on both sides, the pairs sharing the most
    labels, best first, when they share at least ``MIN_LABEL_OVERLAP`` of them.
    """
    base_ids, other_ids = sorted(base), sorted(other)
    matcher = difflib.SequenceMatcher(
        None, [base[c][0] for c in base_ids], [other[c][0] for c in other_ids], autojunk=False
    )
    pairs = {
        other_ids[block.b + n]: base_ids[block.a + n]
        for block in matcher.get_matching_blocks()
        for n in range(block.size)
    }
    paired = set(pairs.values())
    left_base = [c for c in base_ids if c not in paired]
    left_other = [c for c in other_ids if c not in pairs]
    candidates = sorted(
        ((-_overlap(base[b], other[o]), o, b) for o in left_other for b in left_base),
    )
    taken: set[str] = set()
    for negative_overlap, o, b in candidates:
        if -negative_overlap < MIN_LABEL_OVERLAP:
            break
        if o not in pairs and b not in taken:
            pairs[o] = b
            taken.add(b)
    return pairs


def _overlap(a: Sequence[str], b: Sequence[str]) -> float:
    """Jaccard similarity of two label sets."""
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb)


def build_from_melo(melo_dir: Path) -> tuple[Vocabulary, dict[str, str]]:
    """The vocabulary from MELO's folders, and the US set's concept ids -> vocabulary ids."""
    english = read_melo_corpus(melo_dir / MELO_EN / "corpus_elements.tsv")
    german = read_melo_corpus(melo_dir / MELO_DE / "corpus_elements.tsv")
    us = read_melo_corpus(melo_dir / MELO_US / "corpus_elements.tsv")
    if set(english) != set(german):
        raise ValueError(f"{MELO_EN} and {MELO_DE} do not have the same concepts")
    us_to_base = align_concepts(english, us)
    extra: dict[str, list[str]] = {}
    for us_concept, concept in us_to_base.items():
        extra[concept] = [label for label in us[us_concept] if label not in english[concept]]
    # Occupations only the later release has: new ids after the last one.
    last = max(int(c[1:]) for c in english)
    for n, us_concept in enumerate(c for c in sorted(us) if c not in us_to_base):
        us_to_base[us_concept] = f"C{last + 1 + n:06d}"
    occupations = [
        Occupation(c, english[c] + tuple(extra.get(c, ())), german[c]) for c in sorted(english)
    ]
    occupations += [
        Occupation(concept, us[us_concept], ())
        for us_concept, concept in sorted(us_to_base.items(), key=lambda item: item[1])
        if concept not in english
    ]
    return Vocabulary(tuple(occupations)), us_to_base


def default_path() -> Path:
    """Where the shipped vocabulary file lives in this source tree."""
    return Path(__file__).resolve().parent / "data" / VOCABULARY_NAME


def main(argv: Sequence[str] | None = None) -> None:
    """Regenerate the vocabulary file from a MELO folder."""
    parser = argparse.ArgumentParser(
        prog="python -m purposely.jobs.esco", description=__doc__.splitlines()[0]
    )
    parser.add_argument("melo_dir", type=Path, help="MELO's data/processed/melo folder")
    parser.add_argument("--out", type=Path, default=default_path(), help="file to write")
    args = parser.parse_args(argv)
    vocabulary, _ = build_from_melo(args.melo_dir)
    args.out.write_bytes(vocabulary_bytes(vocabulary))
    both = sum(1 for occ in vocabulary if occ.labels_de)
    print(f"{args.out}: {len(vocabulary)} occupations, {both} with German labels")


if __name__ == "__main__":
    main()
