"""What every command shares: options, output (tables or ``--json``), errors, progress."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from typer.core import TyperGroup
from typer.exceptions import TyperException

from purposely.errors import PurposelyError
from purposely.policy import Policy, load_policy
from purposely.store import DB_ENV, Store
from purposely.wire import dumps

POLICY_ENV = "PURPOSELY_POLICY"
DEBUG_ENV = "PURPOSELY_DEBUG"

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar=DB_ENV,
        help="Database URL, e.g. sqlite:///purposely.db or postgresql://user@host/db.",
        show_default="sqlite:///purposely.db",
    ),
]
PolicyOption = Annotated[
    Path | None,
    typer.Option(
        "--policy",
        envvar=POLICY_ENV,
        help="Policy file to enforce (default: the policy shipped with purposely).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)


class Group(TyperGroup):
    """Turns a :class:`PurposelyError` into one line on stderr and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        """Run the command; report errors the way DESIGN.md section 5 says."""
        try:
            return super().invoke(ctx)
        except PurposelyError as exc:
            stderr.print(f"[bold red]error:[/] {exc}", soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except Exception as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            stderr.print(
                f"[bold red]internal error:[/] {type(exc).__name__}: {exc} "
                f"(set {DEBUG_ENV}=1 for the traceback, and please report it)",
                soft_wrap=True,
            )
            raise typer.Exit(1) from None


def new_app(help_text: str) -> typer.Typer:
    """A Typer app (or sub-app) with purposely's conventions."""
    return typer.Typer(
        help=help_text,
        cls=Group,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode="rich",
        context_settings={"help_option_names": ["-h", "--help"]},
    )


def open_store(db: str | None) -> Store:
    """The store at ``db`` (or ``PURPOSELY_DB``, or the default)."""
    return Store.open(db)


def policy_from(path: Path | None) -> Policy:
    """The policy at ``path``, or the shipped default."""
    return load_policy(path)


def caller() -> str:
    """Who is asking, for the audit log."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"cli:{user}"


def emit(as_json: bool, data: Any, render: Callable[[], None]) -> None:
    """Print ``data`` as JSON, or call ``render`` to print it for people."""
    if as_json:
        sys.stdout.write(dumps(data) + "\n")
    else:
        render()


@contextmanager
def byte_progress(label: str, total: int, quiet: bool) -> Iterator[Callable[[int], None]]:
    """A progress bar over ``total`` bytes on stderr; silent with ``--json`` or off a terminal."""
    if quiet or not stderr.is_terminal:
        yield lambda _n: None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


class _Counter:
    """A Rich progress bar over a count of records, started once the total is known."""

    def __init__(self, bar: Progress | None, label: str) -> None:
        self._bar = bar
        self._label = label
        self._task: Any = None

    def start(self, total: int) -> None:
        """Show the bar for ``total`` records."""
        if self._bar is not None:
            self._task = self._bar.add_task(self._label, total=total)

    def advance(self, records: int) -> None:
        """Move the bar."""
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, records)


@contextmanager
def record_progress(label: str, quiet: bool) -> Iterator[_Counter]:
    """A progress bar over records on stderr; silent with ``--json`` or off a terminal."""
    if quiet or not stderr.is_terminal:
        yield _Counter(None, label)
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as bar:
        yield _Counter(bar, label)
