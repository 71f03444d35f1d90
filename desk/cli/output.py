"""How the commands print: tables that show stored text literally, ``--format json`` for
listings, and progress on stderr only when a person watches it.

Stored text (a name, a place, a source) may hold ``[b]`` or ``[/]``: Rich would read it as
markup and end in a traceback, so every cell and title made of stored text goes through
:func:`plain`. The JSON of each listing has stable keys, listed in docs/report-schema.md.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from desk.cli.common import help_text
from desk.i18n import detect_language, t

LISTING_FORMATS = ("table", "json")


def check_listing_format(value: str | None) -> str:
    """``--format`` of a listing: table (default) or json; anything else is a usage error."""
    value = (value or "table").strip().lower()
    if value not in LISTING_FORMATS:
        raise typer.BadParameter(t("cli.bad_listing_format", detect_language(), value=value))
    return value


def listing_format(help_key: str) -> Any:
    """The ``--format table|json`` option of a listing or summary, with its help text."""
    return typer.Option("table", "--format", metavar="table|json", callback=check_listing_format,
                        help=help_text(help_key))


def print_json(value: Any) -> None:
    """One JSON document on stdout (UTF-8, Chinese as it is, dates as ISO text)."""
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def plain(text: object) -> Any:
    """``text`` as a Rich renderable shown as it is: never read as markup."""
    from rich.text import Text

    return Text("" if text is None else str(text))


def table(title: object = None, **options: Any) -> Any:
    """A Rich table whose title is shown literally (it may hold a center's or a place's name)."""
    from rich.table import Table

    return Table(title=plain(title) if title is not None else None, **options)


def add_row(table: Any, *cells: object, **options: Any) -> None:
    table.add_row(*(plain(cell) for cell in cells), **options)


def console(stderr: bool = False, **options: Any) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, **options)


def stderr_is_terminal() -> bool:
    """Progress is for a person watching: only when stderr is a terminal (tests patch this)."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """A task's progress: ``advance(n)``, ``total(n)``; does nothing when nobody watches."""

    def __init__(self, bar: Any = None, task: Any = None) -> None:
        self._bar, self._task = bar, task

    def total(self, total: int | None) -> None:
        if self._bar is not None:
            self._bar.update(self._task, total=total)

    def advance(self, step: int = 1) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, step)

    def describe(self, text: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=text)


@contextmanager
def progress(description: str, total: int | None = None) -> Iterator[Progress]:
    """A ``rich.progress`` bar on stderr while the block runs, cleared at its end; on a
    stderr that is not a terminal (a pipe, a log, cron) nothing at all is written."""
    if not stderr_is_terminal():
        yield Progress()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    bar = Bar(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
              TimeElapsedColumn(), console=console(stderr=True, force_terminal=True), transient=True)
    with bar:
        yield Progress(bar, bar.add_task(description, total=total))
