"""``purposely member`` and ``purposely officer``: invitations to the privacy center and to
the admin view, as one-time links."""

from __future__ import annotations

from typing import Annotated

import typer

from purposely.cli.common import DbOption, JsonOption, emit, new_app, open_store, stdout

members = new_app("Invite members to the privacy center.")
officers = new_app("Invite the privacy officer to the admin view.")

BaseUrlOption = Annotated[
    str,
    typer.Option(
        "--base-url", envvar="PURPOSELY_BASE_URL", help="Where `purposely serve` is reached."
    ),
]
DaysOption = Annotated[int, typer.Option("--days", min=1, max=90, help="Days the link is valid.")]


@members.command()
def invite(
    subject: Annotated[str, typer.Argument(help="The member's id, or @handle.")],
    base_url: BaseUrlOption = "http://127.0.0.1:8000",
    days: DaysOption = 7,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """A one-time link for SUBJECT to set a password for the privacy center."""
    from datetime import timedelta

    from purposely.access import invite_member

    invitation = invite_member(open_store(db), subject, valid=timedelta(days=days))
    _emit(invitation.link(base_url), invitation.expires_at.isoformat(), as_json)


@officers.command("invite")
def invite_officer(
    name: Annotated[str, typer.Argument(help="The officer's sign-in name, e.g. dpo.")],
    base_url: BaseUrlOption = "http://127.0.0.1:8000",
    days: DaysOption = 7,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """A one-time link for the privacy officer NAME to set a password for /admin."""
    from datetime import timedelta

    from purposely.access import invite_officer as invite

    invitation = invite(open_store(db), name, valid=timedelta(days=days))
    _emit(invitation.link(base_url), invitation.expires_at.isoformat(), as_json)


def _emit(link: str, expires: str, as_json: bool) -> None:
    def render() -> None:
        stdout.print(f"One-time link (valid until {expires}); send it to them privately:")
        stdout.print(link, soft_wrap=True)

    emit(as_json, {"link": link, "expires_at": expires}, render)
