"""``desk backup``, ``desk restore`` and ``desk check``: keeping a center's record safe.

They work on the database as it is, without opening it through the app's engine (which
would upgrade it first): a backup of a database about to be upgraded is the one most worth
having. The work is in :mod:`desk.backup`. A wrong file or option is a DeskError (one line,
exit 2); a copy that fails on the way, or a check that finds problems, exits 1. ``desk check``
also checks who may read and write the center's files (:mod:`desk.permissions`).
"""

from __future__ import annotations

from pathlib import Path

import typer

from desk.cli import common
from desk.cli.common import env_of, help_text, runtime_exit
from desk.cli.output import progress
from desk.errors import DeskError, fail
from desk.i18n import t


def _a_managers(env) -> None:
    """Backups and restores copy or replace the whole center: a manager's, in a center with
    PINs (``desk --as NAME``). A database not there yet has nothing to protect."""
    if env.target.path is not None and not env.target.path.exists():
        return
    from desk.dal.identity import check_allowed
    from desk.rules.access import Action

    check_allowed(env.store, Action.BACKUP)
    env.store.engine.dispose()  # no connection of ours stays open on the file being copied or replaced


def backup_cmd(
    ctx: typer.Context,
    to: Path | None = typer.Option(None, "--to", metavar="DIR", help=help_text("backup.to")),
    keep: int | None = typer.Option(None, "--keep", metavar="N", min=1, help=help_text("backup.keep")),
) -> None:
    env = env_of(ctx)
    env.language()
    _a_managers(env)
    from desk.backup import BackupFailed, backup

    try:
        with progress(t("cli.progress_backup")):
            made = backup(env.target, folder=to, keep=keep)
    except BackupFailed as err:
        raise runtime_exit(err) from None
    print(t("backup.written", path=made.path))
    if made.removed:
        print(t("backup.rotated", n=len(made.removed), folder=made.path.parent))
    if made.problems:
        fail(t("backup.copied_problems", n=len(made.problems), problem=made.problems[0]), 0)


def restore_cmd(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help=help_text("restore.file")),
    force: bool = typer.Option(False, "--force", help=help_text("restore.force")),
) -> None:
    env = env_of(ctx)
    env.language()
    _a_managers(env)
    from desk.backup import BackupFailed, restore

    where = env.target.description
    if not force:
        if not common.interactive():
            raise DeskError(t("backup.restore_needs_force", path=where))
        if not typer.confirm(t("backup.restore_confirm", file=file, path=where), default=False):
            raise typer.Abort()
    try:
        kept = restore(env.target, file)
    except BackupFailed as err:
        raise runtime_exit(err) from None
    if kept is not None:
        print(t("backup.kept", path=kept))
    print(t("backup.restored", file=file, path=where))


def check_cmd(ctx: typer.Context) -> None:
    env = env_of(ctx)
    env.language()  # reads the config, and with it the group its files are shared with
    from desk.backup import check, default_folder
    from desk.permissions import problems

    health = check(env.target)
    health.problems += problems(env.target.path, env.config_path, default_folder(env.target))
    for note in health.notes:
        print(note)
    for problem in health.problems:
        print(problem)
    if health.problems:
        raise typer.Exit(fail(t("backup.check_problems", where=health.where, n=len(health.problems)), 1))
