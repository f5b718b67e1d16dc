"""Jobs: search latency, index build time and memory, and how soon a change shows.

    .venv/bin/python bench/jobs_latency.py [--profiles 100000 1000000] [--listings 50000]
                                           [--queries 1000] [--store-members 10000] [--seed 7]

Linux only (memory is read from /proc). Each size runs in its own process, so that its
memory figures start from a clean interpreter:

1. **Synthetic profiles** (``JobProfile``, as the gate's records would give them), with a
   realistic skew: the ESCO occupation of each title and each skill are drawn from Zipf
   distributions (exponent 1.0) over the vocabulary's 3,634 concepts and the skill
   vocabulary's keys (ranks shuffled with the seed), 1 to 3 concepts of weight 0.5 to 1.0, 3
   to 10 skills, 1 or 2 of 40 places (Zipf too), a fifth wanting remote work. Listings
   (``ListingTerms``) are drawn the same way, 1 or 2 concepts and 2 to 8 skills each.
2. **Build**: ``CandidateIndex(profiles)`` and ``ListingIndex(listings)``, built directly (no
   store, no gate): wall seconds, and memory as the growth of the process's resident set
   (``VmRSS``) across the build, after the documents were made (so: the index's own
   structures, not the profiles); also the memory of the profile objects themselves and the
   process's peak (``VmHWM``).
3. **Latency**, per query, after a warm-up of ``--queries // 5`` queries that are not
   counted: *candidates* (a random listing -> the best 20 profiles) and *recommend* (a random
   profile -> the best 10 of ``--listings`` listings), p50, p95, p99 and max of
   ``--queries`` queries each, wall time of ``index.search`` (scores, top k, the matches
   with their reasons).
4. **Change to visible**, in the index: 20 times, a profile made to fit a query listing
   best is upserted, then that listing is searched; the time of the upsert and of
   upsert + search, and whether the profile was found (it must be).

Then, on a small store (the members of ``bench/data/jobs_matching`` repeated up to
``--store-members``, imported with ``ingest_events`` into a temporary SQLite store), the
whole path a user sees: ``candidates()`` for a listing (which refreshes the ``CandidatePool``
from the gate before searching), then one change imported with ``ingest_events``, then the
next ``candidates()``: (a) the top candidate withdraws their consent to recruitment (they
must be gone), (b) a member who did not match gains the listing's title and skills (they
must appear). Reported: the import's seconds, the next search's seconds, and their sum;
twice: just after the import (every member's writes then lie within the pool's look-back
window, ``purposely.jobs.search.LAG``, 15 minutes, which each refresh reads again), and with
every write stamp moved an hour back (as if the import were an hour old: steady state).

Goal: p95 < 50 ms for both searches at the largest size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

P95_GOAL_MS = 50.0
CANDIDATES_K = 20
RECOMMEND_K = 10
ZIPF = 1.0
PLACES = 40
CHANGES = 20


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def rss_mb() -> float:
    """The process's resident set now, in MB."""
    return _status_kib("VmRSS") / 1024


def peak_mb() -> float:
    """The process's peak resident set, in MB."""
    return _status_kib("VmHWM") / 1024


# --- synthetic documents ---------------------------------------------------------------------


class Draw:
    """Zipf-skewed draws of concepts, skills and places."""

    def __init__(self, seed: int) -> None:
        from purposely.jobs.esco import load_occupations
        from purposely.jobs.skills import vocabulary
        from purposely.jobs.terms import TitleConcept

        self.rng = np.random.default_rng(seed)
        occupations = list(load_occupations())
        self.rng.shuffle(occupations)  # which occupations are common: at random
        self.concepts = occupations
        skills = sorted(vocabulary().skills)
        self.rng.shuffle(skills)
        self.skills = skills
        self.places = [f"city{i:02d}" for i in range(PLACES)]
        self.TitleConcept = TitleConcept

    def _zipf(self, n: int, size: int) -> np.ndarray:
        weights = 1.0 / np.arange(1, n + 1) ** ZIPF
        return self.rng.choice(n, size=size, p=weights / weights.sum())

    def terms(
        self, count: int, concepts: tuple[int, int], skills: tuple[int, int]
    ) -> list[tuple[list[Any], tuple[str, ...], tuple[str, ...], bool]]:
        """``count`` documents' (concepts, skills, places, remote)."""
        n_concepts = self.rng.integers(concepts[0], concepts[1] + 1, size=count)
        n_skills = self.rng.integers(skills[0], skills[1] + 1, size=count)
        n_places = self.rng.integers(1, 3, size=count)
        c_draw = iter(self._zipf(len(self.concepts), int(n_concepts.sum())).tolist())
        s_draw = iter(self._zipf(len(self.skills), int(n_skills.sum())).tolist())
        p_draw = iter(self._zipf(PLACES, int(n_places.sum())).tolist())
        weights = iter(np.round(self.rng.uniform(0.5, 1.0, int(n_concepts.sum())), 3).tolist())
        remote = (self.rng.random(count) < 0.2).tolist()
        out = []
        for i in range(count):
            chosen: dict[int, float] = {}
            for _ in range(n_concepts[i]):
                chosen[next(c_draw)] = next(weights)
            concepts_ = [
                self.TitleConcept(o.concept, o.labels_en[0], o.label("de"), w)
                for o, w in sorted(
                    ((self.concepts[c], w) for c, w in chosen.items()),
                    key=lambda ow: ow[0].concept,
                )
            ]
            skills_ = tuple(sorted({self.skills[next(s_draw)] for _ in range(n_skills[i])}))
            places = tuple(sorted({self.places[next(p_draw)] for _ in range(n_places[i])}))
            out.append((concepts_, skills_, places, remote[i]))
        return out

    def profiles(self, count: int, first_pk: int = 1) -> list[Any]:
        """``count`` profiles, subject pks from ``first_pk``."""
        from purposely.jobs.profiles import JobProfile

        categories = ("user.employment", "user.job_preferences", "user.skills")
        return [
            JobProfile(
                subject_pk=first_pk + i,
                concepts=tuple(concepts),
                skills=skills,
                locations=places,
                remote=remote,
                open_to_work=remote,
                titles=tuple(c.label_en for c in concepts),
                categories=categories,
                records=len(skills) + 2,
            )
            for i, (concepts, skills, places, remote) in enumerate(
                self.terms(count, (1, 3), (3, 10))
            )
        ]

    def listings(self, count: int, prefix: str = "job") -> list[Any]:
        """``count`` listings' terms."""
        from purposely.jobs.matching import ListingTerms

        return [
            ListingTerms(f"{prefix}{i:07d}", tuple(concepts), skills, places[0], remote)
            for i, (concepts, skills, places, remote) in enumerate(
                self.terms(count, (1, 2), (2, 8))
            )
        ]


# --- one size, in a child process ------------------------------------------------------------


def percentiles(ms: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99 and max of ``ms``."""
    q = np.percentile(np.array(ms), [50, 95, 99])
    return {"p50": float(q[0]), "p95": float(q[1]), "p99": float(q[2]), "max": max(ms)}


def timed_queries(search: Callable[[Any], Any], queries: Sequence[Any], warm: int) -> list[float]:
    """Milliseconds of each query after the first ``warm`` (run, not counted)."""
    for query in queries[:warm]:
        search(query)
    times = []
    for query in queries[warm:]:
        started = time.perf_counter()
        search(query)
        times.append(1000 * (time.perf_counter() - started))
    return times


def child(size: int, listings: int, queries: int, seed: int) -> dict[str, Any]:
    """Everything measured at one number of profiles."""
    import gc

    from purposely.jobs.matching import CandidateIndex, ListingIndex
    from purposely.jobs.profiles import JobProfile

    draw = Draw(seed)
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    profiles = draw.profiles(size)
    made_s = time.perf_counter() - started
    listing_terms = draw.listings(listings)
    gc.collect()
    docs_mb = rss_mb() - before
    base = built_from = rss_mb()
    gc.disable()  # a collection during the timed build would be a cost of the objects made
    started = time.perf_counter()
    candidates_index = CandidateIndex(profiles)
    build_s = time.perf_counter() - started
    gc.enable()
    gc.collect()
    build_mb = rss_mb() - base
    base = rss_mb()
    started = time.perf_counter()
    listing_index = ListingIndex(listing_terms)
    listing_build_s = time.perf_counter() - started
    listing_mb = rss_mb() - base

    rng = random.Random(seed)
    warm = queries // 5
    query_listings = draw.listings(queries + warm, prefix="q")
    query_profiles = rng.sample(profiles, queries + warm)
    cand_ms = timed_queries(
        lambda t: candidates_index.search(t, CANDIDATES_K), query_listings, warm
    )
    rec_ms = timed_queries(lambda p: listing_index.search(p, RECOMMEND_K), query_profiles, warm)

    # One change: a profile that fits a listing best, upserted, then the listing searched.
    upsert_ms, visible_ms, found = [], [], 0
    for i, terms in enumerate(rng.sample(query_listings, CHANGES)):
        if not terms.concepts:
            continue
        profile = JobProfile(
            subject_pk=size + 1 + i,
            concepts=tuple(
                draw.TitleConcept(c.concept, c.label_en, c.label_de, 1.0) for c in terms.concepts
            ),
            skills=tuple(sorted(set(terms.skills))),
            locations=(terms.place,) if terms.place else (),
            remote=terms.remote,
            open_to_work=True,
            titles=(terms.concepts[0].label_en,),
            categories=("user.employment",),
            records=1,
        )
        started = time.perf_counter()
        candidates_index.upsert(profile)
        upserted = time.perf_counter()
        ranked = candidates_index.search(terms, CANDIDATES_K)
        done = time.perf_counter()
        upsert_ms.append(1000 * (upserted - started))
        visible_ms.append(1000 * (done - started))
        found += any(r.doc.subject_pk == profile.subject_pk for r in ranked)
    return {
        "profiles": size,
        "listings": listings,
        "made_s": made_s,
        "docs_mb": docs_mb,
        "build_s": build_s,
        "build_mb": build_mb,
        "listing_build_s": listing_build_s,
        "listing_mb": listing_mb,
        "indexes_after_mb": rss_mb() - built_from,
        "peak_mb": peak_mb(),
        "candidates": percentiles(cand_ms),
        "recommend": percentiles(rec_ms),
        "upsert_ms": statistics.median(upsert_ms),
        "visible_ms": statistics.median(visible_ms),
        "visible_max_ms": max(visible_ms),
        "changes": len(visible_ms),
        "changes_found": found,
        "_keep": len(profiles) + len(listing_terms) > 0,
    }


def run_size(size: int, args: argparse.Namespace) -> dict[str, Any]:
    """Run one size in a child process; its figures."""
    command = [sys.executable, __file__, "--child", str(size), "--listings", str(args.listings)]
    command += ["--queries", str(args.queries), "--seed", str(args.seed)]
    out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
    result: dict[str, Any] = json.loads(out)
    return result


# --- the store path --------------------------------------------------------------------------


def store_path(members: int) -> dict[str, Any]:
    """Change-to-visible through a store, the gate and the CandidatePool's refresh."""
    import jobs_matching

    os.environ.setdefault("PURPOSELY_SECRET", jobs_matching.SECRET)
    from purposely.gate import Gate
    from purposely.ingest.jsonl import ingest_events
    from purposely.jobs.search import Pools, candidates
    from purposely.policy import load_policy
    from purposely.store import Store

    bench = jobs_matching.load_benchmark(jobs_matching.DATA)
    copies = max(1, -(-members // len(bench.profiles)))
    profiles = [
        {**p, "id": p["id"] if c == 0 else f"{p['id']}-{c}"}
        for c in range(copies)
        for p in bench.profiles
    ][:members]
    copied = jobs_matching.Benchmark(profiles, bench.listings, {})
    result: dict[str, Any] = {"members": len(profiles)}
    with tempfile.TemporaryDirectory(prefix="purposely-bench-") as tmp:
        store = Store.init(f"sqlite:///{Path(tmp) / 'store.db'}")
        policy = load_policy()
        started = time.perf_counter()
        ingest_events(store, policy, jobs_matching.events(copied), "bench")
        result["import_s"] = time.perf_counter() - started
        gate, pools = Gate(store, policy), Pools()
        listing = bench.listings[0]
        changed: set[str] = set()

        def search() -> tuple[list[str], float]:
            started = time.perf_counter()
            found = candidates(gate, listing["id"], listing["employer"], k=20, pools=pools)
            return [c.subject_id for c in found.candidates], time.perf_counter() - started

        def scenario() -> dict[str, Any]:
            figures: dict[str, Any] = {}
            ranked, figures["warm_search_s"] = search()
            # (a) the top candidate withdraws their consent to recruitment.
            leaving = ranked[0]
            withdraw = {
                "type": "consent",
                "subject": leaving,
                "purpose": "employment.recruitment",
                "decision": "withdraw",
                "at": datetime.now(UTC).isoformat(),
                "notice_version": "bench-1",
            }
            figures["withdraw"] = change(store, policy, ingest_events, [withdraw], search)
            figures["withdraw"]["ok"] = leaving not in figures["withdraw"].pop("ranked")
            # (b) a member outside the results gains the listing's title and skills.
            outside = next(
                p["id"] for p in profiles if p["id"] not in ranked and p["id"] not in changed
            )
            changed.update((leaving, outside))
            gained = [
                {
                    "type": "employment",
                    "subject": outside,
                    "title": listing["title"],
                    "employer": "Bench GmbH",
                    "start": "2025-01",
                    "end": None,
                }
            ] + [{"type": "skill", "subject": outside, "name": s} for s in listing["skills"]]
            figures["record"] = change(store, policy, ingest_events, gained, search)
            figures["record"]["ok"] = outside in figures["record"].pop("ranked")
            return figures

        _, result["first_search_s"] = search()  # builds the pool
        # Just imported: every member's writes lie in the pool's look-back window (LAG).
        result["fresh"] = scenario()
        # As if the import were an hour old: the write stamps moved back by an hour.
        backdate(store, timedelta(hours=1))
        result["aged"] = scenario()
        result["rebuilds"] = pools.candidate_pool().rebuilds
        result["rereads"] = pools.candidate_pool().rereads
        store.engine.dispose()
    return result


def backdate(store: Any, by: timedelta) -> None:
    """Stamp every record and member as written ``by`` ago (the import's stamps are all
    within seconds of now)."""
    from sqlalchemy import update

    from purposely.store.models import Record, Subject

    then = datetime.now(UTC) - by
    with store.write() as conn:
        for model in (Record, Subject):
            conn.execute(update(model).values(updated_at=then))


def change(
    store: Any,
    policy: Any,
    ingest: Callable[..., Any],
    lines: list[dict[str, Any]],
    search: Callable[[], tuple[list[str], float]],
) -> dict[str, Any]:
    """Import ``lines``, then search: the seconds of each and the new ranking."""
    started = time.perf_counter()
    ingest(store, policy, lines, "change")
    write_s = time.perf_counter() - started
    ranked, search_s = search()
    return {
        "write_s": write_s,
        "search_s": search_s,
        "total_s": write_s + search_s,
        "ranked": ranked,
    }


# --- the section -----------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """This section's options."""
    parser.add_argument(
        "--profiles", type=int, nargs="+", default=[100_000, 1_000_000], help="index sizes"
    )
    parser.add_argument("--listings", type=int, default=50_000, help="listings for recommend")
    parser.add_argument("--queries", type=int, default=1000, help="timed queries per search")
    parser.add_argument(
        "--store-members", type=int, default=10_000, help="members of the store path"
    )
    parser.add_argument("--seed", type=int, default=7)


def goal(text: str, passed: bool) -> bool:
    """Print one goal line with PASS or FAIL; return whether it passed."""
    print(f"  {'PASS' if passed else 'FAIL'}  {text}")
    return passed


def run(args: argparse.Namespace) -> bool:
    """The latency tables and the goal; whether it passed."""
    print(
        f"\nlatency: synthetic profiles {', '.join(f'{n:,}' for n in args.profiles)};"
        f" {args.listings:,} listings; {args.queries:,} timed queries per search"
        f" after {args.queries // 5:,} of warm-up; one process per size"
    )
    results = [run_size(size, args) for size in args.profiles]
    header = (
        f"  {'profiles':>9} {'search':10} {'k':>3} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
        f" {'max ms':>7}"
    )
    print(header)
    print("  " + "-" * (len(header) - 2))
    for r in results:
        for name, k in (("candidates", CANDIDATES_K), ("recommend", RECOMMEND_K)):
            q = r[name]
            print(
                f"  {r['profiles']:9,} {name:10} {k:3} {q['p50']:7.2f} {q['p95']:7.2f}"
                f" {q['p99']:7.2f} {q['max']:7.2f}"
            )
    print("\n  build (wall s; memory: growth of the resident set during the build)")
    header = (
        f"  {'profiles':>9} {'profiles made':>14} {'their MB':>9} {'index s':>8} {'index MB':>9}"
        f" {'listings s':>11} {'listings MB':>12} {'peak MB':>8}"
    )
    print(header)
    print("  " + "-" * (len(header) - 2))
    for r in results:
        print(
            f"  {r['profiles']:9,} {r['made_s']:13.1f}s {r['docs_mb']:9,.0f} {r['build_s']:8.1f}"
            f" {r['build_mb']:9,.0f} {r['listing_build_s']:11.1f} {r['listing_mb']:12,.0f}"
            f" {r['peak_mb']:8,.0f}"
        )
    print("\n  one change in the index: upsert, then search (median of the changes)")
    for r in results:
        print(
            f"  {r['profiles']:9,} upsert {r['upsert_ms']:.2f} ms, upsert + search"
            f" {r['visible_ms']:.1f} ms (max {r['visible_max_ms']:.1f}),"
            f" found {r['changes_found']}/{r['changes']}"
        )
    s = store_path(args.store_members)
    print(
        f"\n  through a store ({s['members']:,} members, SQLite, imported in"
        f" {s['import_s']:.1f} s): the first candidates() {1000 * s['first_search_s']:.0f} ms"
        " (builds the pool); then, one change imported and the next candidates():"
    )
    for when, label in (("fresh", "just imported"), ("aged", "import 1 h old")):
        sc = s[when]
        print(f"  {label}: candidates() alone {1000 * sc['warm_search_s']:.0f} ms")
        for name, what in (("withdraw", "consent withdrawn"), ("record", "records added")):
            c = sc[name]
            print(
                f"    {what:18} import {1000 * c['write_s']:6.1f} ms + next candidates()"
                f" {1000 * c['search_s']:6.1f} ms = {1000 * c['total_s']:6.1f} ms,"
                f" {'reflected' if c['ok'] else 'NOT reflected'}"
            )
    print(f"  pool: {s['rebuilds']} build(s), {s['rereads']} member(s) read again")
    print("\ngoals:")
    largest = max(results, key=lambda r: r["profiles"])
    passed = True
    for name in ("candidates", "recommend"):
        p95 = largest[name]["p95"]
        passed &= goal(
            f"{name} p95 < {P95_GOAL_MS:.0f} ms at {largest['profiles']:,} profiles ({p95:.1f} ms)",
            p95 < P95_GOAL_MS,
        )
    passed &= goal(
        "a changed profile shows in the next search (index and store paths)",
        all(r["changes_found"] == r["changes"] for r in results)
        and all(s[w][c]["ok"] for w in ("fresh", "aged") for c in ("withdraw", "record")),
    )
    return passed


def main() -> None:
    """Run this section alone (or, with --child, one size); exit 1 if a goal was missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.listings, args.queries, args.seed)))
        return
    passed = run(args)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
