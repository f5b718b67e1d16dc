"""Dataset build speed and memory: ``purposely dataset build`` of 1,000,000 posts, and a rebuild.

    .venv/bin/python bench/build.py [--posts 1000000 --subjects 100000] [--only local|ray]
                                    [--database sqlite|postgresql] [--seed 5]

Linux only (CPU time and memory of the process tree are read from /proc).

Generates a platform (seeded, synthetic): ``--subjects`` members (countries, ages and
AI-training decisions mixed as below, so that the gate withholds about a third of the posts)
and ``--posts`` public and private posts of 20 to 280 characters in German and English, words
drawn from a Zipf-like vocabulary of ~40,000 words per language (``bench/dedup.py``), with
mentions, hashtags, links and emoji; ~4% hold personal data (e-mail addresses, phone numbers,
IBANs, card numbers, IPs, addresses, German IDs: ``purposely.redact.synthetic``), ~2% are
exact and ~2% near copies of earlier posts. It is bulk-loaded the way ``bench/gate.py`` loads
its store (``purposely.store.bulk`` and the consent ledger). Then, each in its own process
(the CLI's entry point, ``--json``), with its wall time, the CPU time of its whole process
tree and its peak memory:

1. ``purposely dataset build train_ai_system`` with the local executor (a process pool over
   all cores);
2. the same with ``--executor ray`` (a local Ray instance started by the build, or with
   ``--ray-address ADDR`` the running cluster at ADDR, whose processes are then not part of
   the build's tree, as PostgreSQL's are not); its shards
   must have the local build's checksums. Its snapshot is then forgotten by the store, so the
   rebuild below finds one snapshot to re-check, as after a single build;
3. 1% of the subjects with samples in the local snapshot withdraw their consent (one bulk
   append to the consent ledger, not timed), then ``purposely dataset rebuild``.

Posts/s = posts in the store / the build's seconds (the gate decides over all of them; the
allowed ones are prepared and written). Seconds run from the CLI's argument parsing to its
printed report, inside the child process, as in ``bench/ingest.py`` (interpreter start-up
and the imports of ``purposely.cli`` excluded; the pool's and Ray's start-up included). CPU
time adds user and system time of every process of the tree (the build, its pool workers,
Ray's processes), sampled from ``/proc`` every 0.2 s and checked against ``os.wait4``. Peak
memory: the build process's own peak RSS (``VmHWM``), and the peak of the whole tree's
summed proportional set size (PSS, shared pages split between the processes sharing them),
sampled every 0.2 s; the goal applies to the larger.

Anchors, measured in the same run on the same store, each in its own process: the gate's bare
stream (``Gate.ask`` and ``Gate.record_batches`` read to the end, nothing done with the
batches), and a plain rewrite of the local snapshot (read every shard, write it again with the
same zstd Parquet settings, no preparation, no lineage).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import datagen
import dedup
import gate as gate_bench

PURPOSE = "train_ai_system"
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
EXECUTORS = ("local", "ray")
POSTS_PER_S_GOAL = 50_000
RSS_GOAL_MB = 1024
REBUILD_GOAL = 0.20
WITHDRAWING = 0.01
# The corpus: shares of posts.
EXACT_COPIES = 0.02
NEAR_COPIES = 0.02
PERSONAL_DATA = 0.04
PRIVATE = 0.05
SAMPLE_EVERY = 0.2


# --- the platform -------------------------------------------------------------------------


def _original(rng: random.Random, vocab: dedup.Vocabulary, lang: str) -> str:
    """A new post of ``lang``: words, some punctuation, maybe a mention, hashtag, link, emoji."""
    target = dedup._length(rng)
    words = vocab.sample(rng, lang, target // 5 + 2)
    text = " ".join(words)[:target]
    text = text[: text.rfind(" ")] if " " in text else text
    if rng.random() < 0.3:
        text += rng.choice([".", "!", "?", " :)"])
    text = text[:1].upper() + text[1:]
    if rng.random() < 0.1:
        text = f"{dedup._handle(rng)} {text}"
    if rng.random() < 0.15:
        text += " #" + vocab.sample(rng, lang, 1)[0]
    if rng.random() < 0.2:
        text += " " + dedup._link(rng)
    if rng.random() < 0.1:
        text += " " + rng.choice(dedup._EMOJI)
    return text


def posts(count: int, seed: int) -> tuple[list[tuple[str, str]], Counter[str]]:
    """``count`` posts as (text, lang), in the order they were written, and what they are."""
    from purposely.redact import synthetic
    from purposely.redact.spans import Entity

    rng = random.Random(seed)
    vocab = dedup.Vocabulary(rng)
    # Contact data most often, as on a real platform; every type the redactor knows.
    entities = [Entity.EMAIL, Entity.PHONE, Entity.IBAN, Entity.CARD, Entity.IP]
    entities += [Entity.ADDRESS, Entity.ID]
    weights = [35, 30, 8, 5, 7, 10, 5]
    texts: list[tuple[str, str]] = []
    kinds: Counter[str] = Counter()
    for _ in range(count):
        roll = rng.random()
        if texts and roll < EXACT_COPIES:
            texts.append(texts[rng.randrange(len(texts))])
            kinds["exact copy"] += 1
            continue
        if texts and roll < EXACT_COPIES + NEAR_COPIES:
            source, lang = texts[rng.randrange(len(texts))]
            texts.append((dedup._mutate(rng, source, vocab)[1], lang))
            kinds["near copy"] += 1
            continue
        lang = "de" if rng.random() < 0.5 else "en"
        text = _original(rng, vocab, lang)
        if rng.random() < PERSONAL_DATA:
            entity = rng.choices(entities, weights)[0]
            template, value = synthetic.value(rng, entity, lang)
            sentence = template.replace("{}", value)
            text = f"{text} {sentence}" if rng.random() < 0.7 else f"{sentence} {text}"
            kinds[f"with {entity.value}"] += 1
        kinds["original"] += 1
        texts.append((text, lang))
    return texts, kinds


def decisions(rng: random.Random) -> list[str]:
    """A member's AI-training decisions, oldest first: most granted, some never decided,
    withdrew or objected (more permissive than ``bench/gate.py``'s mix, so most posts are
    prepared and written: the harder case for a build)."""
    roll = rng.random()
    if roll < 0.12:
        return []
    if roll < 0.86:
        return ["grant"]
    if roll < 0.94:
        return ["grant", "withdraw"]
    return ["object"]


def platform(subjects: int, count: int, seed: int) -> tuple[datagen.Population, Counter[str]]:
    """Members, their posts (~5% private) and decisions, in the gate benchmark's form."""
    texts, kinds = posts(count, seed)
    rng = random.Random(seed + 1)
    members = [datagen.member(rng, i) for i in range(subjects)]
    owners = rng.choices(range(subjects), k=count)
    items = [
        (owner, text, lang, rng.random() >= PRIVATE)
        for owner, (text, lang) in zip(owners, texts, strict=True)
    ]
    ledger: list[tuple[int, str, datetime]] = []
    t0 = datetime(2023, 1, 1, tzinfo=UTC)
    for i in range(subjects):
        for k, decision in enumerate(decisions(rng)):
            ledger.append((i, decision, t0 + timedelta(days=k, seconds=i)))
    return datagen.Population(members, items, ledger), kinds


# --- children: one measured process each ---------------------------------------------------


def _cli(argv: list[str]) -> dict[str, Any]:
    """Run ``purposely ARGV --json`` in this process; its seconds and its printed report."""
    from purposely.cli import main

    sys.argv = ["purposely", *argv, "--json"]
    out = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out):
        try:
            main()
        except SystemExit as done:  # Typer exits when the command returns
            if done.code:
                raise
    return {"seconds": time.perf_counter() - start, "report": json.loads(out.getvalue())}


def child_build(
    url: str, out: Path, executor: str, ray_address: str | None = None
) -> dict[str, Any]:
    """``purposely dataset build train_ai_system --out OUT --executor EXECUTOR
    [--ray-address ADDR]``."""
    command = ["dataset", "build", PURPOSE, "--out", str(out), "--db", url]
    command += ["--executor", executor]
    if ray_address is not None and executor == "ray":
        command += ["--ray-address", ray_address]
    return _cli(command)


def child_rebuild(url: str, out: Path, snapshot: str) -> dict[str, Any]:
    """``purposely dataset rebuild SNAPSHOT --out OUT``."""
    return _cli(["dataset", "rebuild", snapshot, "--out", str(out), "--db", url])


def child_stream(url: str) -> dict[str, Any]:
    """Anchor: the gate's question and its bare stream of Arrow batches, read to the end."""
    from purposely.gate import Gate
    from purposely.policy import load_policy
    from purposely.store import Store

    gate = Gate(Store.open(url), load_policy())
    start = time.perf_counter()
    answer = gate.ask(PURPOSE, caller="bench")
    rows = sum(batch.num_rows for batch in gate.record_batches(answer, batch_size=20_000))
    return {"seconds": time.perf_counter() - start, "rows": rows}


def child_rewrite(source: Path, out: Path) -> dict[str, Any]:
    """Anchor: read every shard of the snapshot at ``source`` and write it again, unchanged."""
    import pyarrow.parquet as pq

    from purposely.datasets.snapshot import DATA, read_shard, write_shard

    out.mkdir(parents=True)
    start = time.perf_counter()
    rows = 0
    for path in sorted((source / DATA).glob("*.parquet")):
        table = read_shard(source, path.name)
        rows += write_shard(out, path.name, table).rows
    seconds = time.perf_counter() - start
    check = sum(pq.ParquetFile(p).metadata.num_rows for p in (out / DATA).glob("*.parquet"))
    assert check == rows
    return {"seconds": seconds, "rows": rows}


def child(args: argparse.Namespace) -> dict[str, Any]:
    """The work of one child process, with its own peak RSS."""
    if args.child == "build":
        result = child_build(args.db, args.out, args.executor, args.ray_address)
    elif args.child == "rebuild":
        result = child_rebuild(args.db, args.out, args.snapshot)
    elif args.child == "stream":
        result = child_stream(args.db)
    else:
        result = child_rewrite(args.source, args.out)
    result["self_rss_mb"] = _own_peak_kib() / 1024
    return result


def _own_peak_kib() -> int:
    """This process's peak RSS since it started running this program (``VmHWM``).

    Not ``ru_maxrss``: Linux carries that over from the parent across fork and exec, so each
    child would report at least the parent's peak (the generated platform, ~870 MB).
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# --- the parent: watch a child's process tree ------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a process, or None if it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK


def _memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process in KiB, zeros if it is gone."""
    rss = pss = 0
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0
    for line in text.splitlines():
        if line.startswith("Rss:"):
            rss = int(line.split()[1])
        elif line.startswith("Pss:"):
            pss = int(line.split()[1])
    return rss, pss


@dataclass
class TreeWatch:
    """Samples a process and its descendants: CPU seconds per process, peak summed memory."""

    root: int
    cpu: dict[int, float] = field(default_factory=dict)
    peak_pss_kib: int = 0
    peak_rss_kib: int = 0
    most_processes: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def sample(self) -> None:
        """One look at the tree."""
        parents: dict[int, int] = {}
        cpu: dict[int, float] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
                parents[int(entry.name)], cpu[int(entry.name)] = stat
        tree = {self.root}
        grew = True
        while grew:
            grew = False
            for pid, parent in parents.items():
                if parent in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        rss = pss = 0
        for pid in tree:
            if pid in cpu:
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), cpu[pid])
            r, p = _memory_kib(pid)
            rss, pss = rss + r, pss + p
        self.peak_rss_kib = max(self.peak_rss_kib, rss)
        self.peak_pss_kib = max(self.peak_pss_kib, pss)
        self.most_processes = max(self.most_processes, len(tree))

    def run(self) -> None:
        """Sample until stopped."""
        while not self.stop.wait(SAMPLE_EVERY):
            self.sample()


@dataclass
class Run:
    """One measured child process."""

    seconds: float
    wall: float
    cpu: float
    self_rss_mb: float
    tree_pss_mb: float
    tree_rss_mb: float
    processes: int
    details: dict[str, Any]

    @property
    def peak_mb(self) -> float:
        """The figure the memory goal applies to: the larger of the two peaks."""
        return max(self.self_rss_mb, self.tree_pss_mb)


def run_child(*arguments: str) -> Run:
    """Run this script as a child with ``arguments``; its time, tree CPU and peak memory."""
    env = {**os.environ, "PURPOSELY_SECRET": datagen.SECRET}
    for var in ("PURPOSELY_DB", "PURPOSELY_POLICY", "PURPOSELY_KEY_FILE"):
        env.pop(var, None)
    command = [sys.executable, __file__, *arguments]
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    watch = TreeWatch(process.pid)
    watcher = threading.Thread(target=watch.run, daemon=True)
    watcher.start()
    assert process.stdout is not None
    out = process.stdout.read()
    watch.stop.set()
    watcher.join()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"bench/build.py {' '.join(arguments)} failed (exit {code})")
    details = json.loads(out)
    # Processes that ended between two samples lose their last 0.2 s; os.wait4 counts the
    # child and every descendant that was waited for (pool workers, Ray's processes that
    # its shutdown reaps), so the larger of the two is the better figure.
    cpu = max(sum(watch.cpu.values()), usage.ru_utime + usage.ru_stime)
    return Run(
        seconds=details["seconds"],
        wall=wall,
        cpu=cpu,
        self_rss_mb=details["self_rss_mb"],
        tree_pss_mb=watch.peak_pss_kib / 1024,
        tree_rss_mb=watch.peak_rss_kib / 1024,
        processes=watch.most_processes,
        details=details,
    )


# --- the parent: one database ----------------------------------------------------------------


@contextlib.contextmanager
def scratch_store(database: str, workdir: Path) -> Iterator[str]:
    """A URL to an empty database of kind ``database``, removed afterwards."""
    if database == "sqlite":
        yield f"sqlite:///{workdir / 'build.db'}"
        return
    with datagen.pg_schema(datagen.pg_server(), "build") as url:
        yield url


def withdraw(url: str, snapshot: str, forget: str | None, seed: int) -> tuple[int, int, int]:
    """Forget snapshot ``forget``; then 1% of the subjects with samples in ``snapshot``
    withdraw their AI-training consent. Returns (subjects with samples, withdrawing, their
    samples)."""
    from sqlalchemy import func, select

    from purposely.consent import ledger
    from purposely.datasets import lineage
    from purposely.policy import load_policy
    from purposely.store import Store
    from purposely.store.models import Sample, Subject

    store = Store.open(url)
    policy = load_policy()
    with store.write() as conn:
        if forget is not None:
            lineage.forget(conn, forget)
        holders = sorted(
            conn.scalars(select(Sample.subject_pk).where(Sample.snapshot_id == snapshot).distinct())
        )
        chosen = sorted(random.Random(seed).sample(holders, max(1, round(len(holders) * 0.01))))
        affected = conn.scalar(
            select(func.count()).where(
                Sample.snapshot_id == snapshot, Sample.subject_pk.in_(chosen)
            )
        )
        names = list(conn.scalars(select(Subject.pseudonym).where(Subject.pk.in_(chosen))))
        now = datetime.now(UTC)
        ledger.append(
            conn,
            policy,
            [
                ledger.ConsentDecision(
                    subject_pseudonym=name,
                    purpose=PURPOSE,
                    decision=ledger.Decision.WITHDRAW,
                    at=now,
                    notice_version="bench-1",
                    channel="bench",
                )
                for name in names
            ],
        )
    store.engine.dispose()
    return len(holders), len(chosen), int(affected or 0)


@dataclass
class Result:
    """Everything measured on one database."""

    database: str
    posts: int
    builds: dict[str, Run] = field(default_factory=dict)
    stream: Run | None = None
    rewrite: Run | None = None
    rebuild: Run | None = None
    withdrawn: tuple[int, int, int] = (0, 0, 0)
    same_shards: bool | None = None
    shards_rewritten: int = 0


def _shards(run: Run) -> list[tuple[str, str]]:
    return [(s["name"], s["sha256"]) for s in run.details["report"]["shards"]]


def measure(
    database: str,
    people: datagen.Population,
    executors: list[str],
    seed: int,
    ray_address: str | None = None,
) -> Result:
    """Load the platform into ``database``, then build, rebuild and run the anchors."""
    result = Result(database, len(people.posts))
    name = NAMES[database]
    with tempfile.TemporaryDirectory(prefix="purposely-bench-") as tmp:
        workdir = Path(tmp)
        with scratch_store(database, workdir) as url:
            seconds = gate_bench.load(url, people)
            print(f"{name}: loaded in {seconds:.1f} s", flush=True)
            for executor in executors:
                cluster = ["--ray-address", ray_address] if ray_address else []
                run = run_child("--child", "build", "--db", url, "--out",
                                str(workdir / executor), "--executor", executor,
                                *cluster)  # fmt: skip
                result.builds[executor] = run
                counts = run.details["report"]["counts"]
                print(
                    f"{name}: build ({executor}) {run.seconds:.1f} s, CPU {run.cpu:.1f} s, "
                    f"{counts['included']:,} samples, peak RSS {run.self_rss_mb:.0f} MB "
                    f"(tree PSS {run.tree_pss_mb:.0f} MB, {run.processes} processes)",
                    flush=True,
                )
            if len(result.builds) == 2:
                result.same_shards = _shards(result.builds["local"]) == _shards(
                    result.builds["ray"]
                )
            result.stream = run_child("--child", "stream", "--db", url)
            print(f"{name}: anchor stream {result.stream.seconds:.1f} s", flush=True)
            base = next(iter(result.builds))
            result.rewrite = run_child("--child", "rewrite", "--source", str(workdir / base),
                                       "--out", str(workdir / "rewrite"))  # fmt: skip
            print(f"{name}: anchor rewrite {result.rewrite.seconds:.1f} s", flush=True)
            snapshot = result.builds[base].details["report"]["snapshot_id"]
            other = [r.details["report"]["snapshot_id"] for e, r in result.builds.items()]
            forget = next((s for s in other if s != snapshot), None)
            result.withdrawn = withdraw(url, snapshot, forget, seed)
            rebuilt = str(workdir / "rebuilt")
            result.rebuild = run_child(
                "--child", "rebuild", "--db", url, "--out", rebuilt, "--snapshot", snapshot
            )
            before = dict(_shards(result.builds[base]))
            after = _shards(result.rebuild)
            result.shards_rewritten = sum(1 for n, h in after if before.get(n) != h)
            print(
                f"{name}: rebuild {result.rebuild.seconds:.1f} s "
                f"({result.shards_rewritten} of {len(after)} shards rewritten)",
                flush=True,
            )
    return result


# --- report ---------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(results: list[Result]) -> bool:
    """The figures table and the goals; whether every goal passed."""
    print()
    header = (
        f"{'database':<11}{'run':<24}{'samples':>9}{'seconds':>9}{'CPU s':>7}{'posts/s':>10}"
        f"{'peak RSS':>10}{'tree PSS':>10}"
    )
    print(header)
    print("-" * len(header))
    ok = True
    for r in results:
        name = NAMES[r.database]
        for executor, run in r.builds.items():
            samples = run.details["report"]["counts"]["included"]
            print(
                f"{name:<11}{'build, ' + executor:<24}{samples:>9,}{run.seconds:>9.1f}"
                f"{run.cpu:>7.1f}{r.posts / run.seconds:>10,.0f}{run.self_rss_mb:>7.0f} MB"
                f"{run.tree_pss_mb:>7.0f} MB"
            )
        if r.rebuild is not None:
            run = r.rebuild
            samples = run.details["report"]["counts"]["included"]
            print(
                f"{name:<11}{'rebuild (1% withdrew)':<24}{samples:>9,}{run.seconds:>9.1f}"
                f"{run.cpu:>7.1f}{'':>10}{run.self_rss_mb:>7.0f} MB{run.tree_pss_mb:>7.0f} MB"
            )
        for label, anchor in (("anchor: gate stream", r.stream), ("anchor: rewrite", r.rewrite)):
            if anchor is not None:
                print(
                    f"{name:<11}{label:<24}{anchor.details['rows']:>9,}{anchor.seconds:>9.1f}"
                    f"{anchor.cpu:>7.1f}{'':>10}{anchor.self_rss_mb:>7.0f} MB"
                    f"{anchor.tree_pss_mb:>7.0f} MB"
                )
    for r in results:
        name = NAMES[r.database]
        print()
        first = next(iter(r.builds.values()))
        counts = first.details["report"]["counts"]
        print(f"{name}: {r.posts:,} posts; build counts: included {counts['included']:,}, "
              f"excluded {counts['excluded']}, redactions {counts['redactions']}")  # fmt: skip
        holders, chosen, affected = r.withdrawn
        print(
            f"{name}: withdrew {chosen:,} of the {holders:,} subjects with samples "
            f"({affected:,} samples); the rebuild rewrote {r.shards_rewritten} shards"
        )
        if r.stream is not None:
            for executor, run in r.builds.items():
                print(
                    f"{name}: build ({executor}) takes {run.seconds / r.stream.seconds:.1f}x the "
                    f"gate's bare stream ({r.stream.seconds:.1f} s) and "
                    f"{run.seconds / r.rewrite.seconds if r.rewrite else 0:.1f}x a plain rewrite "
                    f"of its shards"
                )
    print()
    print("goals:")
    for r in results:
        name = NAMES[r.database]
        for executor, run in r.builds.items():
            rate = r.posts / run.seconds
            good = rate >= POSTS_PER_S_GOAL
            ok &= good
            print(f"  {name} {executor} >= {POSTS_PER_S_GOAL:,} posts/s: {rate:,.0f}  "
                  f"{verdict(good)}")  # fmt: skip
        for label, run in [*r.builds.items(), ("rebuild", r.rebuild)]:
            if run is None:
                continue
            good = run.peak_mb < RSS_GOAL_MB
            ok &= good
            print(
                f"  {name} {label} peak memory < {RSS_GOAL_MB:,} MB: {run.peak_mb:.0f} MB "
                f"(own RSS {run.self_rss_mb:.0f}, tree PSS {run.tree_pss_mb:.0f})  "
                f"{verdict(good)}"
            )
        if r.rebuild is not None and r.builds:
            base = next(iter(r.builds.values()))
            share = r.rebuild.seconds / base.seconds
            good = share < REBUILD_GOAL
            ok &= good
            print(
                f"  {name} rebuild < {REBUILD_GOAL:.0%} of a full build: {share:.1%} "
                f"(CPU {r.rebuild.cpu / base.cpu:.1%})  {verdict(good)}"
            )
        if r.same_shards is not None:
            ok &= r.same_shards
            print(f"  {name} local and Ray shards identical: "
                  f"{'yes' if r.same_shards else 'NO'}  {verdict(r.same_shards)}")  # fmt: skip
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--subjects", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--only", choices=EXECUTORS, action="append", help="executor(s) to run")
    parser.add_argument("--database", choices=sorted(NAMES), action="append")
    parser.add_argument("--child", choices=("build", "rebuild", "stream", "rewrite"),
                        help=argparse.SUPPRESS)  # fmt: skip
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--executor", help=argparse.SUPPRESS)
    parser.add_argument("--snapshot", help=argparse.SUPPRESS)
    parser.add_argument(
        "--ray-address",
        help="a running Ray cluster for the Ray build (default: the build starts its own)",
    )
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args), default=str))
        return

    os.environ["PURPOSELY_SECRET"] = datagen.SECRET
    for var in ("PURPOSELY_DB", "PURPOSELY_POLICY", "PURPOSELY_KEY_FILE"):
        os.environ.pop(var, None)
    executors = [e for e in EXECUTORS if e in (args.only or EXECUTORS)]
    databases = args.database or ["sqlite", "postgresql"]
    print(f"machine: {datagen.machine()}")
    if "postgresql" in databases and (why := datagen.pg_unavailable(datagen.pg_server())):
        print(f"PostgreSQL skipped: {why}")
        databases.remove("postgresql")
    start = time.perf_counter()
    people, kinds = platform(args.subjects, args.posts, args.seed)
    mix = ", ".join(f"{n:,} {kind}" for kind, n in kinds.most_common())
    public = sum(1 for p in people.posts if p[3])
    print(
        f"platform: {args.subjects:,} subjects, {args.posts:,} posts ({public:,} public; {mix}), "
        f"{len(people.decisions):,} ledger entries; generated in "
        f"{time.perf_counter() - start:.1f} s",
        flush=True,
    )
    results = [
        measure(database, people, executors, args.seed, args.ray_address) for database in databases
    ]
    if not report(results):
        sys.exit(1)


if __name__ == "__main__":
    main()
