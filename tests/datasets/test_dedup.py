"""Duplicate detection for dataset builds: what counts as a duplicate, which post is kept,
and that the answer does not depend on runs, hash seeds, chunking or the executor."""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import random
import subprocess
import sys
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from purposely.datasets.dedup import Deduplicator, Duplicates, Sketch, _components
from purposely.datasets.minhash import MinHasher, _code_points, _nfkc, comparison_text

LONG_DE = (
    "Heute Morgen mit dem Rad an der Spree entlang gefahren, die Sonne kam gerade raus und "
    "die Stadt war noch ganz ruhig. Danach Kaffee im Lieblingscafé in Kreuzberg."
)
LONG_EN = (
    "Just shipped a small fix that took three days to find and one line to change. "
    "Thanks to everyone on the team who helped me dig through the logs this week"
)
SHORT = "Guten Morgen aus Berlin, heute wird es sonnig!"


def dedup(texts: list[str], **params: Any) -> Duplicates:
    """Deduplicate with default parameters (or the ones given)."""
    return Deduplicator(**params).deduplicate(texts)


def fingerprint(result: Duplicates) -> str:
    """Bytes of an answer, hashed: equal answers give equal fingerprints."""
    data = result.of.astype("<i8").tobytes() + result.kinds.tobytes()
    return hashlib.sha256(data).hexdigest()


# --- what is a duplicate ----------------------------------------------------------------------


def test_identical_posts_are_exact_duplicates_of_the_first() -> None:
    result = dedup([LONG_DE, LONG_EN, LONG_DE, SHORT, LONG_DE])
    assert result.duplicate_of() == [None, None, 0, None, 0]
    assert result.kind_of() == [None, None, "exact", None, "exact"]
    assert result.counts() == {"kept": 3, "exact": 2, "near": 0}
    assert result.kept.tolist() == [0, 1, 3]


@pytest.mark.parametrize(
    "variant",
    [
        LONG_EN.upper(),
        "  " + LONG_EN.replace(" ", "\n  ", 3) + "  ",
        LONG_EN.replace(",", "").replace(".", "!!!"),
        LONG_EN + " https://t.co/AbCdEf1234",
        LONG_EN + " 😀🎉",
        "RT @someone: " + LONG_EN,
        "@alice @bob " + LONG_EN,
        LONG_EN.replace("team", "Team") + " www.example.org/post",
    ],
    ids=["upper", "whitespace", "punctuation", "link", "emoji", "retweet", "mentions", "www"],
)
def test_variants_that_normalise_away_are_exact(variant: str) -> None:
    result = dedup([LONG_EN, variant])
    assert result.duplicate_of() == [None, 0]
    assert result.kind(1) == "exact"


@pytest.mark.parametrize(
    "variant",
    [
        LONG_DE.replace("Kreuzberg", "Neukölln"),
        LONG_DE.replace("ganz ruhig", "ruhig"),
        LONG_DE + " #radfahren",
        LONG_DE[:-12] + "…",
        LONG_DE.replace("gefahren", "gefaheren"),
        LONG_EN.replace("three days", "three whole days"),
        LONG_EN + " (edited)",
    ],
    ids=["word", "deleted", "hashtag", "truncated", "typo", "inserted", "edited"],
)
def test_small_edits_are_near_duplicates(variant: str) -> None:
    result = dedup([LONG_DE if "Spree" in variant else LONG_EN, variant])
    assert result.duplicate_of() == [None, 0]
    assert result.kind(1) == "near"


def test_a_different_link_on_a_short_post_is_still_a_duplicate() -> None:
    texts = ["Neuer Blogpost! https://example.org/a", "Neuer Blogpost!! https://t.co/xyz 🎉"]
    assert dedup(texts).duplicate_of() == [None, 0]


def test_posts_on_the_same_topic_are_not_merged() -> None:
    texts = [
        "Guten Morgen Berlin! Heute 21 Grad und Sonne, perfekt für eine Radtour an der Spree.",
        "Guten Morgen Hamburg! Heute 14 Grad und Regen, ich bleibe mit einem Buch zu Hause.",
        "Guten Morgen München! Heute 25 Grad, ab in den Englischen Garten mit Freunden.",
        "Just finished a 10k run around the lake in 52 minutes. New personal best!",
        "Just finished a 5k run along the river in 31 minutes, legs are tired.",
        "Our team is hiring data engineers in Berlin who like reliable pipelines.",
        "Our team is hiring designers in Hamburg who care about accessibility.",
        "Happy birthday Anna! Hope your year is full of sunshine and good books.",
        "Happy birthday Ben! Hope the new job treats you well, see you on Friday.",
    ]
    result = dedup(texts)
    assert result.duplicate_of() == [None] * len(texts)


def test_threshold_decides_how_near_is_near() -> None:
    edited = LONG_EN.replace("small fix", "tiny patch").replace("one line", "two lines")
    assert dedup([LONG_EN, edited], threshold=0.6).duplicate_of() == [None, 0]
    assert dedup([LONG_EN, edited], threshold=0.95).duplicate_of() == [None, None]


def test_near_duplicates_form_clusters_kept_by_their_first_member() -> None:
    texts = [
        SHORT,
        LONG_EN + " #one",
        LONG_DE,
        LONG_EN + " #two",
        LONG_EN,
        LONG_DE + " 😀",
        LONG_EN + " #one",
    ]
    result = dedup(texts)
    assert result.duplicate_of() == [None, None, None, 1, 1, 2, 1]
    assert result.kind_of() == [None, None, None, "near", "near", "exact", "exact"]


# --- which post is kept ---------------------------------------------------------------------


def test_order_decides_which_post_is_kept() -> None:
    texts = [LONG_EN + " https://t.co/a", SHORT, LONG_EN + " #news"]
    assert dedup(texts).duplicate_of() == [None, None, 0]
    assert dedup(texts[::-1]).duplicate_of() == [None, None, 0]
    assert dedup([SHORT, texts[2], texts[0]]).duplicate_of() == [None, None, 1]


def test_duplicates_always_name_an_earlier_kept_post() -> None:
    rng = random.Random(5)
    base = [f"{LONG_EN} {i} {rng.random()}" for i in range(40)] + [LONG_DE, SHORT]
    texts = [
        rng.choice(base) + rng.choice(["", " 😀", " #x", " https://a.b/c"]) for _ in range(400)
    ]
    result = dedup(texts)
    for i, k in enumerate(result.duplicate_of()):
        if k is not None:
            assert k < i
            assert result.of[k] == -1


# --- empty and short texts ------------------------------------------------------------------


def test_empty_and_very_short_texts() -> None:
    texts = ["", "", " ", "a", "a", "A!", "ab", "abc", "abcd", "abcde", "abcdf", "😀", "🎉"]
    result = dedup(texts)
    assert result.duplicate_of() == [
        None, 0, None, None, 3, 3, None, None, None, None, None, None, None,
    ]  # fmt: skip


def test_posts_that_are_only_links_or_emoji_are_compared_by_their_raw_text() -> None:
    texts = ["https://t.co/a", "https://t.co/b", "https://t.co/a", "@alice", "😀", "😀"]
    assert dedup(texts).duplicate_of() == [None, None, 0, None, None, 4]


def test_no_texts() -> None:
    detector = Deduplicator()
    sketch = detector.sketch([])
    assert sketch.signatures.shape == (0, 64)
    assert sketch.exact.shape == (0, 2)
    assert detector.find_duplicates([]) == []


# --- the comparison text --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello   World! https://t.co/abc", "hello world"),
        ("RT @alice: Hello World 😀", "hello world"),
        ("rt @alice hello", "hello"),
        ("RT is not a retweet marker alone", "rt is not a retweet marker alone"),
        ("STRASSE und Straße", "strasse und strasse"),
        ("don't \u2019cause", "dont cause"),
        ("[EMAIL] schrieb <PHONE>: hi {NAME_1}", "schrieb hi"),
        ("<3 you [x]", "3 you x"),
        ("@a@b.social hi, mail me: anna@example.org", "hi mail me"),
        ("\uff26\uff55\uff4c\uff4c \uff57\uff49\uff44\uff54\uff48 \ufb01ne", "full width fine"),
        ("WWW.Example.com text", "text"),
        ("Kolleg*innen #hashtag", "kolleg innen hashtag"),
        ("❤️ love 👍🏽 it", "love it"),
        ("Ärger über Öl", "ärger über öl"),
        ("e\u0301te\u0301", "été"),
        ("W\u030a \u1e98", "\u1e98 \u1e98"),
        ("\u00df\u0301", "s\u015b"),
        ("a\u200bb\u00adc", "abc"),
        ("line\u2028break\ttab\r\nnew", "line break tab new"),
        ("nul\x00inside", "nul inside"),
        ("", ""),
        ("  \n ", ""),
    ],
)
def test_comparison_text(text: str, expected: str) -> None:
    assert comparison_text(text) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(max_size=12)
        | st.sampled_from(["e\u0301", "\u1100\u1161\u11a8", "\ufb01", "\u2026", "a\u0301\u0316"]),
        max_size=6,
    )
)
def test_only_posts_that_need_it_are_normalised_and_the_block_equals_nfkc(
    texts: list[str],
) -> None:
    joined = "\x00".join(t.replace("\x00", " ") for t in texts)
    normalised = _nfkc(_code_points(joined))
    assert np.array_equal(normalised, _code_points(unicodedata.normalize("NFKC", joined)))


def test_the_content_hash_is_blake2b_of_the_comparison_text() -> None:
    text = "Grüße aus Köln! https://t.co/x"
    expected = hashlib.blake2b(
        comparison_text(text).encode(), digest_size=16, person=b"purposely.dedup"
    ).digest()
    exact = Deduplicator().sketch([text]).exact
    assert exact.astype("<u8").tobytes() == expected


# --- determinism ----------------------------------------------------------------------------


def corpus(n: int, seed: int = 3) -> list[str]:
    """Posts with duplicates of every kind, deterministic."""
    rng = random.Random(seed)
    words = (LONG_DE + " " + LONG_EN).split() + [f"w{i}" for i in range(300)]
    base = [" ".join(rng.choices(words, k=rng.randint(3, 40))) for _ in range(n // 2)]
    out = []
    for _ in range(n):
        text = rng.choice(base)
        roll = rng.random()
        if roll < 0.2:
            text = text.upper()
        elif roll < 0.4:
            text += " " + rng.choice(["😀", "https://t.co/q", "#tag", "(edited)"])
        out.append(text)
    return out


def test_same_input_same_answer() -> None:
    texts = corpus(3000)
    first = dedup(texts)
    second = Deduplicator().deduplicate(list(texts))
    assert fingerprint(first) == fingerprint(second)
    assert first.counts()["exact"] > 0
    assert first.counts()["near"] > 0


_SCRIPT = """
import hashlib, sys
sys.path.insert(0, {root!r})
from tests.datasets.test_dedup import corpus
from purposely.datasets.dedup import Deduplicator
detector = Deduplicator(seed=11)
sketch = detector.sketch(corpus(1500))
result = detector.cluster(sketch.signatures, sketch.exact)
data = sketch.exact.astype("<u8").tobytes() + sketch.signatures.astype("<u2").tobytes()
data += result.of.astype("<i8").tobytes() + result.kinds.tobytes()
print(hashlib.sha256(data).hexdigest())
"""


def test_same_answer_under_every_python_hash_seed() -> None:
    script = _SCRIPT.format(root=str(Path(__file__).resolve().parents[2]))
    digests = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        digests.add(done.stdout.strip())
    assert len(digests) == 1


def test_chunked_sketches_cluster_like_one_sketch() -> None:
    """What a Ray or multiprocessing executor does: sketch chunks apart, cluster on the
    driver. Chunk edges fall inside and across the internal blocks."""
    texts = corpus(2600)
    detector = Deduplicator()
    whole = detector.sketch(texts)
    edges = [0, 1, 8, 1000, 1024, 1025, 2100, 2600]
    parts = [detector.sketch(texts[a:b]) for a, b in itertools.pairwise(edges)]
    joined = Sketch.concat(parts)
    assert np.array_equal(joined.exact, whole.exact)
    assert np.array_equal(joined.signatures, whole.signatures)
    chunked = detector.cluster(joined.signatures, joined.exact)
    assert fingerprint(chunked) == fingerprint(detector.deduplicate(texts))


def test_sketches_from_other_processes_cluster_like_local_ones() -> None:
    """Workers are separate interpreters, each with its own hash seed: their chunks must
    still be the driver's bytes."""
    texts = corpus(1200)
    detector = Deduplicator()
    chunks = [texts[i : i + 300] for i in range(0, len(texts), 300)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        parts = list(pool.map(detector.sketch, chunks))
    joined = Sketch.concat(parts)
    local = detector.sketch(texts)
    assert np.array_equal(joined.exact, local.exact)
    assert np.array_equal(joined.signatures, local.signatures)


def test_a_post_is_sketched_the_same_whatever_its_neighbours() -> None:
    hasher = MinHasher()
    alone = hasher.sketch([LONG_DE])
    among = hasher.sketch(["RT", "@x", LONG_DE, "www.a.de", "…"])
    assert np.array_equal(among.exact[2], alone.exact[0])
    assert np.array_equal(among.signatures[2], alone.signatures[0])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("abcäöüßAB @#:/.w, \n😀…\u0301")), max_size=40),
        max_size=30,
    ),
    st.integers(min_value=0, max_value=30),
)
def test_any_chunking_gives_the_same_sketch(texts: list[str], cut: int) -> None:
    hasher = MinHasher()
    whole = hasher.sketch(texts)
    parts = Sketch.concat([hasher.sketch(texts[:cut]), hasher.sketch(texts[cut:])])
    assert np.array_equal(parts.exact, whole.exact)
    assert np.array_equal(parts.signatures, whole.signatures)
    for i, text in enumerate(texts):
        assert comparison_text(comparison_text(text)) == comparison_text(text)
        assert np.array_equal(hasher.sketch([text]).signatures[0], whole.signatures[i])


def test_the_seed_changes_signatures_but_not_clear_answers() -> None:
    texts = [LONG_EN, SHORT, LONG_EN + " #x", LONG_DE, LONG_DE.upper()]
    a, b = Deduplicator(seed=1), Deduplicator(seed=2)
    assert not np.array_equal(a.sketch(texts).signatures, b.sketch(texts).signatures)
    assert a.find_duplicates(texts) == b.find_duplicates(texts) == [None, None, 0, None, 3]


# --- the estimate and the parts -------------------------------------------------------------


def shingles(text: str) -> set[str]:
    """5-character shingles of the comparison text, as MinHasher defines them."""
    text = comparison_text(text)
    return {text[i : i + 5] for i in range(max(1, len(text) - 4))}


def test_signatures_estimate_jaccard_without_bias() -> None:
    rng = random.Random(9)
    words = [f"{rng.choice('bdfgklmnprst')}{rng.choice('aeiou')}{i}" for i in range(2000)]
    hasher = MinHasher()
    errors = []
    for length in (4, 10, 40):
        pairs = []
        for _ in range(150):
            a = rng.choices(words, k=length)
            b = list(a)
            for _ in range(rng.randint(0, 2)):
                b[rng.randrange(length)] = rng.choice(words)
            pairs.append((" ".join(a), " ".join(b)))
        left = hasher.sketch([a for a, _ in pairs]).signatures
        right = hasher.sketch([b for _, b in pairs]).signatures
        estimate = (left == right).mean(axis=1)
        truth = np.array(
            [len(shingles(a) & shingles(b)) / len(shingles(a) | shingles(b)) for a, b in pairs]
        )
        errors.append(estimate - truth)
        assert abs(float((estimate - truth).mean())) < 0.02
    assert float(np.sqrt(np.mean(np.concatenate(errors) ** 2))) < 0.07


def test_components_take_the_smallest_member_as_root() -> None:
    m = 10
    pairs = np.array([8 * m + 9, 2 * m + 9, 5 * m + 6, 3 * m + 4, 1 * m + 4], dtype=np.int64)
    assert _components(pairs, m).tolist() == [0, 1, 2, 1, 1, 5, 5, 7, 2, 2]


# --- misuse ---------------------------------------------------------------------------------


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="threshold"):
        Deduplicator(threshold=0)
    with pytest.raises(ValueError, match="bands"):
        Deduplicator(num_perm=16, bands=17)
    with pytest.raises(ValueError, match="num_perm"):
        MinHasher(num_perm=1)
    with pytest.raises(ValueError, match="shingle"):
        MinHasher(shingle=0)
    with pytest.raises(ValueError, match="no sketches"):
        Sketch.concat([])


def test_sketches_of_other_parameters_are_refused() -> None:
    sketch = Deduplicator(num_perm=32, bands=8).sketch([LONG_EN])
    detector = Deduplicator()
    with pytest.raises(ValueError, match="same parameters"):
        detector.cluster(sketch.signatures, sketch.exact)
    ours = detector.sketch([LONG_EN, SHORT])
    with pytest.raises(ValueError, match="exact_hashes"):
        detector.cluster(ours.signatures, ours.exact[:1])
    with pytest.raises(ValueError, match="uint16"):
        detector.cluster(ours.signatures.astype(np.int32), ours.exact)  # type: ignore[arg-type]
