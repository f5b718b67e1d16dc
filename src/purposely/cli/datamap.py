"""``purposely datamap export``: the data map and the policy's purposes as a Fides manifest."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from purposely.cli.common import JsonOption, PolicyOption, emit, new_app, policy_from, stdout
from purposely.cli.notice import OutOption, write_text
from purposely.notice import build_notice, fides_manifest, fides_yaml, version_of

app = new_app("Export the data map: which stored data has which category, used for what.")


class MapFormat(StrEnum):
    """Formats the data map is exported in."""

    FIDES = "fides"


@app.command()
def export(
    fmt: Annotated[
        MapFormat,
        typer.Option(
            "--format",
            help="fides: a fideslang 3.x manifest (organization, system with privacy "
            "declarations, dataset, and our taxonomy extensions).",
        ),
    ] = MapFormat.FIDES,
    out: OutOption = None,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write the data map as a Fides manifest (YAML; the manifest itself with --json)."""
    structured = build_notice(policy_from(policy))
    manifest = fides_manifest(structured)
    text = fides_yaml(manifest)
    if out is not None:
        write_text(out, text)
    data = {
        "format": fmt.value,
        "notice_version": version_of(structured),
        "out": str(out) if out else None,
        "manifest": manifest,
    }

    def render() -> None:
        if out is None:
            sys.stdout.write(text)
        else:
            stdout.print(f"wrote the data map ({fmt.value}) to {out}")

    emit(as_json, data, render)
