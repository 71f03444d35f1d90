"""``desk demo``: build the demo center into the database (or rebuild it with ``--force``)."""

from __future__ import annotations

import typer

from desk.cli.center import build_demo_center
from desk.cli.common import env_of, help_text


def demo_cmd(
    ctx: typer.Context,
    seed: int = typer.Option(7, "--seed", metavar="N", help=help_text("demo.seed")),
    days: int = typer.Option(60, "--days", min=1, max=366, help=help_text("demo.days")),
    force: bool = typer.Option(False, "--force", help=help_text("demo.force")),
) -> None:
    build_demo_center(env_of(ctx), seed=seed, days=days, force=force)
