"""The ``purposely`` command line (Typer). One module per command group."""

from __future__ import annotations

import gc

from purposely.cli import (
    audit,
    consent,
    datamap,
    dataset,
    demo,
    gate,
    ingest,
    init,
    jobs,
    member,
    model,
    notice,
    policy,
    serve,
    token,
)
from purposely.cli import subject as subject_commands
from purposely.cli.common import new_app

app = new_app(
    "purposely: every use of personal data asks one gate.\n\n"
    "Start with [bold]purposely demo[/], or [bold]purposely init[/] then "
    "[bold]purposely ingest[/]. Database: --db or PURPOSELY_DB (default sqlite:///purposely.db)."
)
app.command("init")(init.init)
app.command("gate")(gate.gate)
app.command("demo")(demo.demo)
app.command("notice")(notice.notice)
app.command("serve")(serve.serve)
app.add_typer(ingest.app, name="ingest")
app.add_typer(consent.app, name="consent")
app.add_typer(policy.app, name="policy")
app.add_typer(audit.app, name="audit")
app.add_typer(dataset.app, name="dataset")
app.add_typer(model.app, name="model")
app.add_typer(datamap.app, name="datamap")
app.add_typer(subject_commands.app, name="subject")
app.add_typer(token.app, name="token")
app.add_typer(jobs.app, name="jobs")
app.add_typer(member.members, name="member")
app.add_typer(member.officers, name="officer")


def main() -> None:
    """Entry point of the ``purposely`` script."""
    # Long imports create millions of short-lived objects; without this the cyclic garbage
    # collector rescans every object of the libraries loaded at start-up again and again
    # (about 8% of a 1,000,000-line import, see bench/README.md).
    gc.freeze()
    app()
