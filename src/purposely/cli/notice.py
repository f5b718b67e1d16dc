"""``purposely notice``: the privacy notice (Markdown or HTML, German or English), or the
records of processing as CSV, generated from the policy the gate enforces."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from purposely.cli.common import JsonOption, PolicyOption, emit, policy_from, stdout
from purposely.errors import PurposelyError
from purposely.notice import build_notice, html_page, layout, markdown, ropa_csv, version_of
from purposely.taxonomy import Lang


class NoticeLang(StrEnum):
    """The languages the notice is written in."""

    DE = "de"
    EN = "en"


class NoticeFormat(StrEnum):
    """What to write: the notice as Markdown or HTML, or the records of processing."""

    MD = "md"
    HTML = "html"
    ROPA_CSV = "ropa-csv"


OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Write to this file instead of standard output."),
]


def notice(
    lang: Annotated[NoticeLang, typer.Option("--lang", help="Language.")] = NoticeLang.EN,
    fmt: Annotated[
        NoticeFormat,
        typer.Option(
            "--format",
            help="md or html: the privacy notice; ropa-csv: records of processing "
            "(GDPR Art. 30), one row per purpose and data category.",
        ),
    ] = NoticeFormat.MD,
    out: OutOption = None,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Print the privacy notice generated from the policy, or the records of processing.

    Its version is what a consent recorded without --notice names.
    """
    structured = build_notice(policy_from(policy))
    version = version_of(structured)
    language: Lang = "de" if lang is NoticeLang.DE else "en"
    if fmt is NoticeFormat.ROPA_CSV:
        text = ropa_csv(structured, language)
    else:
        document = layout(structured, language)
        text = markdown(document) if fmt is NoticeFormat.MD else html_page(document)
    if out is not None:
        write_text(out, text)
    data = {
        "version": version,
        "lang": lang.value,
        "format": fmt.value,
        "out": str(out) if out else None,
        "text": text,
    }

    def render() -> None:
        if out is None:
            sys.stdout.write(text)
        else:
            stdout.print(f"wrote {fmt.value} ({lang.value}), notice version {version}, to {out}")

    emit(as_json, data, render)


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8; a path that cannot be written is bad input."""
    try:
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise PurposelyError(f"{path}: cannot write: {exc.strerror}") from None
