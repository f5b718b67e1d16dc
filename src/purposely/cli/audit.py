"""``purposely audit``: verify the consent ledger and the audit log; list recent events."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.table import Table

from purposely import audit
from purposely.cli.common import DbOption, JsonOption, emit, new_app, open_store, stderr, stdout

app = new_app("Check and read the audit log and the consent ledger.")


@app.command()
def verify(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Check both hash chains; name the first broken entry and exit 2 if one is broken."""
    with open_store(db).read() as conn:
        result = audit.verify(conn)
    data = {
        "ok": result.ok,
        "consent_ledger_entries": result.ledger_entries,
        "audit_events": result.audit_events,
        "problems": [str(p) for p in result.problems],
    }

    def render() -> None:
        if result.ok:
            stdout.print(
                f"ok: consent ledger ({result.ledger_entries:,} entries) and audit log "
                f"({result.audit_events:,} events) verify"
            )
        for problem in result.problems:
            stderr.print(f"[bold red]broken:[/] {problem}", soft_wrap=True)

    emit(as_json, data, render)
    if not result.ok:
        raise typer.Exit(2)


@app.command("log")
def log(
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many events.")] = 20,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show the most recent audit events, newest first."""
    with open_store(db).read() as conn:
        events = audit.recent(conn, limit)

    def render() -> None:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column("seq", justify="right")
        table.add_column("time (UTC)", no_wrap=True)
        table.add_column("caller")
        table.add_column("purpose", overflow="fold")
        table.add_column("records", justify="right")
        table.add_column("subjects", justify="right")
        table.add_column("withheld", justify="right")
        for e in events:
            table.add_row(
                str(e["seq"]),
                e["at"].strftime("%Y-%m-%d %H:%M"),
                e["caller"],
                e["purpose"],
                f"{e['records']:,}",
                f"{e['subjects']:,}",
                f"{sum(e['withheld'].values()):,}",
            )
        stdout.print(table)
        stdout.print("[dim]--json gives every field: categories, reasons, watermark, hashes[/]")

    emit(as_json, events, render)
