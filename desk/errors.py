"""Errors that reach the user as one clear line (the CLI exits with code 2 on them).

Here, below every layer, so the rules, the data layer, the widgets and the CLI raise and
show the same errors without importing each other."""

from __future__ import annotations

import re
import sys

EXIT_USAGE = 2
EXIT_FAILURE = 1

# "scheme://user:secret@host" in URLs, and "password=secret" in libpq connection strings.
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.\-]*://[^:/@\s]*:)(?P<secret>[^@\s]*)(?=@)", re.I)
_KV_PASSWORD = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<secret>'[^']*'|\S+)", re.I)


def mask_secrets(text: str) -> str:
    """``text`` with every database password replaced by ***: for messages, logs and tracebacks."""
    text = _URL_PASSWORD.sub(lambda m: m["head"] + "***", text)
    return _KV_PASSWORD.sub(lambda m: m["head"] + "***", text)


class DeskError(Exception):
    """A problem the user can fix; ``str(err)`` says what to fix. ``exit_code``: the CLI's
    exit code for it (2, a usage error, unless a subclass says the command failed on the way)."""

    exit_code = EXIT_USAGE


class FieldError(DeskError):
    """Bad input for one field of a form: ``field`` names it, ``key`` is the catalog message."""

    def __init__(self, field: str, key: str, **values) -> None:
        super().__init__(f"{field}: {key}")
        self.field = field
        self.key = key
        self.values = values


class PickChanged(DeskError):
    """The person chosen for a transfer is no longer the right one: another workstation gave
    them a caller (or the rotation moved on) between the panel opening and Enter. Nothing was
    written; ``pick_name`` is who the rotation gives the call to now (None: nobody is free)."""

    def __init__(self, chosen_name: str, pick_name: str | None) -> None:
        self.chosen_name = chosen_name
        self.pick_name = pick_name
        super().__init__(f"{chosen_name} is no longer free; the rotation's pick is now {pick_name or 'nobody'}")


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
        return mask_secrets(str(err)), err.exit_code
    if isinstance(err, KeyboardInterrupt):
        return t("cli.aborted"), 130
    if isinstance(err, OSError):
        where = f"{err.filename}: " if getattr(err, "filename", None) else ""
        return f"{where}{err.strerror or err}", EXIT_USAGE
    if "sqlalchemy" in sys.modules:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(err, SQLAlchemyError):
            # The database said no while the command ran (busy, unreachable, a clash): the
            # command was right, nothing was written, and running it again may well work.
            return t("errors.cli_failed", reason=describe_database_error(err)), EXIT_FAILURE
    return None


def describe_database_error(err: BaseException) -> str:
    """What went wrong with the database, in the user's words (the catalog's ``errors.*``),
    with every password masked: for the TUI's message line and the CLI's one line alike."""
    from desk.i18n import t

    text = str(getattr(err, "orig", None) or err)
    low = text.lower()
    if "locked" in low or "busy" in low:
        return t("errors.busy")
    if type(err).__name__ == "IntegrityError" or "unique" in low:
        return t("errors.conflict")
    if any(word in low for word in ("connection", "could not connect", "server closed", "terminat")):
        return t("errors.unreachable")
    first = text.strip().splitlines()[0] if text.strip() else type(err).__name__
    return t("errors.other", detail=mask_secrets(first))


def fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"desk: {message}", file=sys.stderr)
    return code


class Refused(DeskError):
    """The person at the keyboard may not do this (their role, or nobody signed in): the
    message says why in one line. The command was understood and refused: exit 1."""

    exit_code = EXIT_FAILURE
