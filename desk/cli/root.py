"""``desk`` itself: the global options (``--db``, ``--lang``, ``--version``, ``--demo``) and,
with no command, the TUI.

``--demo`` chooses the demo center's database for whatever follows, exactly as ``--db``
would (:func:`desk.db.resolve`): ``desk --demo`` starts on it, ``desk --demo ring N`` rings
it, ``desk --demo report`` reports on it.

The callback makes the :class:`~desk.cli.common.Env` every command reads its options from.
"""

from __future__ import annotations

import typer

from desk import __version__
from desk.cli.center import build_demo_center, demo_progress
from desk.cli.common import Env, help_text, naming_the_source
from desk.errors import DeskError
from desk.i18n import LANGUAGES, detect_language, set_language, t


def _show_version(value: bool) -> None:
    if value:
        print(t("cli.version", detect_language(), version=__version__))
        raise typer.Exit()


def _check_lang(value: str | None) -> str | None:
    if value is not None and value not in LANGUAGES:
        raise typer.BadParameter(t("cli.bad_lang", detect_language(), value=value))
    return value


def root(
    ctx: typer.Context,
    db: str | None = typer.Option(None, "--db", metavar="PATH", help=help_text("root.db")),
    lang: str | None = typer.Option(None, "--lang", metavar="zh_CN|en", callback=_check_lang,
                                       help=help_text("root.lang")),
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_show_version,
                                 help=help_text("root.version")),
    demo: bool = typer.Option(False, "--demo", help=help_text("root.demo")),
    acting: str | None = typer.Option(None, "--as", metavar="NAME", envvar="DESK_AS", help=help_text("root.as_")),
) -> None:
    if demo and db is not None:
        raise DeskError(t("cli.db_and_demo"))
    env = Env(db, lang, demo=demo, acting=acting)
    ctx.obj = env
    ctx.call_on_close(env.close)
    if lang:
        set_language(lang)
    if ctx.invoked_subcommand is None:
        from desk.app import run_app

        if demo:
            from desk.dal.reset import staff_count

            if not staff_count(env.store):
                with demo_progress() as progress:
                    build_demo_center(env, seed=7, days=60, force=False, progress=progress)
        if demo:
            db = str(env.chosen.path)
        with naming_the_source(env.chosen):
            run_app(db=db, lang=lang)
