"""Jobs: matching quality on a labelled benchmark, ours against BM25, both directions.

    .venv/bin/python bench/jobs_matching.py [--matching-data DIR]

The benchmark is ``bench/data/jobs_matching/`` (560 member profiles, 560 listings in German
and English, graded relevant pairs; generated from the ESCO vocabulary and the skill
vocabulary by ``generate.py`` there, method in its README.md). Two directions:

- **recommend**: each profile is a query, the listings are ranked (top 10);
- **candidates**: each listing is a query, the profiles are ranked (top 10).

**Ours** is what users get: every member (a subject who granted both job purposes, an
employment history, skills, job preferences) and every listing is imported with
``ingest_events`` into a temporary SQLite store, and each query goes through the gate:
``purposely.jobs.search.recommend(gate, member, k=10)`` and ``candidates(gate, job, employer,
k=10)`` (one shared set of pools, as in a server process; each search asks the gate, and
each candidate search is logged). The benchmark's ``concept`` fields (the truth) are not
imported.

**BM25** (``bm25s``, method "robertson"; text lower-cased, folded to ASCII and cut at every
non-alphanumeric character, as in ``bench/jobs.py``): a listing's document is its title,
skills and description; a profile's is its titles (positions and wanted titles) and skills;
both languages as they are. Recommend queries the listings' index with a profile's text,
candidates the profiles' index with a listing's text.

Metrics over the queries with at least one relevant document: nDCG@10 with gains 2^grade - 1
(grade 2: same ESCO occupation, grade 1: a related one), ideal DCG from all judged
documents; recall@10 = relevant documents (grade >= 1) in the first ten / all relevant.
Goal: ours >= 1.15 x BM25 in nDCG@10, in each direction.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s

DATA = Path(__file__).resolve().parent / "data" / "jobs_matching"
GAIN_GOAL = 1.15
K = 10
SECRET = "purposely-bench-secret"  # as bench/datagen.py
CONSENTED_AT = "2024-01-01T00:00:00Z"
POSTED_AT = "2024-02-01T00:00:00Z"


# --- the benchmark ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Benchmark:
    """Profiles and listings (as in the files) and the graded pairs."""

    profiles: list[dict[str, Any]]
    listings: list[dict[str, Any]]
    grades: dict[tuple[str, str], int]  # (profile id, listing id) -> grade

    def relevant(self, direction: str) -> dict[str, dict[str, int]]:
        """Query id -> judged document id -> grade, in ``direction``."""
        out: dict[str, dict[str, int]] = {}
        for (profile, listing), grade in self.grades.items():
            query, doc = (profile, listing) if direction == "recommend" else (listing, profile)
            out.setdefault(query, {})[doc] = grade
        return out


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]


def load_benchmark(folder: Path) -> Benchmark:
    """The benchmark's three files."""
    grades = {}
    for line in (folder / "qrels.tsv").read_text("utf-8").splitlines()[1:]:
        profile, listing, grade = line.split("\t")
        grades[profile, listing] = int(grade)
    return Benchmark(_jsonl(folder / "profiles.jsonl"), _jsonl(folder / "listings.jsonl"), grades)


def events(bench: Benchmark) -> list[dict[str, Any]]:
    """The benchmark as JSONL import events: members with both job consents, their career
    records, and the listings (the ``concept`` truth is left out)."""
    out: list[dict[str, Any]] = []
    for p in bench.profiles:
        member = p["id"]
        out.append({"type": "subject", "id": member, "handle": member, "birth_date": "1990-04-01"})
        for purpose in ("personalize.job_recommendations", "employment.recruitment"):
            out.append(
                {
                    "type": "consent",
                    "subject": member,
                    "purpose": purpose,
                    "decision": "grant",
                    "at": CONSENTED_AT,
                    "notice_version": "bench-1",
                }
            )
        for position in p["employment"]:
            out.append({"type": "employment", "subject": member, **position})
        out += [{"type": "skill", "subject": member, "name": s} for s in p["skills"]]
        out.append(
            {
                "type": "job_preferences",
                "subject": member,
                "titles": p["wanted_titles"],
                "locations": p["locations"],
                "remote": p["remote"],
                "open_to_work": True,
            }
        )
    for j in bench.listings:
        out.append(
            {
                "type": "job",
                "id": j["id"],
                "employer": j["employer"],
                "title": j["title"],
                "description": j["description"],
                "location": j["location"],
                "skills": j["skills"],
                "posted_at": POSTED_AT,
            }
        )
    return out


# --- metrics ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scores:
    """nDCG@10 and recall@10 of one ranker in one direction, and its time per query."""

    ndcg: float
    recall: float
    queries: int
    ms_per_query: float


def ndcg_at(ranking: Sequence[str], judged: dict[str, int], k: int = K) -> float:
    """nDCG@k with gains 2^grade - 1."""
    dcg = sum((2 ** judged.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranking[:k]))
    ideal = sorted(judged.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def evaluate(
    rankings: dict[str, list[str]], relevant: dict[str, dict[str, int]], seconds: float
) -> Scores:
    """Mean nDCG@10 and recall@10 over the queries with a relevant document."""
    ndcg, recall = [], []
    for query, judged in relevant.items():
        ranking = rankings.get(query, [])[:K]
        ndcg.append(ndcg_at(ranking, judged))
        recall.append(sum(1 for d in ranking if judged.get(d, 0) > 0) / len(judged))
    return Scores(
        statistics.mean(ndcg),
        statistics.mean(recall),
        len(relevant),
        1000 * seconds / len(relevant),
    )


# --- ours: through a store and the gate --------------------------------------------------------


def run_ours(bench: Benchmark) -> tuple[dict[str, dict[str, list[str]]], dict[str, float], float]:
    """Rankings per direction through ``recommend`` and ``candidates``, seconds per direction,
    and the import's seconds."""
    os.environ.setdefault("PURPOSELY_SECRET", SECRET)
    from purposely.gate import Gate
    from purposely.ingest.jsonl import ingest_events
    from purposely.jobs.search import Pools, candidates, recommend
    from purposely.policy import load_policy
    from purposely.store import Store

    rankings: dict[str, dict[str, list[str]]] = {"recommend": {}, "candidates": {}}
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="purposely-bench-") as tmp:
        store = Store.init(f"sqlite:///{Path(tmp) / 'store.db'}")
        policy = load_policy()
        started = time.perf_counter()
        ingest_events(store, policy, events(bench), "bench")
        loaded = time.perf_counter() - started
        gate = Gate(store, policy)
        pools = Pools()
        # Warm-up (builds the linker and both indexes): not timed.
        recommend(gate, bench.profiles[0]["id"], k=K, pools=pools)
        first = bench.listings[0]
        candidates(gate, first["id"], first["employer"], k=K, pools=pools)
        started = time.perf_counter()
        for p in bench.profiles:
            found = recommend(gate, p["id"], k=K, pools=pools)
            rankings["recommend"][p["id"]] = [r.listing.id for r in found.items]
        seconds["recommend"] = time.perf_counter() - started
        started = time.perf_counter()
        for j in bench.listings:
            search = candidates(gate, j["id"], j["employer"], k=K, pools=pools)
            rankings["candidates"][j["id"]] = [c.subject_id for c in search.candidates]
        seconds["candidates"] = time.perf_counter() - started
        store.engine.dispose()
    return rankings, seconds, loaded


# --- BM25 --------------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """BM25's tokenizer: lower case, ASCII, split at every non-alphanumeric character."""
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return [t for t in re.split(r"[^a-z0-9]+", folded) if t]


def listing_text(j: dict[str, Any]) -> str:
    """A listing as BM25 sees it: title, skills, description."""
    return " ".join([j["title"], *j["skills"], j["description"]])


def profile_text(p: dict[str, Any]) -> str:
    """A profile as BM25 sees it: every title (positions, wanted) and skill."""
    titles = [e["title"] for e in p["employment"]] + p["wanted_titles"]
    return " ".join([*titles, *p["skills"]])


def bm25_rankings(
    doc_ids: list[str], documents: list[str], query_ids: list[str], queries: list[str]
) -> tuple[dict[str, list[str]], float]:
    """The best K documents per query (scores above 0 only), and the seconds of retrieval."""
    index = bm25s.BM25(method="robertson")
    index.index([tokens(d) or [""] for d in documents], show_progress=False)
    started = time.perf_counter()
    found, scores = index.retrieve(
        [tokens(q) or [""] for q in queries], k=K, show_progress=False, n_threads=1
    )
    seconds = time.perf_counter() - started
    rankings = {
        q: [doc_ids[int(d)] for d, s in zip(row, row_scores, strict=True) if s > 0]
        for q, row, row_scores in zip(query_ids, found, scores, strict=True)
    }
    return rankings, seconds


def run_bm25(bench: Benchmark) -> tuple[dict[str, dict[str, list[str]]], dict[str, float]]:
    """BM25 rankings per direction and the seconds of each."""
    listing_ids = [j["id"] for j in bench.listings]
    listing_docs = [listing_text(j) for j in bench.listings]
    profile_ids = [p["id"] for p in bench.profiles]
    profile_docs = [profile_text(p) for p in bench.profiles]
    recommend, rec_s = bm25_rankings(listing_ids, listing_docs, profile_ids, profile_docs)
    found, cand_s = bm25_rankings(profile_ids, profile_docs, listing_ids, listing_docs)
    return {"recommend": recommend, "candidates": found}, {
        "recommend": rec_s,
        "candidates": cand_s,
    }


# --- the section -----------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """This section's options."""
    parser.add_argument(
        "--matching-data", type=Path, default=DATA, help="the labelled benchmark's folder"
    )


def goal(text: str, passed: bool) -> bool:
    """Print one goal line with PASS or FAIL; return whether it passed."""
    print(f"  {'PASS' if passed else 'FAIL'}  {text}")
    return passed


def run(args: argparse.Namespace) -> bool:
    """The matching table and its goal; whether the goal passed."""
    bench = load_benchmark(args.matching_data)
    by_lang = {
        "profiles": sum(p["lang"] == "de" for p in bench.profiles),
        "listings": sum(j["lang"] == "de" for j in bench.listings),
    }
    grades = list(bench.grades.values())
    print(
        f"\nmatching: {len(bench.profiles)} profiles ({by_lang['profiles']} German),"
        f" {len(bench.listings)} listings ({by_lang['listings']} German),"
        f" {grades.count(2)} pairs of grade 2 and {grades.count(1)} of grade 1"
        f" ({args.matching_data})"
    )
    ours, ours_s, loaded = run_ours(bench)
    print(f"  imported into a temporary SQLite store in {loaded:.1f} s")
    theirs, theirs_s = run_bm25(bench)
    rows: dict[tuple[str, str], Scores] = {}
    for direction in ("recommend", "candidates"):
        relevant = bench.relevant(direction)
        rows[direction, "ours"] = evaluate(ours[direction], relevant, ours_s[direction])
        rows[direction, "BM25"] = evaluate(theirs[direction], relevant, theirs_s[direction])
    header = (
        f"  {'direction':11} {'ranker':6} {'queries':>7} {'nDCG@10':>8} {'R@10':>6} {'ms/query':>9}"
    )
    print(header)
    print("  " + "-" * (len(header) - 2))
    for (direction, ranker), s in rows.items():
        print(
            f"  {direction:11} {ranker:6} {s.queries:7} {s.ndcg:8.3f} {s.recall:6.3f}"
            f" {s.ms_per_query:9.2f}"
        )
    print(
        "  (ours: one search through the gate and the store each; BM25: one batch retrieval,"
        " index built beforehand)"
    )
    print("\ngoals:")
    passed = True
    for direction in ("recommend", "candidates"):
        mine, base = rows[direction, "ours"].ndcg, rows[direction, "BM25"].ndcg
        gain = mine / base if base else math.inf
        passed &= goal(
            f"{direction}: ours >= {GAIN_GOAL:.2f} x BM25 nDCG@10"
            f" ({mine:.3f} vs {base:.3f}: {gain:.2f} x)",
            gain >= GAIN_GOAL,
        )
    return passed


def main() -> None:
    """Run this section alone; exit 1 if a goal was missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    passed = run(parser.parse_args())
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
