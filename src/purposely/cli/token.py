"""``purposely token``: API tokens for the platform's services, scoped to purposes and
operations."""

from __future__ import annotations

from typing import Annotated

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

app = new_app("Create, list and revoke API tokens (for `purposely serve`).")


def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for item in values or [] for v in item.split(",") if v.strip()]


@app.command()
def create(
    purpose: Annotated[
        list[str],
        typer.Option("--purpose", help="A purpose the token may act for (repeat for several)."),
    ],
    can: Annotated[
        list[str],
        typer.Option(
            "--can",
            help="read: ask the gate, poll builds; write: push events and consent decisions; "
            "build: start dataset builds. Repeat for several.",
        ),
    ],
    name: Annotated[str, typer.Option(help="Who uses it, e.g. the service's name.")] = "service",
    db: DbOption = None,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a token; its secret is printed once and never stored."""
    from purposely.access import create_token

    token, secret = create_token(
        open_store(db),
        policy_from(policy),
        name=name,
        purposes=_split(purpose),
        operations=_split(can),
        created_by=caller(),
    )
    data = {
        "id": token.id,
        "name": token.name,
        "purposes": list(token.purposes),
        "operations": [o.value for o in token.operations],
        "token": secret,
    }

    def render() -> None:
        scope = f"{', '.join(data['operations'])} for {', '.join(token.purposes)}"
        stdout.print(f"token {token.id} ({token.name}): {scope}")
        stdout.print("Keep it secret; it is shown only this once:")
        stdout.print(secret, soft_wrap=True)

    emit(as_json, data, render)


@app.command("list")
def list_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List tokens (never their secrets)."""
    from purposely.access.tokens import list_tokens

    tokens = list_tokens(open_store(db))
    data = [
        {
            "id": t.id,
            "name": t.name,
            "purposes": list(t.purposes),
            "operations": [o.value for o in t.operations],
            "created_at": t.created_at,
            "created_by": t.created_by,
            "revoked_at": t.revoked_at,
        }
        for t in tokens
    ]

    def render() -> None:
        table = Table("id", "name", "may", "for", "created", "revoked", box=box.SIMPLE)
        for t in tokens:
            table.add_row(
                t.id,
                t.name,
                ", ".join(o.value for o in t.operations),
                ", ".join(t.purposes),
                f"{t.created_at:%Y-%m-%d}",
                f"{t.revoked_at:%Y-%m-%d}" if t.revoked_at else "",
            )
        stdout.print(table if tokens else "no tokens: purposely token create --help")

    emit(as_json, data, render)


@app.command()
def revoke(
    token_id: Annotated[str, typer.Argument(help="The token's id (see `purposely token list`).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Revoke a token: its next request is refused."""
    from purposely.access import revoke_token

    token = revoke_token(open_store(db), token_id)
    emit(
        as_json,
        {"id": token.id, "revoked": True},
        lambda: stdout.print(f"token {token.id} ({token.name}) revoked"),
    )
