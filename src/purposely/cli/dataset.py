"""``purposely dataset``: build, list, show and rebuild training snapshots."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.table import Table

from purposely.cli.common import (
    DbOption,
    JsonOption,
    PolicyOption,
    caller,
    emit,
    new_app,
    open_store,
    policy_from,
    record_progress,
    stdout,
)

if TYPE_CHECKING:
    from purposely.datasets.lineage import SnapshotInfo

# The datasets package pulls in numpy, pyarrow and the redactor: imported by the commands
# that need it, so the rest of the CLI starts quickly.

app = new_app("Build training datasets from what the gate allows, and keep them current.")

OutOption = Annotated[
    Path, typer.Option("--out", "-o", help="Folder to write the snapshot to (must not exist).")
]


@app.command("build")
def build_command(
    purpose: Annotated[str, typer.Argument(help="Purpose to build for, e.g. train_ai_system.")],
    out: OutOption,
    executor: Annotated[
        str, typer.Option(help="Where the work runs: local (this machine's cores) or ray.")
    ] = "local",
    ray_address: Annotated[
        str | None, typer.Option("--ray-address", help="Ray cluster (default: start a local one).")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes for the local executor (default: cores).")
    ] = None,
    shard_rows: Annotated[int, typer.Option(help="Samples per Parquet shard.", min=1)] = 100_000,
    watermark: Annotated[
        int | None, typer.Option(help="Build as of this consent ledger position (default: now).")
    ] = None,
    db: DbOption = None,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Build a dataset snapshot for PURPOSE from what the gate allows now.

    Texts are prepared as the policy says (mentions, links, personal data replaced by
    placeholders), duplicates removed, and the result written to OUT as zstd Parquet shards
    with manifest.json and a dataset card, whole or not at all.
    """
    from purposely.datasets import lineage
    from purposely.datasets.build import BuildOptions, build

    store, rules = open_store(db), policy_from(policy)
    options = BuildOptions(
        executor=executor,
        ray_address=ray_address,
        workers=workers,
        shard_rows=shard_rows,
        watermark=watermark,
    )
    with record_progress(f"building {out.name}", as_json) as progress:
        snapshot_id = build(
            store, rules, purpose, out, caller=caller(), options=options, progress=progress
        )
    with store.read() as conn:
        built = lineage.info(conn, snapshot_id, with_shards=True)
    emit(as_json, snapshot_dict(built), lambda: _render(built, headline="built"))


@app.command("list")
def list_command(
    db: DbOption = None, policy: PolicyOption = None, as_json: JsonOption = False
) -> None:
    """List every snapshot with its purpose, size and state (ready or stale)."""
    from purposely.datasets import lineage
    from purposely.datasets.staleness import refresh

    store, rules = open_store(db), policy_from(policy)
    refresh(store, rules)
    with store.read() as conn:
        snapshots = lineage.all_snapshots(conn)

    def render() -> None:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        for column in ("snapshot", "created (UTC)", "purpose", "samples", "state"):
            table.add_column(column, no_wrap=column != "purpose")
        for s in snapshots:
            state = "ready" if not s.stale else f"[yellow]stale[/] ({sum(s.stale.values()):,})"
            table.add_row(
                s.id[:12],
                s.created_at.strftime("%Y-%m-%d %H:%M"),
                s.purpose,
                f"{s.counts['included']:,}",
                state,
            )
        stdout.print(table if snapshots else "no snapshots yet: purposely dataset build --help")

    emit(as_json, [snapshot_dict(s) for s in snapshots], render)


@app.command("show")
def show_command(
    snapshot: Annotated[str, typer.Argument(help="Snapshot id (or a unique prefix).")],
    db: DbOption = None,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show a snapshot: purpose, watermark, policy hash, counts, shards, and why it is stale."""
    from purposely.datasets import lineage
    from purposely.datasets.staleness import refresh

    store, rules = open_store(db), policy_from(policy)
    refresh(store, rules)
    with store.read() as conn:
        found = lineage.info(conn, lineage.resolve(conn, snapshot), with_shards=True)
    emit(as_json, snapshot_dict(found), lambda: _render(found, headline="snapshot"))


@app.command("rebuild")
def rebuild_command(
    snapshot: Annotated[str, typer.Argument(help="Snapshot id (or a unique prefix).")],
    out: OutOption,
    db: DbOption = None,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write a copy of SNAPSHOT without its stale samples; only shards that held them change."""
    from purposely.datasets import lineage
    from purposely.datasets.rebuild import rebuild as rebuild_snapshot

    store, rules = open_store(db), policy_from(policy)
    new_id = rebuild_snapshot(store, rules, snapshot, out, caller=caller())
    with store.read() as conn:
        built = lineage.info(conn, new_id, with_shards=True)
    emit(as_json, snapshot_dict(built), lambda: _render(built, headline="rebuilt"))


def snapshot_dict(s: SnapshotInfo) -> dict[str, Any]:
    """A snapshot as plain data for ``--json``."""
    return {
        "snapshot_id": s.id,
        "state": s.state,
        "purpose": s.purpose,
        "watermark": s.watermark,
        "policy_digest": s.policy_digest,
        "as_of": s.as_of,
        "created_at": s.created_at,
        "path": s.path,
        "executor": s.executor,
        "parent": s.parent_id,
        "counts": s.counts,
        "stale": s.stale,
        "shards": [{"name": n, "sha256": h, "rows": r, "bytes": b} for n, h, r, b in s.shards],
        "audit_event": s.audit_seq,
    }


def _render(s: SnapshotInfo, *, headline: str) -> None:
    counts = s.counts
    stdout.print(
        f"{headline} [bold]{s.id}[/] for {s.purpose}: {counts['included']:,} samples "
        f"in {len(s.shards)} shards at {s.path}",
        soft_wrap=True,
    )
    stdout.print(
        f"watermark {s.watermark}, policy {s.policy_digest[:12]}, as of {s.as_of}, "
        f"executor {s.executor}" + (f", rebuilt from {s.parent_id}" if s.parent_id else "")
    )
    _pairs("excluded because", counts.get("excluded", {}))
    _pairs("personal data replaced", counts.get("redactions", {}))
    _pairs("relied on", counts.get("by_basis", {}))
    if s.stale:
        stdout.print(
            f"[yellow]stale:[/] {sum(s.stale.values()):,} samples would no longer be "
            f"released; `purposely dataset rebuild {s.id[:12]} --out DIR` drops them"
        )
        _pairs("stale because", s.stale)
    else:
        stdout.print("state: ready (the gate would still release every sample)")


def _pairs(title: str, values: dict[str, int]) -> None:
    if not values:
        return
    table = Table(title, "count", box=box.SIMPLE_HEAD, pad_edge=False)
    for key, n in sorted(values.items(), key=lambda kv: -kv[1]):
        table.add_row(key, f"{n:,}")
    stdout.print(table)
