"""Reading what was typed on the command line: days and periods, roles, states, extensions.

Several commands take the same kinds of value (``desk report`` and ``desk outreach list`` a
period, ``desk init`` and ``desk staff`` a role), so each is read in one place. A value that
cannot be read is a DeskError naming it: one line, exit code 2.
"""

from __future__ import annotations

from datetime import date, timedelta

from desk.errors import DeskError
from desk.i18n import t


def parse_day(text: str, today: date, option: str) -> date:
    """``2026-11-25``, ``today``, ``yesterday`` or ``-N`` (N days ago)."""
    value = (text or "").strip().lower()
    if value in ("today", "今天"):
        return today
    if value in ("yesterday", "昨天"):
        return today - timedelta(days=1)
    if value.startswith("-") and value[1:].isdigit():
        return today - timedelta(days=int(value[1:]))
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DeskError(f"{option}: not a date: {text!r}; give it as YYYY-MM-DD (or today, yesterday)") from None


def period_from_options(today: date, day: str | None, start: str | None, end: str | None) -> tuple[date, date]:
    if day and (start or end):
        raise DeskError("give either --date or --from/--to, not both")
    if day:
        one = parse_day(day, today, "--date")
        return one, one
    first = parse_day(start, today, "--from") if start else None
    last = parse_day(end, today, "--to") if end else None
    if first is None and last is None:
        return today, today
    first = first or last
    last = last or today
    if last < first:
        raise DeskError(f"the range is inverted: --from {first} is after --to {last}")
    return first, last


def _parse_choice(value: str, values: tuple[str, ...], prefix: str, error_key: str) -> str:
    """A value given as itself, its number in the list, or its label in either language."""
    wanted = value.strip()
    if wanted.isdigit() and 1 <= int(wanted) <= len(values):
        return values[int(wanted) - 1]
    for item in values:
        labels = {item, t(f"{prefix}.{item}", "en"), t(f"{prefix}.{item}", "zh_CN")}
        if wanted.casefold() in {label.casefold() for label in labels}:
            return item
    raise DeskError(t(error_key, value=value, choices=", ".join(values)))


def parse_role(value: str) -> str:
    from desk.models.staff import ROLES

    return _parse_choice(value, ROLES, "common.roles", "cli.bad_role")


def parse_state(value: str) -> str:
    from desk.models.staff import CONSULTANT_STATES

    return _parse_choice(value, CONSULTANT_STATES, "common.states", "cli.bad_state")


def check_extension(extension: str | None) -> None:
    if extension is not None and not extension.isdigit():
        raise DeskError(t("cli.bad_extension", value=extension))
