"""The ``desk`` console script: straight to the TUI when that is all it is asked to do.

Starting desk is what a receptionist does every morning, and it has a budget (issue 2):
Typer and the Pydantic it now loads cost ~45 ms before any work starts. ``desk``,
``desk --db PATH`` and ``desk --lang zh_CN|en`` therefore start the TUI directly; every
other command line, including anything unexpected, goes to the Typer CLI (``desk.cli``),
which parses, explains and reports errors exactly as before.
"""

from __future__ import annotations

import os
import sys

from desk.errors import fail, one_line

_VALUED = ("--db", "--lang")
COMPLETE_VAR = "_DESK_COMPLETE"


def tui_options(args: list[str]) -> dict[str, str] | None:
    """``{"db": ..., "lang": ...}`` for a command line that only starts the TUI, else None."""
    from desk.i18n import LANGUAGES

    options: dict[str, str] = {}
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        name, eq, value = arg.partition("=")
        if name not in _VALUED or name[2:] in options:
            return None
        if not eq:
            if not rest:
                return None
            value = rest.pop(0)
        if not value or (name == "--lang" and value not in LANGUAGES):
            return None
        options[name[2:]] = value
    return options


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    # A shell asking for completions runs `desk` with no arguments and _DESK_COMPLETE set:
    # that is Typer's to answer, not a start of the TUI.
    options = None if COMPLETE_VAR in os.environ else tui_options(args)
    if options is None:
        from desk.cli import main as cli_main

        cli_main(args)
        return
    try:
        from desk.app import run_app

        run_app(db=options.get("db"), lang=options.get("lang"))
    except (Exception, KeyboardInterrupt) as err:
        handled = one_line(err)
        if handled is None:
            raise
        message, code = handled
        sys.exit(fail(f"{_source_of(options.get('db'), err)}{message}", code))


def _source_of(db: str | None, err: BaseException) -> str:
    """``"DESK_DB: "`` (or ``--db``, ...) before a refused database: which setting named it, as
    the commands say it (desk.cli.common.naming_the_source); nothing for the default file."""
    from desk.errors import DatabaseError

    if not isinstance(err, DatabaseError):
        return ""
    from desk.db import resolve
    from desk.i18n import t

    source = resolve(db).source
    return "" if source == "default" else t("cli.wrong_database", source=source, reason="")
