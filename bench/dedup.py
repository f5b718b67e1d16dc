"""Deduplication speed, memory and accuracy, against datasketch's MinHashLSH.

    .venv/bin/python bench/dedup.py [--posts 1000000] [--anchor-posts 20000] [--seed 7]
                                    [--exact 0.08] [--near 0.12]
                                    [--threshold 0.7] [--num-perm 64] [--bands 12]
                                    [--repeat 3]

Linux only (memory is read from /proc).

Generates synthetic public posts in German and English (20 to 280 characters, words drawn
from a Zipf-like vocabulary, with links, mentions, hashtags and emoji), a known share of
them copies of earlier posts: exact copies and near copies of the kinds a platform sees (a
different link, an emoji added, case changed, a retweet prefix, a word edited, ...), plus
posts filled in from shared templates ("same topic", which must *not* be merged). The sample
order is shuffled, so a copy may come before its original. Everything is drawn from one
seeded ``random.Random``: the same arguments give the same posts and the same answer.

Measured: posts/s and CPU seconds of ``Deduplicator.deduplicate`` (sketch + cluster; the
best of ``--repeat`` runs, which must all give the same answer), its peak memory above what
the process held before (``VmHWM`` after resetting it through ``/proc/self/clear_refs``;
small runs first, so that memory a run freed and the allocator kept cannot hide a bigger
run's), and precision and recall against the ground truth: a post is a true duplicate when
it is not the first of its family in sample order, and a reported duplicate is correct when
it names a post of its own family. Recall is also given per kind of copy.

The anchor, measured in the same run on the first ``--anchor-posts`` posts: the usual
datasketch loop (``MinHash`` of the same 5-character shingles of the same comparison text,
128 permutations, ``MinHashLSH`` at the same threshold, each post queried against the kept
ones before it is inserted; identical comparison texts caught by a dict first), and ours on
the same posts. The ratio is ours over datasketch in posts/s.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from purposely.datasets.dedup import Deduplicator
from purposely.datasets.minhash import comparison_text

GOAL_SECONDS_PER_MILLION = 10.0  # CPU seconds for 1,000,000 posts
GOAL_EXTRA_MB = 300

# --- synthetic posts ---------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


_COMMON = {
    "en": _words(
        "the be to of and a in that have it for not on with he as you do at this but his by "
        "from they we say her she or an will my one all would there their what so up out if "
        "about who get which go me when make can like time no just him know take people into "
        "year your good some could them see other than then now look only come its over think "
        "also back after use two how our work first well way even new want because any these "
        "give day most us today really great thanks love team week night morning coffee city "
        "train rain weekend talk code data release bug fix meeting book music game friends"
    ),
    "de": _words(
        "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch "
        "es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über "
        "einen so zum war haben nur oder aber vor zur bis mehr durch man sehr schon wenn hier "
        "heute morgen endlich wieder immer gerade wirklich danke Team Woche Abend Kaffee Stadt "
        "Bahn Regen Wochenende Vortrag Daten Fehler Treffen Buch Musik Spiel Freunde neue gut "
        "ich du wir ihr mein dein unser kein alle viele ganz gleich lange kurz warum weil doch"
    ),
}
_SYLLABLES = {
    "en": _words("ar be ca de el fin gra hol in jo ka lo mi nor op pa quin ro sta tor un ver wil"),
    "de": _words("al ber chen dorf ei feld gen hau isch kel lin mann no ost pfe reich sch tal ung"),
}
_EMOJI = ["😀", "😂", "🎉", "🔥", "👍", "❤️", "🙈", "☀️", "🚆", "☕", "👍🏽", "🙏"]
_TLDS = ["de", "com", "org", "net", "io"]
_TEMPLATES = {
    "en": [
        "Good morning {place}! {n} degrees and {weather} today, {word} {word} {word}.",
        "Just finished a {n}k run around {place} in {m} minutes. {word} {word}!",
        "New blog post: {title} - what I learned about {word} and {word}",
        "Happy birthday {name}! Hope your {word} is as {word} as you are.",
    ],
    "de": [
        "Guten Morgen {place}! Heute {n} Grad und {weather}, {word} {word} {word}.",
        "Gerade {n} km um {place} gelaufen, {m} Minuten. {word} {word}!",
        "Neuer Blogbeitrag: {title} - was ich über {word} und {word} gelernt habe",
        "Alles Gute zum Geburtstag, {name}! Viel {word} und {word} im neuen Jahr.",
    ],
}
_WEATHER = {
    "en": ["sun", "rain", "fog", "snow", "wind", "clouds"],
    "de": ["Sonne", "Regen", "Nebel", "Schnee", "Wind", "Wolken"],
}


class Vocabulary:
    """Common words plus generated topic words per language, drawn Zipf-like."""

    def __init__(self, rng: random.Random, topic_words: int = 40_000) -> None:
        self.words: dict[str, list[str]] = {}
        self.weights: dict[str, list[float]] = {}
        for lang, common in _COMMON.items():
            syllables = _SYLLABLES[lang]
            topics = {
                "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
                for _ in range(topic_words)
            }
            ranked = sorted(topics)
            rng.shuffle(ranked)
            words = common + ranked
            weights = [1.0 / (rank + 10) for rank in range(len(words))]
            total = 0.0
            cumulative = []
            for w in weights:
                total += w
                cumulative.append(total)
            self.words[lang] = words
            self.weights[lang] = cumulative
        self.places = [self._name(rng, "de") for _ in range(300)]
        self.names = [self._name(rng, "en") for _ in range(500)]

    def _name(self, rng: random.Random, lang: str) -> str:
        return "".join(rng.choice(_SYLLABLES[lang]) for _ in range(2)).capitalize()

    def sample(self, rng: random.Random, lang: str, count: int) -> list[str]:
        """``count`` words of ``lang``."""
        return rng.choices(self.words[lang], cum_weights=self.weights[lang], k=count)


def _link(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return "https://t.co/" + "".join(
            rng.choices("abcdefghijkmnpqrstuvwxyzABCDEFGH0123456789", k=10)
        )
    path = "-".join(rng.choices(["news", "blog", "2024", "post", "artikel", "data"], k=2))
    return f"https://example.{rng.choice(_TLDS)}/{path}/{rng.randint(1, 99999)}"


def _handle(rng: random.Random) -> str:
    return "@" + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz_", k=rng.randint(4, 12)))


def _length(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.3:
        return rng.randint(20, 60)
    if roll < 0.8:
        return rng.randint(60, 160)
    return rng.randint(160, 280)


def original(rng: random.Random, vocab: Vocabulary) -> str:
    """A new post: words, some punctuation, maybe a mention, hashtags, a link, an emoji."""
    lang = "de" if rng.random() < 0.5 else "en"
    target = _length(rng)
    parts: list[str] = []
    size = -1
    while size < target:
        word = vocab.sample(rng, lang, 1)[0]
        if rng.random() < 0.08:
            word += rng.choice([",", ".", "!", "?", ":"])
        parts.append(word)
        size += len(word) + 1
    parts[0] = parts[0].capitalize()
    extras = []
    if rng.random() < 0.1:
        parts.insert(0, _handle(rng))
    if rng.random() < 0.2:
        extras.append("#" + vocab.sample(rng, lang, 1)[0])
    if rng.random() < 0.25:
        extras.append(_link(rng))
    if rng.random() < 0.15:
        extras.append(rng.choice(_EMOJI))
    return " ".join(parts + extras)[:280]


def templated(rng: random.Random, vocab: Vocabulary) -> str:
    """A post filled in from a shared template: same topic and wording, different details."""
    lang = "de" if rng.random() < 0.5 else "en"
    text = rng.choice(_TEMPLATES[lang])
    words = iter(vocab.sample(rng, lang, 8))
    fill = {
        "{place}": lambda: rng.choice(vocab.places),
        "{name}": lambda: rng.choice(vocab.names),
        "{n}": lambda: str(rng.randint(1, 35)),
        "{m}": lambda: str(rng.randint(20, 90)),
        "{weather}": lambda: rng.choice(_WEATHER[lang]),
        "{title}": lambda: " ".join(vocab.sample(rng, lang, 4)).capitalize(),
        "{word}": lambda: next(words),
    }
    for slot, value in fill.items():
        while slot in text:
            text = text.replace(slot, value(), 1)
    return text


def _words_edit(rng: random.Random, text: str, vocab: Vocabulary) -> str:
    words = text.split(" ")
    i = rng.randrange(len(words))
    roll = rng.random()
    new = vocab.sample(rng, "de" if rng.random() < 0.5 else "en", 1)[0]
    if roll < 0.4:
        words[i] = new
    elif roll < 0.7:
        words.insert(i, new)
    else:
        del words[i]
    return " ".join(words)


def _typo(rng: random.Random, text: str) -> str:
    letters = [i for i in range(len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()]
    if not letters:
        return text + "."
    i = rng.choice(letters)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _retweet(rng: random.Random, text: str) -> str:
    shared = f"RT {_handle(rng)}: {text}"
    return shared if len(shared) <= 280 else shared[:279] + "…"


def _case(rng: random.Random, text: str) -> str:
    return rng.choice([str.upper, str.lower, str.title, str.swapcase])(text)


def _spacing(rng: random.Random, text: str) -> str:
    text = text.replace(" ", "  ", rng.randint(1, 3)).replace(",", "")
    return text + rng.choice(["!!!", " ...", "\n", " ?"])


def _truncate(rng: random.Random, text: str) -> str:
    keep = max(20, int(len(text) * rng.uniform(0.85, 0.95)))
    return text[:keep].rstrip() + "…"


def _link_change(rng: random.Random, text: str) -> str:
    words = [w for w in text.split(" ") if "://" not in w]
    return " ".join(words) + " " + _link(rng) if rng.random() < 0.8 else " ".join(words)


# Kinds of near copy: (name, how to make it, applies to posts of at least this many words).
MUTATIONS: list[tuple[str, Callable[[random.Random, str, Vocabulary], str], int]] = [
    ("link", lambda rng, t, v: _link_change(rng, t), 1),
    ("emoji", lambda rng, t, v: f"{t} {rng.choice(_EMOJI)}", 1),
    ("case", lambda rng, t, v: _case(rng, t), 1),
    ("whitespace", lambda rng, t, v: _spacing(rng, t), 1),
    ("retweet", lambda rng, t, v: _retweet(rng, t), 1),
    ("mention", lambda rng, t, v: f"{_handle(rng)} {t}", 1),
    ("hashtag", lambda rng, t, v: f"{t} #{v.sample(rng, 'en', 1)[0]}", 3),
    ("typo", lambda rng, t, v: _typo(rng, t), 4),
    ("word", _words_edit, 8),
    ("truncate", lambda rng, t, v: _truncate(rng, t), 12),
]


@dataclass
class Corpus:
    """Posts in sample order, each with its family (ground truth) and how it was made."""

    texts: list[str] = field(default_factory=list)
    family: list[int] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)


def generate(posts: int, seed: int, exact_share: float, near_share: float) -> Corpus:
    """``posts`` posts: originals and templated posts, exact and near copies, shuffled."""
    rng = random.Random(seed)
    vocab = Vocabulary(rng)
    n_exact, n_near = int(posts * exact_share), int(posts * near_share)
    n_orig = posts - n_exact - n_near
    corpus = Corpus()
    families: dict[str, int] = {}
    for _ in range(n_orig):
        kind = "template" if rng.random() < 0.05 else "original"
        text = templated(rng, vocab) if kind == "template" else original(rng, vocab)
        # Two originals that came out the same are one family: they are exact duplicates.
        family = families.setdefault(text, len(families))
        corpus.texts.append(text)
        corpus.family.append(family)
        corpus.kind.append(kind)
    viral = max(1, n_orig // 100)
    for copy in range(n_exact + n_near):
        # Half the copies are of a few "viral" posts, the rest of any post.
        source = rng.randrange(viral) if rng.random() < 0.5 else rng.randrange(n_orig)
        text = corpus.texts[source]
        kind = "exact"
        if copy >= n_exact:
            kind, text = _mutate(rng, text, vocab)
        corpus.texts.append(text)
        corpus.family.append(corpus.family[source])
        corpus.kind.append(kind)
    order = list(range(posts))
    rng.shuffle(order)
    return Corpus(
        [corpus.texts[i] for i in order],
        [corpus.family[i] for i in order],
        [corpus.kind[i] for i in order],
    )


def _mutate(rng: random.Random, text: str, vocab: Vocabulary) -> tuple[str, str]:
    words = len(text.split())
    name, mutate, min_words = rng.choice(MUTATIONS)
    while words < min_words:
        name, mutate, min_words = rng.choice(MUTATIONS)
    return name, mutate(rng, text, vocab)


# --- measuring ------------------------------------------------------------------------------


def _memory_mb() -> tuple[float, float]:
    """Current and peak resident set size of this process, in MB."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, value = line.split(":")
            values[key] = int(value.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def _reset_peak() -> float:
    """Reset the peak RSS to the current RSS (Linux), return the current RSS in MB."""
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")
    return _memory_mb()[0]


@dataclass
class Run:
    """One measured deduplication of ``posts`` posts."""

    name: str
    posts: int
    seconds: float
    cpu: float
    extra_mb: float
    of: list[int]

    @property
    def rate(self) -> float:
        return self.posts / self.seconds


def measure(
    name: str, texts: Sequence[str], dedup: Callable[[Sequence[str]], list[int]], repeat: int = 1
) -> Run:
    """Run ``dedup`` on ``texts`` ``repeat`` times: the best time, the highest peak memory
    above the baseline (the first run's, as later ones reuse what it freed). Every repeat
    must give the same answer."""
    best: Run | None = None
    for _ in range(repeat):
        base = _reset_peak()
        wall, cpu = time.perf_counter(), time.process_time()
        of = dedup(texts)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        run = Run(name, len(texts), wall, cpu, _memory_mb()[1] - base, of)
        if best is not None:
            if run.of != best.of:
                raise AssertionError(f"{name}: a repeat gave another answer")
            run.seconds, run.cpu = min(run.seconds, best.seconds), min(run.cpu, best.cpu)
            run.extra_mb = max(run.extra_mb, best.extra_mb)
        best = run
    assert best is not None
    return best


def ours(detector: Deduplicator) -> Callable[[Sequence[str]], list[int]]:
    """``Deduplicator.deduplicate`` as a function giving ``of`` (-1 for kept)."""
    return lambda texts: detector.deduplicate(texts).of.tolist()


def datasketch_lsh(threshold: float, num_perm: int) -> Callable[[Sequence[str]], list[int]]:
    """The anchor: datasketch's MinHash and MinHashLSH, one post at a time."""
    from datasketch import MinHash, MinHashLSH

    def run(texts: Sequence[str]) -> list[int]:
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        exact: dict[str, int] = {}
        kept: dict[int, MinHash] = {}
        of: list[int] = []
        for i, text in enumerate(texts):
            compared = comparison_text(text)
            if compared in exact:
                of.append(exact[compared])
                continue
            m = MinHash(num_perm=num_perm)
            shingles = {compared[j : j + 5] for j in range(max(1, len(compared) - 4))}
            m.update_batch([s.encode() for s in shingles if s])
            matches = [k for k in lsh.query(m) if kept[k].jaccard(m) >= threshold]
            target = min(matches) if matches else -1
            of.append(target)
            if target < 0:
                exact[compared] = i
                kept[i] = m
                if compared:
                    lsh.insert(i, m)
            else:
                exact[compared] = target
        return of

    return run


@dataclass
class Accuracy:
    """Precision and recall of reported duplicates against the families."""

    precision: float
    recall: float
    reported: int
    truth: int
    recall_by_kind: dict[str, float]


def accuracy(corpus: Corpus, of: Sequence[int], n: int) -> Accuracy:
    """Score ``of`` for the first ``n`` posts of ``corpus``."""
    family = corpus.family[:n]
    seen: set[int] = set()
    truth = [False] * n
    for i, f in enumerate(family):
        truth[i] = f in seen
        seen.add(f)
    correct = [k >= 0 and family[k] == family[i] for i, k in enumerate(of)]
    reported = sum(k >= 0 for k in of)
    hits = sum(c and t for c, t in zip(correct, truth, strict=True))
    by_kind: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for i in range(n):
        if truth[i]:
            by_kind[corpus.kind[i]] += 1
            found[corpus.kind[i]] += correct[i]
    return Accuracy(
        precision=sum(correct) / reported if reported else 1.0,
        recall=hits / sum(truth) if any(truth) else 1.0,
        reported=reported,
        truth=sum(truth),
        recall_by_kind={k: found[k] / by_kind[k] for k in sorted(by_kind)},
    )


def _digest(of: Sequence[int]) -> str:
    """A short fingerprint of an answer, to compare runs and machines."""
    return hashlib.sha256(np.asarray(of, dtype="<i8").tobytes()).hexdigest()[:16]


def _row(run: Run, acc: Accuracy) -> str:
    return (
        f"| {run.name} | {run.posts:,} | {run.seconds:.2f} | {run.cpu:.2f} | {run.rate:,.0f} "
        f"| {run.extra_mb:,.0f} MB | {acc.precision:.4f} | {acc.recall:.4f} |"
    )


def main() -> None:
    """Generate, measure ours at full size and both at the anchor size, print tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--anchor-posts", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--exact", type=float, default=0.08, help="share of exact copies")
    parser.add_argument("--near", type=float, default=0.12, help="share of near copies")
    parser.add_argument("--threshold", type=float, default=0.7)
    parser.add_argument("--num-perm", type=int, default=64)
    parser.add_argument("--bands", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours, best counts")
    args = parser.parse_args()

    started = time.perf_counter()
    corpus = generate(args.posts, args.seed, args.exact, args.near)
    chars = sum(map(len, corpus.texts)) / len(corpus.texts)
    print(
        f"generated {args.posts:,} posts ({chars:.0f} characters on average, "
        f"{Counter(corpus.kind).most_common()}) in {time.perf_counter() - started:.1f} s"
    )
    detector = Deduplicator(args.threshold, args.num_perm, args.bands)
    detector.deduplicate(corpus.texts[:1000])  # build the lookup tables outside the timing
    anchor_n = min(args.anchor_posts, args.posts)
    anchor_texts = corpus.texts[:anchor_n]
    small = measure("ours (anchor size)", anchor_texts, ours(detector), args.repeat)
    runs = [
        small,
        measure("datasketch MinHashLSH", anchor_texts, datasketch_lsh(args.threshold, 128)),
        small
        if anchor_n == args.posts
        else measure("ours", corpus.texts, ours(detector), args.repeat),
    ]
    scores = [accuracy(corpus, run.of, run.posts) for run in runs]
    print()
    print("| run | posts | seconds | CPU s | posts/s | extra peak RSS | precision | recall |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for i, (run, acc) in enumerate(zip(runs, scores, strict=True)):
        if i == 0 or run is not runs[0]:  # at --anchor-posts = --posts, one run of ours
            print(_row(run, acc))
    print()
    print(f"ratio ours/datasketch at {anchor_n:,} posts: {runs[0].rate / runs[1].rate:.1f}x")
    full = scores[2]
    print(f"duplicates: {full.truth:,} true, {full.reported:,} reported; recall by kind:")
    print(", ".join(f"{k} {v:.3f}" for k, v in full.recall_by_kind.items()))
    print(f"answer fingerprint: {_digest(runs[2].of)}")
    print()
    scale = 1_000_000 / args.posts
    cpu_per_million = runs[2].cpu * scale
    goals = [
        ("CPU per 1,000,000 posts < 10 s", f"{cpu_per_million:.2f} s", cpu_per_million < 10),
        (f"extra peak RSS < {GOAL_EXTRA_MB} MB", f"{runs[2].extra_mb:.0f} MB",
         runs[2].extra_mb < GOAL_EXTRA_MB),
    ]  # fmt: skip
    for goal, value, ok in goals:
        print(f"{goal}: {value} {'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
