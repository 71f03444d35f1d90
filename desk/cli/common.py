"""What every command of the CLI shares: help texts, the global options' ``Env``, and exits.

Every problem the user can fix (a :class:`~desk.errors.DeskError`, a bad argument, a file
that cannot be written) ends as one line on stderr, ``desk: <message>``, and exit code 2 —
never a traceback; :class:`DeskGroup` sees to it for the whole command line. A failure on
the way that is not the user's to fix exits 1 (:func:`runtime_exit`). The command modules
import this module and never each other.
"""

from __future__ import annotations

import sys
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from desk.errors import DeskError, fail, one_line
from desk.i18n import LANGUAGES, detect_language, set_language, t

if TYPE_CHECKING:
    from desk.config import Config
    from desk.dal.store import Store
    from desk.db import Target


def help_text(key: str) -> str:
    """The help text ``cli.help.<key>`` in the language of the environment (the config is not
    read for --help)."""
    return t(f"cli.help.{key}", detect_language())


def _click_exceptions() -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = []
    try:
        from typer._click.exceptions import ClickException as vendored
    except ImportError:
        pass
    else:
        found.append(vendored)
    try:
        from click.exceptions import ClickException
    except ImportError:
        pass
    else:
        found.append(ClickException)
    return tuple(found)


class DeskGroup(TyperGroup):
    """The top-level group: turns every expected error into one line and exit code 2."""

    def invoke(self, ctx: Any) -> Any:
        # Ctrl+C: one line and 130. Typer would turn it into a silent exit 130, and click a
        # prompt's Ctrl+C into Abort (exit 1); both are told apart here, where it happens.
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise typer.Exit(fail(t("cli.aborted"), 130)) from None
        except typer.Abort as err:
            if isinstance(err.__context__, KeyboardInterrupt):
                raise typer.Exit(fail(t("cli.aborted"), 130)) from None
            raise

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            result = super().main(args=args, prog_name=prog_name or "desk", complete_var=complete_var,
                                  standalone_mode=False, **extra)
            code = result if isinstance(result, int) else 0
        except _click_exceptions() as err:
            if type(err).__name__ == "NoArgsIsHelpError":  # `desk staff`: show what it offers
                print(err.ctx.get_help())
                code = 0
            else:
                message = err.format_message()
                ctx = getattr(err, "ctx", None)
                if ctx is not None:
                    message = f"{message} {t('cli.usage_hint', command=ctx.command_path)}"
                code = fail(message)
        except typer.Abort:
            code = fail(t("cli.aborted"), 1)
        except (Exception, KeyboardInterrupt) as err:
            handled = one_line(err)
            if handled is None:
                raise
            code = fail(*handled)
        if not standalone_mode:
            return code
        sys.exit(code)


def runtime_exit(err: DeskError) -> typer.Exit:
    """A failure on the way (not the user's to fix): its line, and exit code 1."""
    return typer.Exit(fail(str(err), 1))


def interactive() -> bool:
    """Ask the person at the terminal (the roster, a confirmation) only when one is typing;
    tests patch this."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


class Env:
    """What the global options chose, opened lazily: only what a command needs is imported."""

    def __init__(self, db: str | None, lang: str | None) -> None:
        self.db = db
        self.lang = lang

    @cached_property
    def target(self) -> Target:
        from desk.db import resolve

        return resolve(self.db)

    @property
    def config_path(self) -> Path:
        from desk.config import config_path

        return config_path(self.target.path)

    @cached_property
    def config(self) -> Config:
        from desk.config import load

        return load(self.config_path)

    def language(self) -> tuple[str, str]:
        """The effective language and where it came from; also makes it current."""
        if self.lang:
            lang, source = self.lang, "option"
        elif self.config.ui.language in LANGUAGES:
            lang, source = self.config.ui.language, "config"
        else:
            lang, source = detect_language(), "locale"
        set_language(lang)
        return lang, source

    @cached_property
    def store(self) -> Store:
        """The store on the migrated database (the config is read first: a bad one stops here)."""
        config = self.config
        self.language()
        from desk.dal.store import Store
        from desk.db import open_database

        return Store(open_database(self.db), tz=config.center.timezone)

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.engine.dispose()


def env_of(ctx: typer.Context) -> Env:
    """The ``Env`` the root callback made for this command line."""
    return ctx.find_root().obj
