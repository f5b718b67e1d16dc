"""``purposely model``: register models on the snapshots they were trained on; see which need
retraining because a member withdrew, objected, or was erased."""

from __future__ import annotations

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
    stdout,
)

if TYPE_CHECKING:
    from purposely.datasets.registry import ModelInfo

app = new_app("Register trained models and see which need retraining.")


@app.command()
def register(
    name: Annotated[str, typer.Argument(help="The model's name, e.g. feed-ranker-2026-11.")],
    trained_on: Annotated[
        list[str],
        typer.Option("--trained-on", help="A snapshot it was trained on (repeat for several)."),
    ],
    note: Annotated[str | None, typer.Option(help="Free text: version, where it runs.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Register model NAME as trained on the given snapshots."""
    from purposely.datasets import registry

    with open_store(db).write() as conn:
        model = registry.register(conn, name, trained_on, by=caller(), note=note)
    emit(as_json, model_dict(model), lambda: _render([model]))


@app.command("list")
def list_command(
    db: DbOption = None, policy: PolicyOption = None, as_json: JsonOption = False
) -> None:
    """List models, and for each whether a snapshot it was trained on went stale, and why."""
    from purposely.datasets import registry
    from purposely.datasets.staleness import refresh

    store = open_store(db)
    refresh(store, policy_from(policy))
    with store.read() as conn:
        models = registry.all_models(conn)
    emit(as_json, [model_dict(m) for m in models], lambda: _render(models))


def model_dict(model: ModelInfo) -> dict[str, Any]:
    """A model as plain data."""
    return {
        "name": model.name,
        "registered_at": model.registered_at,
        "registered_by": model.registered_by,
        "note": model.note,
        "needs_retraining": model.needs_retraining,
        "trained_on": [
            {"snapshot_id": s.id, "state": s.state, "stale": s.stale} for s in model.snapshots
        ],
    }


def _render(models: list[ModelInfo]) -> None:
    if not models:
        stdout.print("no models registered: purposely model register NAME --trained-on SNAPSHOT")
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("model", "trained on", "state"):
        table.add_column(column)
    for model in models:
        state = "[green]current[/]"
        if model.needs_retraining:
            reasons: dict[str, int] = {}
            for per_snapshot in model.stale.values():
                for reason, n in per_snapshot.items():
                    reasons[reason] = reasons.get(reason, 0) + n
            why = ", ".join(f"{n:,} {r}" for r, n in sorted(reasons.items()))
            state = f"[yellow]needs retraining[/] ({why})"
        table.add_row(model.name, ", ".join(s.id[:12] for s in model.snapshots), state)
    stdout.print(table)
