"""``desk demo``: build the demo center into the database (or rebuild it with ``--force``).

Building 60 days takes a few seconds: on a terminal a progress bar on stderr shows the days
simulated (``rich.progress``, gone when done); piped or redirected, stderr stays empty.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import ContextManager

import typer

from desk.cli.center import build_demo_center
from desk.cli.common import env_of, help_text

Progress = Callable[[int, int], None]


def demo_cmd(
    ctx: typer.Context,
    seed: int = typer.Option(7, "--seed", metavar="N", help=help_text("demo.seed")),
    days: int = typer.Option(60, "--days", min=1, max=366, help=help_text("demo.days")),
    force: bool = typer.Option(False, "--force", help=help_text("demo.force")),
) -> None:
    env = env_of(ctx)
    env.language()
    with demo_progress() as progress:
        build_demo_center(env, seed=seed, days=days, force=force, progress=progress)


def demo_progress() -> ContextManager[Progress | None]:
    """The progress callback for building the demo: a bar when stderr is a terminal, else None."""
    return day_progress() if stderr_is_terminal() else nullcontext(None)


def stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def day_progress() -> Iterator[Progress]:
    """A transient ``rich.progress`` bar on stderr, told ``(days done, days)``."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from desk.i18n import t

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(t("cli.demo_progress"), total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance
