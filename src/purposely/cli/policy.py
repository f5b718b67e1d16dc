"""``purposely policy check``: validate a policy file, every problem with file:line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from purposely.cli.common import JsonOption, emit, new_app, stderr, stdout
from purposely.policy import default_policy_text, parse_policy

app = new_app("Check and show the policy the gate enforces.")


@app.command()
def check(
    file: Annotated[
        Path | None, typer.Argument(help="Policy file (default: the shipped policy).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Validate a policy file and report every problem as file:line: message."""
    if file is None:
        text, name = default_policy_text(), "<package>/default_policy.yaml"
    else:
        try:
            text, name = file.read_text("utf-8"), str(file)
        except (OSError, UnicodeDecodeError) as exc:
            stderr.print(f"[bold red]error:[/] {file}: cannot read: {exc}")
            raise typer.Exit(2) from None
    policy, problems = parse_policy(text, name)
    if policy is None:
        if as_json:
            emit(True, {"file": name, "ok": False, "problems": problems}, lambda: None)
        for problem in problems:
            stderr.print(problem, soft_wrap=True, markup=False)
        raise typer.Exit(2)
    emit(
        as_json,
        {"file": name, "ok": True, "purposes": sorted(policy.purposes), "digest": policy.digest},
        lambda: stdout.print(
            f"{name}: ok, {len(policy.purposes)} purposes, digest {policy.digest[:12]}"
        ),
    )


@app.command()
def show(as_json: JsonOption = False) -> None:
    """Print the shipped default policy (a starting point for your own)."""
    text = default_policy_text()
    emit(as_json, {"policy": text}, lambda: print(text, end=""))
