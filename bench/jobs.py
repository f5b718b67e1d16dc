"""Jobs: how well and how fast job titles link to ESCO occupations, against BM25.

    .venv/bin/python bench/jobs.py [--only titles|matching|latency] [--melo DIR]
                                   [--profiles 100000 1000000] [--queries 1000]

Needs the ``bench`` extra (``pip install -e '.[bench]'``, for ``bm25s``) and the MELO
benchmark folders under ``DIR`` (default: ``jobs-eval/melo`` in $PURPOSELY_SHARED_DATA, else
in ``../shared/data`` beside the checkout, else in /work/shared/data; see SOURCES.md there).
Each section is one entry of ``SECTIONS``; ``--only`` runs the named ones: ``titles`` (below),
``matching`` (bench/jobs_matching.py: nDCG@10 and recall@10 of recommendations and candidate
search on the labelled set in bench/data/jobs_matching/, against BM25) and ``latency``
(bench/jobs_latency.py: query times, index build and the time for a change to show, at
100,000 and 1,000,000 profiles).

``titles``: ``TitleLinker`` on MELO's ``deu_q_de_c_en`` (1,779 German job titles, English
ESCO labels: cross-language) and ``usa_q_en_c_en`` (633 US titles, English labels), with
MELO's metrics: each query is annotated with every label (corpus element) of one ESCO concept;
MRR is the mean of 1 / rank of the first annotated element, R@10 the share of the annotated
elements in the first ten, A@1 the share of queries whose first element is annotated. Each is
given for the odd-numbered queries ("dev", the half on which the linker's methods and settings
are chosen), the even-numbered ones ("test", the half kept for checking) and all. The
linker ranks occupations, so its ranking is expanded into elements: each occupation, best
first, brings all its labels in that set's corpus, in element id order. The first 100
occupations are ranked (everything below adds less than 0.01 to any query's reciprocal rank).

Against BM25 (``bm25s``, method "robertson" as in rank_bm25's BM25Okapi, which MELO's own
baseline uses; text lower-cased, folded to ASCII and cut at every non-alphanumeric character):
"BM25 en labels" ranks the set's English corpus elements themselves, as MELO's baseline does;
"BM25 de+en labels" ranks the vocabulary's labels in both languages (the labels our linker
sees), each occupation by its best label, expanded like ours. Depth 100 for both; labels
scoring 0 are not ranked. Throughput is titles per second of wall time: ours one title at a
time through ``link(title)``, BM25 one batch per set (its fastest use).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import bm25s

import jobs_latency
import jobs_matching
from purposely.jobs.esco import MELO_EN, MELO_US, build_from_melo, load_occupations
from purposely.jobs.titles import MIN_LINK_SCORE, TitleLinker

T = TypeVar("T")
SETS = (MELO_EN, MELO_US)  # German -> English, and English -> English
DEPTH = 100  # occupations (ours) or labels (BM25) ranked per title
MRR_GOAL = 0.60  # on German -> English
BUILD_GOAL_S = 2.0
LINK_GOAL_MS = 5.0
HALVES = ("dev", "test", "all")  # odd-numbered queries, even-numbered ones, all


def half_of(query: str) -> str:
    """ "dev" for an odd-numbered query id (Q000001), "test" for an even-numbered one."""
    return "dev" if int(query.lstrip("Q")) % 2 else "test"


def shared_data() -> Path:
    """$PURPOSELY_SHARED_DATA, else ../shared/data beside the checkout, else /work/shared/data."""
    if env := os.environ.get("PURPOSELY_SHARED_DATA"):
        return Path(env)
    beside = Path(__file__).resolve().parents[2] / "shared" / "data"
    return beside if beside.is_dir() else Path("/work/shared/data")


# --- the benchmark sets ------------------------------------------------------------------


@dataclass(frozen=True)
class MeloSet:
    """One MELO set: titles, their annotated elements, and the corpus by concept."""

    name: str
    queries: dict[str, str]  # query id -> title
    relevant: dict[str, frozenset[str]]  # query id -> annotated element ids
    elements: dict[str, tuple[str, ...]]  # set concept -> element ids, in id order
    labels: dict[str, str]  # element id -> label
    to_set: dict[str, str]  # vocabulary concept -> this set's concept


def _tsv(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text("utf-8").splitlines() if line]


def load_set(melo: Path, name: str, to_set: dict[str, str] | None) -> MeloSet:
    """Read one MELO set's folder; ``to_set`` None: its concept ids are the vocabulary's."""
    folder = melo / name
    relevant: dict[str, set[str]] = {}
    for query, _, element, _ in _tsv(folder / "annotations.tsv"):
        relevant.setdefault(query, set()).add(element)
    labels = dict(sorted((e, label) for e, label in _tsv(folder / "corpus_elements.tsv")))
    elements: dict[str, list[str]] = {}
    for element in labels:
        elements.setdefault(element.split("_", 1)[0], []).append(element)
    return MeloSet(
        name,
        dict(_tsv(folder / "queries.tsv")),
        {q: frozenset(e) for q, e in relevant.items()},
        {c: tuple(e) for c, e in elements.items()},
        labels,
        {c: c for c in elements} if to_set is None else to_set,
    )


def load_sets(melo: Path) -> list[MeloSet]:
    """Both sets, with the map from vocabulary concepts to each set's concepts."""
    # The German sets number concepts as the vocabulary does; the US set, from a later ESCO
    # release, has its own numbers (see purposely.jobs.esco).
    _, us_to_vocabulary = build_from_melo(melo)
    us_set = {vocabulary: us for us, vocabulary in us_to_vocabulary.items()}
    return [load_set(melo, MELO_EN, None), load_set(melo, MELO_US, us_set)]


# --- metrics -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scores:
    """MELO's metrics for one ranker on one set, and its throughput."""

    mrr: float
    recall_10: float
    accuracy_1: float
    titles_per_s: float  # wall time
    cpu_ms_per_title: float | None = None  # process CPU time, where measured


def metrics(
    melo_set: MeloSet, rankings: dict[str, list[str]], rate: float, cpu_ms: float | None = None
) -> dict[str, Scores]:
    """MRR, recall@10 and accuracy@1 of element rankings (query id -> element ids), for each
    of HALVES."""
    rr: dict[str, list[float]] = {half: [] for half in HALVES}
    recall: dict[str, list[float]] = {half: [] for half in HALVES}
    first: dict[str, list[bool]] = {half: [] for half in HALVES}
    for query, relevant in melo_set.relevant.items():
        ranking = rankings.get(query, [])
        rank = next((i for i, e in enumerate(ranking, 1) if e in relevant), None)
        for half in (half_of(query), "all"):
            rr[half].append(0.0 if rank is None else 1.0 / rank)
            recall[half].append(len(relevant.intersection(ranking[:10])) / len(relevant))
            first[half].append(rank == 1)
    return {
        half: Scores(
            statistics.mean(rr[half]),
            statistics.mean(recall[half]),
            statistics.mean(first[half]),
            rate,
            cpu_ms,
        )
        for half in HALVES
    }


def expand(melo_set: MeloSet, concepts: Iterable[str]) -> list[str]:
    """Vocabulary concepts, best first, as the set's elements: all labels of each in turn."""
    ranking: list[str] = []
    seen: set[str] = set()
    for concept in concepts:
        set_concept = melo_set.to_set.get(concept)
        if set_concept is not None and set_concept not in seen:
            seen.add(set_concept)
            ranking.extend(melo_set.elements.get(set_concept, ()))
    return ranking


# --- rankers -----------------------------------------------------------------------------


def run_ours(linker: TitleLinker, melo_set: MeloSet) -> dict[str, Scores]:
    """Our linker on one set: quality at depth DEPTH, throughput of ``link(title)``."""
    rankings = {
        q: expand(melo_set, (m.concept for m in linker.link(title, k=DEPTH)))
        for q, title in melo_set.queries.items()
    }
    titles = list(melo_set.queries.values())
    _, wall, cpu = timed(lambda: [linker.link(title) for title in titles])
    return metrics(melo_set, rankings, len(titles) / wall, 1000 * cpu / len(titles))


def timed(action: Callable[[], T]) -> tuple[T, float, float]:
    """``action()``, its wall time and its process CPU time, in seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def tokens(text: str) -> list[str]:
    """BM25's tokenizer: lower case, ASCII, split at every non-alphanumeric character."""
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return [t for t in re.split(r"[^a-z0-9]+", folded) if t]


def bm25_rank(documents: Sequence[str], titles: Sequence[str]) -> tuple[list[list[int]], float]:
    """BM25 over ``documents``: the indices of the best DEPTH per title, and titles per s."""
    index = bm25s.BM25(method="robertson")
    index.index([tokens(d) or [""] for d in documents], show_progress=False)
    started = time.perf_counter()
    found, scores = index.retrieve(
        [tokens(t) or [""] for t in titles], k=DEPTH, show_progress=False, n_threads=1
    )
    rate = len(titles) / (time.perf_counter() - started)
    ranked = [
        [int(d) for d, s in zip(row, row_scores, strict=True) if s > 0]
        for row, row_scores in zip(found, scores, strict=True)
    ]
    return ranked, rate


def run_bm25_english(melo_set: MeloSet) -> dict[str, Scores]:
    """BM25 over the set's English corpus elements, as MELO's baseline."""
    elements = list(melo_set.labels)
    ranked, rate = bm25_rank(
        [melo_set.labels[e] for e in elements], list(melo_set.queries.values())
    )
    rankings = {
        q: [elements[i] for i in row] for q, row in zip(melo_set.queries, ranked, strict=True)
    }
    return metrics(melo_set, rankings, rate)


def run_bm25_both(melo_set: MeloSet) -> dict[str, Scores]:
    """BM25 over the vocabulary's labels in both languages, by occupation, expanded."""
    owners, documents = [], []
    for occ in load_occupations():
        for label in occ.labels_en + occ.labels_de:
            owners.append(occ.concept)
            documents.append(label)
    ranked, rate = bm25_rank(documents, list(melo_set.queries.values()))
    rankings = {
        q: expand(melo_set, (owners[i] for i in row))
        for q, row in zip(melo_set.queries, ranked, strict=True)
    }
    return metrics(melo_set, rankings, rate)


# --- sections ----------------------------------------------------------------------------


def titles_section(args: argparse.Namespace) -> bool:
    """Title linking on MELO: the table and the goals; whether all goals passed."""
    melo: Path = args.melo
    if not (melo / MELO_EN).is_dir():
        print(f"titles: skipped, no MELO folders in {melo}")
        return True
    sets = load_sets(melo)
    vocabulary = load_occupations()
    linker, build_wall, build_cpu = timed(lambda: TitleLinker(vocabulary))
    print(
        f"\ntitles: vocabulary of {len(vocabulary):,} occupations; linker built in"
        f" {build_wall:.2f} s ({build_cpu:.2f} s CPU)"
    )
    rows: dict[tuple[str, str], dict[str, Scores]] = {}
    for melo_set in sets:
        rows[melo_set.name, "ours"] = run_ours(linker, melo_set)
        rows[melo_set.name, "BM25 en labels"] = run_bm25_english(melo_set)
        rows[melo_set.name, "BM25 de+en labels"] = run_bm25_both(melo_set)
    print_table(rows)
    coverage_line(linker, sets)
    german = rows[MELO_EN, "ours"]["all"]
    link_ms = max(rows[s.name, "ours"]["all"].cpu_ms_per_title or 0.0 for s in sets)
    print("\ngoals (times in process CPU time, steadier than wall time on a shared machine):")
    passed = goal(
        f"MRR >= {MRR_GOAL:.2f} on German->English ({german.mrr:.3f})", german.mrr >= MRR_GOAL
    )
    passed &= goal(
        f"linker built in < {BUILD_GOAL_S:.0f} s ({build_cpu:.2f} s)", build_cpu < BUILD_GOAL_S
    )
    passed &= goal(f"< {LINK_GOAL_MS:.0f} ms per title ({link_ms:.2f} ms)", link_ms < LINK_GOAL_MS)
    return passed


def print_table(rows: dict[tuple[str, str], dict[str, Scores]]) -> None:
    """One line per set, ranker and half of the queries (dev: odd-numbered, test: even)."""
    header = (
        f"  {'set':15} {'ranker':18} {'half':5} {'MRR':>6} {'R@10':>6} {'A@1':>6} {'titles/s':>10}"
    )
    print(header)
    print("  " + "-" * (len(header) - 2))
    for (name, ranker), halves in rows.items():
        for half, s in halves.items():
            rate = f"{s.titles_per_s:10,.0f}" if half == "all" else ""
            print(
                f"  {name:15} {ranker:18} {half:5} {s.mrr:6.3f} {s.recall_10:6.3f}"
                f" {s.accuracy_1:6.3f} {rate}".rstrip()
            )


def coverage_line(linker: TitleLinker, sets: list[MeloSet]) -> None:
    """How often ``link_best`` links, and how often to the annotated occupation."""
    print(f"\nlink_best (score >= {MIN_LINK_SCORE}): linked / of those, the annotated occupation")
    for melo_set in sets:
        linked = correct = 0
        for query, title in melo_set.queries.items():
            best = linker.link_best(title)
            if best is None:
                continue
            linked += 1
            elements = set(expand(melo_set, [best.concept]))
            correct += bool(elements & melo_set.relevant[query])
        total = len(melo_set.queries)
        print(f"  {melo_set.name:15} {linked / total:6.1%} / {correct / max(linked, 1):6.1%}")


def goal(text: str, passed: bool) -> bool:
    """Print one goal line with PASS or FAIL; return whether it passed."""
    print(f"  {'PASS' if passed else 'FAIL'}  {text}")
    return passed


SECTIONS: dict[str, Callable[[argparse.Namespace], bool]] = {
    "titles": titles_section,
    "matching": jobs_matching.run,
    "latency": jobs_latency.run,
}


def main() -> None:
    """Run the chosen sections; exit 1 if a goal was missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append", help="section")
    parser.add_argument("--melo", type=Path, default=shared_data() / "jobs-eval" / "melo")
    jobs_matching.add_arguments(parser)
    jobs_latency.add_arguments(parser)
    args = parser.parse_args()
    print(f"bench/jobs.py, sections: {', '.join(args.only or SECTIONS)}")
    results = [SECTIONS[name](args) for name in args.only or SECTIONS]  # run them all
    passed = all(results)
    print(f"\n{'all goals met' if passed else 'some goals missed'}")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
