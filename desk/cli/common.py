"""What every command of the CLI shares: help texts, the global options' ``Env``, and exits.

Every problem the user can fix (a :class:`~desk.errors.DeskError`, a bad argument, a file
that cannot be written) ends as one line on stderr, ``desk: <message>``, and exit code 2 —
never a traceback; :class:`DeskGroup` sees to it for the whole command line. A failure on
the way that is not the user's to fix exits 1 (:func:`runtime_exit`). The command modules
import this module and never each other.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
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


_help_language: str | None = None


def set_help_language(args: list[str]) -> None:
    """Take the help texts' language from ``--lang`` on the command line, before the commands
    are built: Typer reads every help text then, long before it parses ``--lang``.

    Only the options before the command are the global ones; a bad value is left for the
    option's own check. Without ``--lang`` the environment's locale decides (the config is
    not read for --help).
    """
    global _help_language
    lang = None
    rest = iter(args)
    for arg in rest:
        if not arg.startswith("-"):
            break  # the command: what follows is its own
        name, eq, value = arg.partition("=")
        if name == "--lang":
            lang = value if eq else next(rest, None)
        elif name == "--db" and not eq:
            next(rest, None)  # its value, which may not look like an option
    _help_language = lang if lang in LANGUAGES else None
    if {"-h", "--help"} & set(args) and help_language() != "en":
        _translate_typer_titles()


def help_language() -> str:
    return _help_language or detect_language()


def _translate_typer_titles() -> None:
    """The panel titles of Typer's help (Options, Commands, Arguments) in the help language."""
    import typer.rich_utils as rich_utils

    lang = help_language()
    rich_utils.OPTIONS_PANEL_TITLE = t("cli.panel_options", lang)
    rich_utils.COMMANDS_PANEL_TITLE = t("cli.panel_commands", lang)
    rich_utils.ARGUMENTS_PANEL_TITLE = t("cli.panel_arguments", lang)
    rich_utils.REQUIRED_LONG_STRING = t("cli.panel_required", lang)


def help_text(key: str) -> str:
    """The help text ``cli.help.<key>`` in the help language: ``--lang`` on the command line
    (:func:`set_help_language`), else the environment's locale."""
    return t(f"cli.help.{key}", help_language())


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


# The commands that make a center (or put one back), and ``desk config``, which opens nothing.
# Every other command works on a database that is there and never creates one (issue 12 #9):
# a ``--db`` or ``DESK_DB`` with a typo is an error, not an empty center reporting zeros.
MAY_BE_MISSING = frozenset({"", "init", "demo", "staff add", "import", "restore", "config"})


class Env:
    """What the global options chose, opened lazily: only what a command needs is imported.

    The database is :func:`desk.db.resolve`'s one rule, the same for every command, the TUI
    and the ring hook: ``--db``, then ``--demo``, then ``DESK_DATABASE_URL``, ``DESK_DB``,
    the default file.
    """

    def __init__(self, db: str | None, lang: str | None, demo: bool = False, acting: str | None = None) -> None:
        self.db = db
        self.lang = lang
        self.demo = demo
        self.acting = acting  # --as NAME (or DESK_AS): who runs the command
        self.command = ""  # "staff list", ...: set by env_of when a command asks for its Env

    @cached_property
    def chosen(self) -> Target:
        """The database the options name, whether or not it is there."""
        from desk.db import resolve

        return resolve(self.db, demo=self.demo)

    @cached_property
    def target(self) -> Target:
        """The database of this command: one that must be there unless the command makes it."""
        target = self.chosen
        if self.command not in MAY_BE_MISSING:
            require_existing(target)
        return target

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
        from desk.db import make_engine_for

        with naming_the_source(self.target):
            engine = make_engine_for(self.target)
        store = Store(engine, tz=config.center.timezone)
        name, trusted = self._who()
        return self.signed_in(store, name, trusted=trusted) if name else store

    def _who(self) -> tuple[str | None, bool]:
        """Who the command runs as: ``--as`` (proved by a PIN), else the OS login the config
        maps to a staff member (trusted: the login proved it), else nobody."""
        if self.acting and self.acting.strip():
            return self.acting.strip(), False
        import getpass

        try:
            login = getpass.getuser()
        except (KeyError, OSError):  # no name for this uid (a container), or no login at all
            return None, False
        mapped = self.config.signin.os_users.get(login)
        return (mapped, True) if mapped else (None, False)

    def signed_in(self, store: Store, name: str, *, trusted: bool = False) -> Store:
        """``store`` acting as the staff member ``name``; in a center with PINs, a PIN from
        ``DESK_PIN`` or asked for (hidden) proves it unless ``trusted``. Every write the
        command makes is audited with that person."""
        import os

        from desk.dal import identity
        from desk.dal import staff as staff_dal
        from desk.errors import Refused

        person = staff_dal.find_by_name(store, name)
        if person is None:
            raise DeskError(t("access.no_such_person", name=name))
        if not trusted and identity.center_has_pins(store):
            pin = os.environ.get("DESK_PIN")
            if pin is None:
                if not interactive():
                    raise DeskError(t("access.needs_pin", name=person.name))
                pin = typer.prompt(t("cli.pin_prompt", name=person.name), hide_input=True)
            result = identity.sign_in(store, person.id, pin)
            if result.staff is None:
                raise Refused(t("access.wait", seconds=result.wait_seconds) if result.wait_seconds else t("access.wrong_pin"))
        return store.with_actor(person.id)

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.engine.dispose()


def require_existing(target: Target) -> None:
    """Refuse a SQLite database that is not there, naming what chose it (exit 2)."""
    if target.path is None or target.path.exists():
        return
    if target.source == "--demo":
        raise DeskError(t("cli.no_demo", path=target.path))
    if target.source == "default":
        raise DeskError(t("cli.no_database_default", path=target.path))
    raise DeskError(t("cli.no_database", source=target.source, path=target.path))


@contextmanager
def naming_the_source(target: Target) -> Iterator[None]:
    """A database refused while opening says which option or variable named it."""
    from desk.errors import DatabaseError

    try:
        yield
    except DatabaseError as err:
        if target.source == "default":
            raise
        raise DatabaseError(t("cli.wrong_database", source=target.source, reason=err)) from None


def lead_by_option(store: Store, phone: str | None, lead_id: int | None, region: str, messages: str) -> int:
    """The lead a command names by ``--phone`` or ``--id`` (exactly one of them); refusals
    worded by the command's own catalog section ``messages`` (``one_lead``, ``needs_lead``,
    ``bad_phone``, ``no_phone_lead``)."""
    if phone is not None and lead_id is not None:
        raise DeskError(t(f"{messages}.one_lead"))
    if lead_id is not None:
        return lead_id
    if phone is None:
        raise DeskError(t(f"{messages}.needs_lead"))
    from desk.dal import leads as leads_dal
    from desk.phones import PhoneError, parse

    try:
        e164 = parse(phone, region).e164
    except PhoneError as err:
        raise DeskError(t(f"{messages}.bad_phone", message=t(err.code))) from None
    lead = leads_dal.lead_by_phone(store, e164)
    if lead is None or lead.id is None:
        raise DeskError(t(f"{messages}.no_phone_lead", phone=phone.strip()))
    return lead.id


def env_of(ctx: typer.Context) -> Env:
    """The ``Env`` the root callback made for this command line, told which command asks."""
    env = ctx.find_root().obj
    env.command = ctx.command_path.partition(" ")[2]
    return env
