"""Link a job title, German or English, to ESCO occupations.

``TitleLinker.default().link("Softwareentwickler/in (m/w/d)")`` ranks the occupations of the
shipped vocabulary (``purposely.jobs.esco``) best first; ``link_best`` gives the best one, or
None when even that one is a poor match.

Method: the title and every label of every occupation, in both languages, are normalised the
same way (``normalise_title``: case, umlauts and ß, German gender forms, plural ``-s``,
punctuation) and compared by the cosine of their TF-IDF vectors over character 3- to 5-grams
within words, which tolerates German compounds, inflection and spelling variants. A German
title thus finds an occupation through its German labels, and the match carries the English
labels too: that is the cross-language link. An occupation scores by its best label, blended
with its preferred label (the canonical name, which alternative labels shared by several
occupations are not); equal scores go to the occupation with more labels (a specific occupation
before the ISCO group of the same name), then to the lower concept id. German training titles
("Staatlich geprüfter Techniker Fachrichtung Chemietechnik") are matched without their
qualification words, and each specialisation named after "Fachrichtung", "Schwerpunkt" or
"Teilbereich" is matched on its own too and adds to the labels' scores.

Figures on the MELO benchmark: ``bench/jobs.py --only titles``, reported in ``docs/jobs.md``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import numpy.typing as npt
from scipy import sparse

from purposely.jobs.esco import Vocabulary, load_occupations

# An occupation's score: this share from its best label, the rest from its preferred label
# (the better of the English and the German one).
BEST_LABEL_WEIGHT = 0.8
# ``link_best`` trusts no link below this score. A title that is a label of the occupation
# scores at least 0.8, gibberish or a title sharing a few n-grams with labels far less
# ("Hello world" 0.24). On the MELO titles, 0.6 keeps the best occupation for two titles in
# three, and it is the annotated one for about 70% of those (docs/jobs.md).
MIN_LINK_SCORE = 0.6
# German training titles name a specialisation after "Fachrichtung", "Schwerpunkt" or
# "Teilbereich" ("Zerspanungsmechaniker Fachrichtung Frästechnik"): each such part is matched
# on its own as well, and its label scores are added at this weight to those of the whole title.
SPECIALISATION_WEIGHT = 0.4
_SPECIALISATION_MARKS = frozenset({"fachrichtung", "schwerpunkt", "teilbereich"})
# Words of a qualification, not of an occupation ("Staatlich geprüfter Techniker"), left out of
# the whole title's match; the specialisation marks too.
_QUALIFICATION_WORDS = _SPECIALISATION_MARKS | {"staatlich", "gepruft", "geprufte", "geprufter"}

# Gender marks, removed in one pass: "(m/w/d)", "(w/m/d)", "m/f/d", "(all genders)"; feminine
# endings written into the word: "Entwickler/in", "/-in", "*in", ":in", "_in", "(in)",
# "EntwicklerIn" (the capital I is case-sensitive), plurals "-innen"; and "Kaufmann/-frau".
_GENDER_MARKS = re.compile(
    r"\(\s*(?:[mwfdx]|div|divers|all\s+genders?|gn)(?:\s*[/|,]\s*(?:[mwfdx]|div|divers))*\s*\)"
    r"|\b[mwfd](?:\s*/\s*[mwfdx]){1,3}\b"
    r"|(?:[/*:_]\s*-?|\()in(?:nen)?\)?(?![a-zäöüß])"
    r"|(?-i:(?<=[a-zäöüß])In(?:nen)?(?![a-zäöüß]))"
    r"|/\s*-?\s*frau(?![a-zäöüß])",
    re.IGNORECASE,
)
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d"})  # no NFKD form

# Words ending in "in" that are not the feminine form of another word.
_NOT_FEMININE = frozenset(
    {
        "admin",
        "basin",
        "berlin",
        "bulletin",
        "cabin",
        "cousin",
        "delfin",
        "disziplin",
        "insulin",
        "kamin",
        "latin",
        "magazin",
        "margin",
        "medizin",
        "muffin",
        "origin",
        "penguin",
        "protein",
        "resin",
        "termin",
        "toxin",
        "vitamin",
        "violin",
        "benzin",
        "paraffin",
        "kaolin",
        "harlekin",
        "pumpkin",
        "skin",
        "twin",
    }
)
# Words that say nothing about the occupation: seniority, working time, a stray gender letter.
_STOPWORDS = frozenset(
    {
        "senior",
        "junior",
        "sr",
        "jr",
        "ii",
        "iii",
        "iv",
        "teilzeit",
        "vollzeit",
        "fulltime",
        "parttime",
        "befristet",
        "unbefristet",
        "m",
        "w",
        "d",
        "f",
        "x",
    }
)


def normalise_title(title: str) -> str:
    """A job title reduced to lower-case ASCII words, masculine and singular.

    "Softwareentwickler/in (m/w/d)", "Softwareentwickler*in", "SoftwareentwicklerIn" and
    "Softwareentwicklerin" all become "softwareentwickler"; a word repeated by a gender pair
    ("Steinmetz/Steinmetzin") is kept once.
    """
    text = title if title.isascii() else unicodedata.normalize("NFKC", title)
    text = _GENDER_MARKS.sub(" ", text).casefold()  # casefold also turns "ß" into "ss"
    if not text.isascii():
        # Umlauts and accents lose their marks ("ä" -> "a"); other non-ASCII letters go.
        text = unicodedata.normalize("NFKD", text.translate(_FOLD))
        text = text.encode("ascii", "ignore").decode("ascii")
    words: list[str] = []
    for raw in _NOT_WORD.split(text):
        word = _fold_word(raw)
        if word and word not in _STOPWORDS and not _repeats(word, words):
            words.append(word)
    return " ".join(words)


def _repeats(word: str, words: list[str]) -> bool:
    """Whether ``word`` is already in ``words``, as itself or as the other gender's adjective.

    "Staatlich geprüfter Techniker/Staatlich geprüfte Technikerin": "geprüfte" repeats
    "geprüfter", and the reverse.
    """
    if word in words:
        return True
    if word.endswith("e"):
        return word + "r" in words
    return word.endswith("er") and word[:-1] in words


@lru_cache(maxsize=1 << 16)
def _fold_word(word: str) -> str:
    """One word's masculine singular: "Lehrerin" -> "lehrer", "Kauffrau" -> "kaufmann"."""
    if len(word) > 5 and word not in _NOT_FEMININE:
        if word.endswith("innen"):
            word = _masculine(word[:-5])
        elif word.endswith("in") and word[-3] not in "aeiouy":
            word = _masculine(word[:-2])
    if len(word) > 5 and word.endswith("frau"):
        word = word[:-4] + "mann"
    return _singular(word)


def _masculine(stem: str) -> str:
    """The masculine of a feminine stem: "psycholog" (from "Psychologin") -> "psychologe"."""
    return stem + "e" if stem.endswith("og") else stem


def _singular(word: str) -> str:
    """English plurals to singular ("developers" -> "developer", "nannies" -> "nanny")."""
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes")):
        return word[:-2]
    return word[:-1]


@dataclass(frozen=True)
class ConceptMatch:
    """An occupation a title links to, with its preferred labels and the match score (0-1)."""

    concept: str
    label_en: str
    label_de: str
    score: float


class TitleLinker:
    """Ranks the occupations of a vocabulary by how well their labels match a title."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        """Index every label of every occupation in both languages (about a second)."""
        self._vocabulary = vocabulary
        texts, pairs, preferred = _label_rows(vocabulary)
        owners = np.array([owner for owner, _ in pairs], dtype=np.int64)
        # Each occupation's label rows, grouped by occupation, for a maximum per group.
        self._owner_rows = np.array([row for _, row in pairs], dtype=np.int64)
        self._group_starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        self._groups = owners[self._group_starts]
        # Row -1 reads the zero appended to the label scores: "no such label".
        self._preferred = np.array(preferred, dtype=np.int64)
        self._sizes = np.array([len(o.labels_en) + len(o.labels_de) for o in vocabulary])
        self._index = _NgramIndex(texts)

    @classmethod
    @cache
    def default(cls) -> TitleLinker:
        """The linker over the shipped vocabulary, built once per process."""
        return cls(load_occupations())

    def scores(self, title: str) -> npt.NDArray[np.float64]:
        """Every occupation's score for ``title``, in vocabulary order (0 where none match)."""
        whole, specialisations = _title_parts(normalise_title(title))
        label_scores = self._index.cosines(whole)
        if specialisations:
            for part in specialisations:
                label_scores += SPECIALISATION_WEIGHT * self._index.cosines(part)
            # Back to at most 1, as a label's cosine; the ranking is the same.
            label_scores /= 1.0 + SPECIALISATION_WEIGHT * len(specialisations)
        label_scores = np.append(label_scores, 0.0)
        best = np.zeros(len(self._vocabulary))
        best[self._groups] = np.maximum.reduceat(label_scores[self._owner_rows], self._group_starts)
        preferred = label_scores[self._preferred].max(axis=1)
        return np.asarray(
            BEST_LABEL_WEIGHT * best + (1 - BEST_LABEL_WEIGHT) * preferred, dtype=np.float64
        )

    def link(self, title: str, k: int = 10) -> list[ConceptMatch]:
        """The ``k`` best occupations for ``title``, best first, each once; none if none match.

        Equal scores go to the occupation with more labels, then to the lower concept id, so
        the answer never depends on chance.
        """
        scores = self.scores(title)
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > k:
            # Keep every candidate tied with the k-th best: ties are broken below.
            kth = -np.partition(-scores[candidates], k - 1)[k - 1]
            candidates = candidates[scores[candidates] >= kth]
        order = np.lexsort((candidates, -self._sizes[candidates], -scores[candidates]))
        return [self._match(int(i), float(scores[i])) for i in candidates[order][:k]]

    def link_best(self, title: str) -> ConceptMatch | None:
        """The best occupation for ``title``, or None if it scores below ``MIN_LINK_SCORE``."""
        best = self.link(title, k=1)
        return best[0] if best and best[0].score >= MIN_LINK_SCORE else None

    def _match(self, index: int, score: float) -> ConceptMatch:
        occ = self._vocabulary.occupations[index]
        return ConceptMatch(occ.concept, occ.label("en"), occ.label("de"), round(score, 6))


def _title_parts(text: str) -> tuple[str, list[str]]:
    """A normalised title without its qualification words, and its specialisations.

    "staatlich geprufter techniker fachrichtung chemietechnik schwerpunkt laboratoriumstechnik"
    -> ("techniker chemietechnik laboratoriumstechnik", ["chemietechnik",
    "laboratoriumstechnik"]). A title of qualification words alone is kept whole.
    """
    words = text.split()
    whole = " ".join(w for w in words if w not in _QUALIFICATION_WORDS) or text
    parts: list[list[str]] = [[]]
    for word in words:
        if word in _SPECIALISATION_MARKS:
            parts.append([])
        else:
            parts[-1].append(word)
    return whole, [" ".join(part) for part in parts[1:] if part]


def _label_rows(
    vocabulary: Vocabulary,
) -> tuple[list[str], list[tuple[int, int]], list[tuple[int, int]]]:
    """The distinct normalised labels; (occupation index, label row) pairs in order; and the
    rows of each occupation's preferred English and German labels (-1: none)."""
    texts: dict[str, int] = {}  # equal labels of several occupations share a row
    pairs: set[tuple[int, int]] = set()
    preferred: list[tuple[int, int]] = []
    for index, occ in enumerate(vocabulary):
        rows = [
            texts.setdefault(text, len(texts)) if (text := normalise_title(label)) else -1
            for label in occ.labels_en + occ.labels_de
        ]
        pairs.update((index, row) for row in rows if row >= 0)
        preferred.append((rows[0], rows[len(occ.labels_en)] if occ.labels_de else -1))
    return list(texts), sorted(pairs), preferred


class _NgramIndex:
    """TF-IDF vectors of label texts over character 3- to 5-grams within words.

    The weighting of scikit-learn's ``TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5),
    sublinear_tf=True)``: n-grams of each word padded with a space, tf = 1 + ln(count),
    idf = 1 + ln((1 + labels) / (1 + labels with the n-gram)), vectors of length 1. A label's
    n-grams are the sum of its words' n-grams, and labels share most of their words, so each
    distinct word is cut into n-grams once.
    """

    def __init__(self, labels: list[str]) -> None:
        word_ids: dict[str, int] = {}
        label_words = _count_matrix(
            [[word_ids.setdefault(w, len(word_ids)) for w in label.split()] for label in labels]
        )
        self._ids: dict[str, int] = {}
        word_ngrams = _count_matrix(
            [[self._ids.setdefault(g, len(self._ids)) for g in _ngrams(w)] for w in word_ids]
        )
        counts = (label_words @ word_ngrams).tocsr()
        self._size = len(labels)
        self._idf = 1.0 + np.log((1.0 + self._size) / (1.0 + np.bincount(counts.indices)))
        counts.data = (1.0 + np.log(counts.data)) * self._idf[counts.indices]
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        # Transposed (n-gram x label): a query adds up the rows of its n-grams.
        self._postings = (sparse.diags(1.0 / norms) @ counts).T.tocsr()

    def cosines(self, text: str) -> npt.NDArray[np.float64]:
        """The cosine of ``text`` (normalised) with every label, in label order."""
        counts: dict[int, int] = {}
        for word in text.split():
            for gram in _ngrams(word):
                if (gram_id := self._ids.get(gram)) is not None:
                    counts[gram_id] = counts.get(gram_id, 0) + 1
        if not counts:
            return np.zeros(self._size)
        ids = np.fromiter(counts, dtype=np.int64, count=len(counts))
        weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))) * self._idf[ids]
        # Unknown n-grams count in the title's length: a title half unknown matches half.
        unknown = sum(1 for w in text.split() for g in _ngrams(w) if g not in self._ids)
        weights /= np.sqrt(np.dot(weights, weights) + unknown * self._idf.max() ** 2)
        starts = self._postings.indptr[ids]
        lengths = self._postings.indptr[ids + 1] - starts
        # Positions of all (n-gram, label) entries of the title's n-grams, in one array.
        offsets = np.repeat(starts - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
        positions = np.arange(int(lengths.sum())) + offsets
        label_weights = self._postings.data[positions] * np.repeat(weights, lengths)
        cosines = np.bincount(self._postings.indices[positions], label_weights, self._size)
        return np.asarray(cosines, dtype=np.float64)


@lru_cache(maxsize=1 << 16)
def _ngrams(word: str) -> tuple[str, ...]:
    """The character 3- to 5-grams of a word padded with a space on each side."""
    padded = f" {word} "
    if len(padded) <= 3:
        return (padded,)
    return tuple(padded[i : i + n] for n in (3, 4, 5) for i in range(len(padded) - n + 1))


def _count_matrix(rows: list[list[int]]) -> sparse.csr_matrix:
    """A count matrix with one row per list of column ids (every id used at least once)."""
    columns = np.fromiter((c for row in rows for c in row), dtype=np.int64)
    lengths = np.fromiter((len(row) for row in rows), dtype=np.int64, count=len(rows))
    shape = (len(rows), int(columns.max()) + 1)
    matrix = sparse.csr_matrix(
        (np.ones(len(columns)), columns, np.r_[0, np.cumsum(lengths)]), shape=shape
    )
    matrix.sum_duplicates()
    return matrix
