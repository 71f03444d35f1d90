"""``desk backup``, ``desk restore`` and ``desk check``: keeping a center's record safe.

``register(app)`` adds them to the CLI. They work on the database as it is, without opening
it through the app's engine (which would upgrade it first): a backup of a database about to
be upgraded is the one most worth having. The work is in :mod:`desk.backup`. A wrong file or
option is a DeskError (one line, exit 2); a copy that fails on the way, or a check that finds
problems, exits 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from desk.errors import DeskError
from desk.errors import fail as _fail
from desk.i18n import detect_language, t


def _h(key: str) -> str:
    return t(f"backup.help.{key}", detect_language())


def _env(ctx: typer.Context):
    return ctx.find_root().obj


def _runtime(err: DeskError) -> typer.Exit:
    """A failure on the way (not the user's to fix): its line, and exit code 1."""
    return typer.Exit(_fail(str(err), 1))


def backup_cmd(
    ctx: typer.Context,
    to: Optional[Path] = typer.Option(None, "--to", metavar="DIR", help=_h("to")),
    keep: Optional[int] = typer.Option(None, "--keep", metavar="N", min=1, help=_h("keep")),
) -> None:
    env = _env(ctx)
    env.language()
    from desk.backup import BackupFailed, backup

    try:
        made = backup(env.target, folder=to, keep=keep)
    except BackupFailed as err:
        raise _runtime(err) from None
    print(t("backup.written", path=made.path))
    if made.removed:
        print(t("backup.rotated", n=len(made.removed), folder=made.path.parent))
    if made.problems:
        _fail(t("backup.copied_problems", n=len(made.problems), problem=made.problems[0]), 0)


def restore_cmd(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help=_h("file")),
    force: bool = typer.Option(False, "--force", help=_h("force")),
) -> None:
    env = _env(ctx)
    env.language()
    from desk.backup import BackupFailed, restore
    from desk.cli import _interactive

    where = env.target.description
    if not force:
        if not _interactive():
            raise DeskError(t("backup.restore_needs_force", path=where))
        if not typer.confirm(t("backup.restore_confirm", file=file, path=where), default=False):
            raise typer.Abort()
    try:
        kept = restore(env.target, file)
    except BackupFailed as err:
        raise _runtime(err) from None
    if kept is not None:
        print(t("backup.kept", path=kept))
    print(t("backup.restored", file=file, path=where))


def check_cmd(ctx: typer.Context) -> None:
    env = _env(ctx)
    env.language()
    from desk.backup import check

    health = check(env.target)
    for note in health.notes:
        print(note)
    for problem in health.problems:
        print(problem)
    if health.problems:
        raise typer.Exit(_fail(t("backup.check_problems", where=health.where, n=len(health.problems)), 1))


def register(app: typer.Typer) -> None:
    """Add ``desk backup``, ``desk restore`` and ``desk check`` to the CLI's ``app``."""
    app.command("backup", help=_h("backup"))(backup_cmd)
    app.command("restore", help=_h("restore"))(restore_cmd)
    app.command("check", help=_h("check"))(check_cmd)
