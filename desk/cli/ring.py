"""``desk ring NUMBER``: tell a running desk that the phone is ringing (a file it polls for)."""

from __future__ import annotations

import typer

from desk.cli.common import env_of, help_text
from desk.errors import DatabaseError
from desk.i18n import t


def ring_cmd(
    ctx: typer.Context,
    number: str = typer.Argument(..., metavar="NUMBER", help=help_text("ring.number")),
) -> None:
    env = env_of(ctx)
    env.language()
    number = number.strip()
    if not any(ch.isdigit() for ch in number):
        raise typer.BadParameter(t("cli.bad_number", value=number), param_hint="NUMBER")
    target = env.target
    if target.path is not None and target.path.is_dir():
        raise DatabaseError(t("cli.not_a_database_file", path=target.path))
    from desk.paths import user_dir
    from desk.ring import post_ring

    folder = target.path.parent if target.path is not None else user_dir()
    written = post_ring(folder, number)
    print(t("cli.ring_posted", number=number, folder=written.parent))
