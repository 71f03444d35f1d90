"""Errors that reach the user as one clear line (the CLI exits with code 2 on them)."""

from __future__ import annotations

import sys

EXIT_USAGE = 2


class DeskError(Exception):
    """A problem the user can fix; ``str(err)`` says what to fix."""


class DatabaseError(DeskError):
    """The database cannot be opened or is not a desk database."""


class ConfigError(DeskError):
    """The config file has an error; the message names the line and key."""


def one_line(err: BaseException) -> tuple[str, int] | None:
    """The line to print and the exit code for an error the user can act on; None for a bug.

    Shared by the Typer commands and the fast start of the TUI (``desk.entry``), so both
    end the same way: ``desk: <message>`` on stderr, never a traceback.
    """
    from desk.i18n import t

    if isinstance(err, DeskError):
        return str(err), EXIT_USAGE
    if isinstance(err, KeyboardInterrupt):
        return t("cli.aborted"), 130
    if isinstance(err, OSError):
        where = f"{err.filename}: " if getattr(err, "filename", None) else ""
        return f"{where}{err.strerror or err}", EXIT_USAGE
    if "sqlalchemy" in sys.modules:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(err, SQLAlchemyError):
            return str(getattr(err, "orig", err)).splitlines()[0], EXIT_USAGE
    return None


def fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"desk: {message}", file=sys.stderr)
    return code
