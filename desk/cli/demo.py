"""``desk demo``: build the demo center into the database (or rebuild it with ``--force``).

Building 60 days takes a few seconds: on a terminal a progress bar on stderr shows the days
simulated (:func:`desk.cli.center.demo_progress`); piped or redirected, stderr stays empty.
"""

from __future__ import annotations

import typer

from desk.cli.center import build_demo_center, demo_progress
from desk.cli.common import env_of, help_text


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
