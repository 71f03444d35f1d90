"""``desk init``: create a center, its ``desk.toml``, and its roster (asked for, or the demo)."""

from __future__ import annotations

import typer

from desk.cli import common
from desk.cli.center import ask_roster, build_demo_center, write_config
from desk.cli.common import env_of, help_text
from desk.errors import DeskError
from desk.i18n import t


def init_cmd(
    ctx: typer.Context,
    demo: bool = typer.Option(False, "--demo", help=help_text("init.demo")),
    center: str | None = typer.Option(None, "--center", metavar="NAME", help=help_text("init.center")),
    seed: int = typer.Option(7, "--seed", help=help_text("demo.seed")),
) -> None:
    env = env_of(ctx)
    store = env.store  # reads the config (refusing a broken one), then opens and migrates
    from desk.dal.reset import staff_count

    count = staff_count(store)
    if demo and count:
        raise DeskError(t("cli.init_has_staff", path=env.target.description, count=count))
    written = write_config(env.config_path, center)
    print(t("cli.center_created", path=env.target.description))
    if written:
        print(t("cli.config_written", path=written))
    if demo:
        build_demo_center(env, seed=seed, days=60, force=False)
    elif common.interactive():
        ask_roster(store)
