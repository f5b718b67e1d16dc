"""REST API under load: consent decisions and gate questions from 50 concurrent clients.

    .venv/bin/python bench/api.py [--seconds 60] [--rate 50] [--clients 50]
        [--subjects 10000] [--posts 100000] [--gate-share 0.5] [--gate-processes 2]
        [--client-processes 1] [--paced-only] [--only sqlite|postgresql]

For each database: a store of ``--subjects`` members and ``--posts`` posts (the population of
bench/gate.py, bulk-loaded the same way), ``purposely serve`` started as a subprocess on a
free port of 127.0.0.1 (with ``--gate-processes`` gate workers), and one API token allowed to
read and write for AI training. Then ``--clients`` concurrent clients, each on its own
keep-alive connection, send for ``--seconds`` each of two loads:

- **paced**: ``--rate`` requests per second from all clients together (Poisson arrivals per
  client; 50/s = one request per client per second), each request timed from the moment it
  was due, so a client held up by a slow answer counts that wait too;
- **back to back**: each client sends its next request as soon as it has the answer to the
  last (always 50 in flight): the server's capacity, and its latency when saturated.

A request is a gate question about a random member with probability ``--gate-share``
(``GET /api/v1/gate/train_ai_system?subject=...``), else a consent decision (grant, withdraw
or object) for a random member (``POST /api/v1/consents``).

Reported per load and request kind: requests/s, p50/p95/p99/max latency (send to answer, on
the client), errors; CPU seconds of the server (with its gate workers) and of the clients.
Then the proof that nothing was lost: the ledger entries the runs added (channel
``api:<token id>``) are exactly the 201 answers, one entry each (no entry without an answer,
no answer without an entry, no entry twice), each holding the member and decision its request
sent; and ``purposely.audit.verify`` checks both hash chains.

Anchor, in the same run on the same store after the server stopped: decisions appended
in-process through ``purposely.consent.append``, one per transaction, one after the other;
and gate questions asked in-process through ``Gate.ask``, one after the other. The difference
to the HTTP figures is what the server, HTTP and concurrency cost.

The clients share the machine with the server: one client process by default (its CPU
seconds are printed; ~0.2 ms per request), the rest of the two cores is the server's.

Goals: consent decision p95 < 50 ms on SQLite and on PostgreSQL; no decision lost or
duplicated; both chains verify.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import datagen
import gate as gate_bench

PURPOSE = "train_ai_system"
DECISIONS = ("grant", "withdraw", "object")
GOAL_P95_MS = 50.0
IDLE_SECONDS = 4.0
START_SPREAD = 1.0  # seconds over which the back-to-back clients send their first request
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(url: str, workdir: Path, gate_processes: int) -> Iterator[tuple[str, int]]:
    """``purposely serve`` on ``url`` in a subprocess; its base URL and pid. Stopped after."""
    import httpx

    port = free_port()
    command = [
        sys.executable, "-m", "purposely", "serve", "--host", "127.0.0.1", "--port", str(port),
        "--db", url, "--snapshots", str(workdir / "snapshots"),
        "--gate-processes", str(gate_processes),
    ]  # fmt: skip
    log = (workdir / "server.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited: {(workdir / 'server.log').read_text()}")
            try:
                if httpx.get(f"{base}/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer within 60 s")
            time.sleep(0.2)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds so far of process ``pid`` and of its children, such as the
    server's gate workers (Linux)."""
    total = 0.0
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            total += cpu_seconds(int(child))
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return total + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def make_token(url: str) -> tuple[str, str]:
    """A token allowed to read and write for AI training: its id and secret."""
    from purposely.access import create_token
    from purposely.policy import load_policy
    from purposely.store import Store

    store = Store.open(url)
    token, secret = create_token(
        store, load_policy(), name="bench", purposes=[PURPOSE],
        operations=["read", "write"], created_by="bench",
    )  # fmt: skip
    store.engine.dispose()
    return token.id, secret


# --- the clients -----------------------------------------------------------------------------


@dataclass
class Sample:
    """One request: its kind, status, seconds from send to answer; for a recorded decision,
    the member, the decision and the ledger entry the answer named."""

    kind: str
    status: int
    seconds: float
    due: float = 0.0
    subject: str = ""
    decision: str = ""
    entry: int = 0


class Connection:
    """A minimal HTTP/1.1 keep-alive client for one connection: a request line, headers, a JSON
    body, and the answer's status and body by ``Content-Length``.

    Why not httpx: with 50 connections in one process, ``httpx.AsyncClient`` spends ~13 ms of
    CPU per request on this machine (measured), more than the server spends answering it; on
    two shared cores the clients would then measure themselves. This one spends ~0.2 ms.
    """

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port = host, port
        self.headers = (
            f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\n"
        )
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.used = 0.0

    async def connect(self) -> None:
        """Open the connection."""
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.used = time.perf_counter()

    async def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """Send one request; return the status and the parsed JSON answer (status 0: the
        connection failed; it is opened again for the next request)."""
        # uvicorn closes a connection idle for 5 s; one idle for 4 s is replaced before use,
        # so that a request is never sent into a connection the server is closing.
        if self.writer is not None and time.perf_counter() - self.used > IDLE_SECONDS:
            self.close()
        if self.reader is None or self.writer is None:
            await self.connect()
        assert self.reader is not None and self.writer is not None
        data = b"" if body is None else json.dumps(body).encode()
        head = f"{method} {path} HTTP/1.1\r\n{self.headers}Content-Length: {len(data)}\r\n\r\n"
        try:
            self.writer.write(head.encode() + data)
            status = int((await self.reader.readline()).split()[1])
            length = 0
            while (line := await self.reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            answer = json.loads(await self.reader.readexactly(length))
        except (OSError, IndexError, ValueError, asyncio.IncompleteReadError):
            self.close()
            return 0, None
        self.used = time.perf_counter()
        return status, answer

    def close(self) -> None:
        """Close the connection."""
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass(frozen=True)
class Plan:
    """The load: where to send it, as whom, about whom, how much and how long."""

    base: str
    token: str
    ids: list[str]
    clients: int
    seconds: float
    gate_share: float
    rate: float  # requests per second of all clients together; 0: back to back


async def _client(plan: Plan, http: Connection, rng: random.Random, until: float) -> list[Sample]:
    """One client: requests at Poisson-spaced times (or back to back), each timed from the
    moment it was due, so a client held up by a slow answer counts the wait too."""
    mean_gap = plan.clients / plan.rate if plan.rate else 0.0
    # The clients start spread out, as services do, rather than all in the same millisecond.
    due = time.perf_counter() + rng.random() * (mean_gap or START_SPREAD)
    samples: list[Sample] = []
    try:
        while due < until:
            if (wait := due - time.perf_counter()) > 0:
                await asyncio.sleep(wait)
            samples.append(await _one(http, plan, rng, due))
            due = due + rng.expovariate(1 / mean_gap) if mean_gap else time.perf_counter()
    finally:
        http.close()
    return samples


async def _one(http: Connection, plan: Plan, rng: random.Random, due: float) -> Sample:
    """A gate question or a consent decision about a random member."""
    subject = rng.choice(plan.ids)
    if rng.random() < plan.gate_share:
        status, _ = await http.request("GET", f"/api/v1/gate/{PURPOSE}?subject={subject}")
        return Sample("gate", status, time.perf_counter() - due, due)
    decision = rng.choice(DECISIONS)
    body = {"subject": subject, "purpose": PURPOSE, "decision": decision}
    status, answer = await http.request("POST", "/api/v1/consents", body)
    entry = answer["ledger_entry"] if status == 201 else 0
    return Sample("decision", status, time.perf_counter() - due, due, subject, decision, entry)


async def _clients(plan: Plan, clients: int, seed: int) -> list[Sample]:
    # Connected before the clock starts, as services keep their connections: the burst of
    # 50 connections at once is not what is measured.
    host, port = plan.base.removeprefix("http://").split(":")
    connections = [Connection(host, int(port), plan.token) for _ in range(clients)]
    await asyncio.gather(*(c.connect() for c in connections))
    until = time.perf_counter() + plan.seconds
    runs = [
        _client(plan, http, random.Random(seed * 1000 + i), until)
        for i, http in enumerate(connections)
    ]
    results = await asyncio.gather(*runs)
    return [sample for run in results for sample in run]


def client_process(plan: Plan, clients: int, seed: int, out: Any) -> None:
    """One client process: ``clients`` tasks; sends its samples and CPU seconds to ``out``."""
    samples = asyncio.run(_clients(plan, clients, seed))
    times = os.times()
    out.send((samples, times.user + times.system))
    out.close()


@dataclass
class Run:
    """What the clients saw, and the CPU the server and the clients used."""

    samples: list[Sample]
    wall: float
    server_cpu: float
    client_cpu: float


def drive(plan: Plan, pid: int, processes: int) -> Run:
    """Run the clients in ``processes`` processes against the server; collect every sample."""
    context = multiprocessing.get_context("spawn")
    per = [plan.clients // processes] * processes
    per[0] += plan.clients - sum(per)
    pipes, workers = [], []
    cpu_before = cpu_seconds(pid)
    started = time.perf_counter()
    for number, clients in enumerate(per):
        receive, send = context.Pipe(duplex=False)
        worker = context.Process(target=client_process, args=(plan, clients, number + 1, send))
        worker.start()
        pipes.append(receive)
        workers.append(worker)
    samples: list[Sample] = []
    client_cpu = 0.0
    for receive in pipes:
        got, cpu = receive.recv()
        samples.extend(got)
        client_cpu += cpu
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - started
    return Run(samples, wall, cpu_seconds(pid) - cpu_before, client_cpu)


def warm_up(base: str, secret: str, ids: list[str]) -> None:
    """A few requests of each kind, so imports and caches are not measured."""
    import httpx

    headers = {"Authorization": f"Bearer {secret}"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
        for subject in ids[:20]:
            http.get(f"/api/v1/gate/{PURPOSE}", params={"subject": subject})
            body = {"subject": subject, "purpose": PURPOSE, "decision": "grant"}
            assert http.post("/api/v1/consents", json=body).status_code == 201


# --- the proof -------------------------------------------------------------------------------


@dataclass
class Proof:
    """Whether every accepted decision is in the ledger exactly once, and the chains verify."""

    accepted: int
    entries: int
    lost: int
    duplicated: int
    unanswered: int
    mismatched: int
    chains_ok: bool
    problems: list[str] = field(default_factory=list)


def prove(url: str, token_id: str, samples: list[Sample], since: int) -> Proof:
    """Compare the 201 answers with the ledger entries the run added."""
    from sqlalchemy import select

    from purposely import audit
    from purposely.store import Store
    from purposely.store.models import ConsentEvent

    accepted = [s for s in samples if s.kind == "decision" and s.status == 201]
    store = Store.open(url)
    t = ConsentEvent.__table__
    with store.read() as conn:
        query = select(t.c.seq, t.c.subject_pseudonym, t.c.decision).where(
            t.c.seq > since, t.c.channel == f"api:{token_id}"
        )
        rows = {int(seq): (p, d) for seq, p, d in conn.execute(query)}
        check = audit.verify(conn)
    answered = [s.entry for s in accepted]
    unique = set(answered)
    mismatched = sum(
        1
        for s in accepted
        if s.entry in rows and rows[s.entry] != (store.pseudonym(s.subject), s.decision)
    )
    store.engine.dispose()
    return Proof(
        accepted=len(accepted),
        entries=len(rows),
        lost=len(unique - set(rows)),
        duplicated=len(answered) - len(unique),
        unanswered=len(set(rows) - unique),
        mismatched=mismatched,
        chains_ok=check.ok,
        problems=[str(p) for p in check.problems],
    )


def ledger_head(url: str) -> int:
    """The ledger's last seq."""
    from purposely.consent.ledger import watermark
    from purposely.store import Store

    store = Store.open(url)
    with store.read() as conn:
        head = watermark(conn)
    store.engine.dispose()
    return head


# --- the anchor ------------------------------------------------------------------------------


def anchor(url: str, ids: list[str], seconds: float) -> dict[str, list[float]]:
    """In-process, one at a time for ``seconds`` each: decisions appended through
    ``consent.append`` (one transaction each) and ``Gate.ask`` questions about one member."""
    from datetime import UTC, datetime

    from purposely.consent import ConsentDecision, Decision, append
    from purposely.consent.ledger import current_notice_version
    from purposely.gate import Gate
    from purposely.policy import load_policy
    from purposely.store import Store
    from purposely.store.subjects import find_subject

    store, policy = Store.open(url), load_policy()
    notice = current_notice_version(policy)
    rng = random.Random(99)
    appends: list[float] = []
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        subject, decision = rng.choice(ids), Decision(rng.choice(DECISIONS))
        started = time.perf_counter()
        with store.write() as conn:
            ref = find_subject(conn, subject)
            append(
                conn,
                policy,
                [ConsentDecision(ref.pseudonym, PURPOSE, decision, datetime.now(UTC), notice,
                                 "bench-anchor")],
            )  # fmt: skip
        appends.append(time.perf_counter() - started)
    gate = Gate(store, policy)
    asks: list[float] = []
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        started = time.perf_counter()
        gate.ask(PURPOSE, caller="bench-anchor", subject=rng.choice(ids), list_ids=True)
        asks.append(time.perf_counter() - started)
    store.engine.dispose()
    return {"decision": appends, "gate": asks}


# --- the report ------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``, nearest rank."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


LABEL = 54


def row(label: str, count: int, seconds: float, latencies: list[float], errors: int) -> str:
    """One line of the figures table."""
    if not latencies:
        return f"{label:<{LABEL}}{count:>9,}{'-':>10}"
    ms = [x * 1000 for x in latencies]
    return (
        f"{label:<{LABEL}}{count:>9,}{count / seconds:>10,.0f}{statistics.median(ms):>9.1f}"
        f"{percentile(ms, 95):>9.1f}{percentile(ms, 99):>9.1f}{max(ms):>9.1f}{errors:>8,}"
    )


def phase_name(rate: float, clients: int) -> str:
    """How the report names a load."""
    return f"paced {rate:g}/s" if rate else f"back to back ({clients} in flight)"


def report(
    database: str, runs: dict[str, Run], proof: Proof, anchors: dict[str, list[float]],
    anchor_seconds: float,
) -> list[tuple[str, bool, str]]:  # fmt: skip
    """Print the figures of one database; return its goals as (text, passed, measured)."""
    name = NAMES[database]
    header = (
        f"{'':<{LABEL}}{'requests':>9}{'per s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'max ms':>9}{'errors':>8}"
    )
    print()
    print(header)
    print("-" * len(header))
    goals = []
    for phase, run in runs.items():
        for kind, label in (("decision", "POST consents"), ("gate", "GET gate")):
            mine = [s for s in run.samples if s.kind == kind]
            ok = [s.seconds for s in mine if s.status in (200, 201)]
            print(row(f"{name} {phase}: {label}", len(mine), run.wall, ok, len(mine) - len(ok)))
        ok_all = [s.seconds for s in run.samples if s.status in (200, 201)]
        errors = len(run.samples) - len(ok_all)
        print(row(f"{name} {phase}: all", len(run.samples), run.wall, ok_all, errors))
        decisions = [
            s.seconds * 1000 for s in run.samples if s.kind == "decision" and s.status == 201
        ]
        p95 = percentile(decisions, 95) if decisions else float("inf")
        goals.append((f"{name} {phase}: consent decision p95 < {GOAL_P95_MS:.0f} ms",
                      p95 < GOAL_P95_MS, f"{p95:.1f} ms"))  # fmt: skip
    for kind, label in (("decision", "anchor: consent.append, 1 per txn"),
                        ("gate", "anchor: Gate.ask in-process")):  # fmt: skip
        values = anchors[kind]
        print(row(f"{name} {label}", len(values), anchor_seconds, values, 0))
    for phase, run in runs.items():
        print(f"{name} {phase}: {run.wall:.1f} s; CPU seconds: server (with its gate workers) "
              f"{run.server_cpu:.1f}, clients {run.client_cpu:.1f}")  # fmt: skip
    print(
        f"{name} proof: {proof.accepted:,} decisions answered 201, {proof.entries:,} ledger "
        f"entries of the token; lost {proof.lost}, duplicated {proof.duplicated}, entries "
        f"without an answer {proof.unanswered}, entries not matching their request "
        f"{proof.mismatched}; chains "
        f"{'verify' if proof.chains_ok else 'BROKEN: ' + '; '.join(proof.problems)}"
    )
    clean = (
        proof.lost == proof.duplicated == proof.unanswered == proof.mismatched == 0
        and proof.accepted == proof.entries
    )
    return [
        *goals,
        (f"{name} no decision lost or duplicated", clean,
         f"{proof.lost} lost, {proof.duplicated} duplicated"),
        (f"{name} ledger and audit chains verify", proof.chains_ok,
         "verify" if proof.chains_ok else "broken"),
    ]  # fmt: skip


def measure(database: str, people: datagen.Population, args: argparse.Namespace) -> list[Any]:
    """Load, serve, drive (paced, then back to back), prove and anchor on one database."""
    ids = [m.id for m in people.members]
    rates = [rate for rate in (args.rate, 0.0) if rate or not args.paced_only]
    with (
        tempfile.TemporaryDirectory(prefix="purposely-bench-api-") as tmp,
        gate_bench.scratch_store(database, Path(tmp)) as url,
    ):
        seconds = gate_bench.load(url, people)
        print(f"{NAMES[database]}: loaded in {seconds:.1f} s")
        token_id, secret = make_token(url)
        runs: dict[str, Run] = {}
        with server(url, Path(tmp), args.gate_processes) as (base, pid):
            warm_up(base, secret, ids)
            since = ledger_head(url)
            for rate in rates:
                plan = Plan(base, secret, ids, args.clients, args.seconds, args.gate_share, rate)
                runs[phase_name(rate, args.clients)] = drive(plan, pid, args.client_processes)
        samples = [sample for run in runs.values() for sample in run.samples]
        proof = prove(url, token_id, samples, since)
        anchors = anchor(url, ids, args.anchor_seconds)
    return report(database, runs, proof, anchors, args.anchor_seconds)


def main() -> None:
    """Run the benchmark on each database and print the goals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="per load")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--gate-share", type=float, default=0.5)
    parser.add_argument(
        "--rate", type=float, default=50.0, help="requests/s of all clients in the paced load"
    )
    parser.add_argument("--paced-only", action="store_true", help="skip the back-to-back load")
    parser.add_argument("--client-processes", type=int, default=1)
    parser.add_argument(
        "--gate-processes", type=int, default=2, help="purposely serve --gate-processes"
    )
    parser.add_argument("--anchor-seconds", type=float, default=5.0)
    parser.add_argument("--only", choices=sorted(NAMES), action="append")
    args = parser.parse_args()
    os.environ["PURPOSELY_SECRET"] = datagen.SECRET
    for var in ("PURPOSELY_DB", "PURPOSELY_POLICY", "PURPOSELY_KEY_FILE"):
        os.environ.pop(var, None)
    print(f"machine: {datagen.machine()}")
    databases = args.only or ["sqlite", "postgresql"]
    if "postgresql" in databases and (why := datagen.pg_unavailable(datagen.pg_server())):
        print(f"PostgreSQL skipped: {why}")
        databases.remove("postgresql")
    people = datagen.population(args.subjects, args.posts)
    print(
        f"store: {args.subjects:,} members, {args.posts:,} posts, consent ledger "
        f"{len(people.decisions):,} entries; {args.clients} clients in "
        f"{args.client_processes} process(es), {args.gate_share:.0%} gate questions, "
        f"{args.seconds:.0f} s per load; server with {args.gate_processes} gate worker(s)"
    )
    goals: list[tuple[str, bool, str]] = []
    for database in databases:
        goals.extend(measure(database, people, args))
    print("\ngoals:")
    for text, passed, measured in goals:
        print(f"  {text}: {measured}  {'PASS' if passed else 'FAIL'}")


if __name__ == "__main__":
    main()
