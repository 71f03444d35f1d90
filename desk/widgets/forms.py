"""What the forms of the walk-in log, the notes and the follow-up queue share.

Parsers for what people type (times, dates, money, ages) that raise :class:`FieldError`
with a catalog key naming the problem, so the screen can show it at the field and keep
everything typed; and the key-description translation for the screens' own catalogs.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from desk.errors import FieldError
from desk.i18n import t


def error_text(err: FieldError) -> str:
    return t(err.key, **err.values)


_REL = re.compile(r"^\+\s*(\d+)\s*([mhd分时天])?$", re.I)
_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})$")


def parse_when(text: str, now: datetime, field: str = "when") -> datetime:
    """A moment typed as ``HH:MM`` (today, or tomorrow when already past), ``+30m`` / ``+2h``
    / ``+1d``, ``tomorrow HH:MM`` / ``明天 HH:MM``, ``MM-DD HH:MM`` or ``YYYY-MM-DD HH:MM``."""
    raw = text.strip().lower()
    if not raw:
        raise FieldError(field, "followups.form.err_when_empty")
    m = _REL.match(raw)
    if m:
        n, unit = int(m.group(1)), (m.group(2) or "m")
        delta = {"m": timedelta(minutes=n), "分": timedelta(minutes=n), "h": timedelta(hours=n),
                 "时": timedelta(hours=n), "d": timedelta(days=n), "天": timedelta(days=n)}[unit]
        return now + delta
    parts = raw.split()
    day: date | None = None
    clock = parts[-1]
    if len(parts) == 2:
        head = parts[0]
        if head in ("tomorrow", "明天"):
            day = now.date() + timedelta(days=1)
        elif head in ("today", "今天"):
            day = now.date()
        else:
            day = parse_date(head, now.date(), field)
    elif len(parts) != 1:
        raise FieldError(field, "followups.form.err_when")
    m = _TIME.match(clock)
    if not m:
        if len(parts) == 1:
            # a date alone: at opening of that day is the caller's business; use 09:00
            day = parse_date(clock, now.date(), field)
            return datetime.combine(day, time(9, 0), tzinfo=now.tzinfo)
        raise FieldError(field, "followups.form.err_when")
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour > 23 or minute > 59:
        raise FieldError(field, "followups.form.err_when")
    moment = datetime.combine(day or now.date(), time(hour, minute), tzinfo=now.tzinfo)
    if day is None and moment <= now:
        moment += timedelta(days=1)
    return moment


def parse_date(text: str, today: date, field: str = "date") -> date:
    """``YYYY-MM-DD``, ``MM-DD`` (this year), ``+N`` days, ``tomorrow`` / ``明天``."""
    raw = text.strip().lower().replace("/", "-").replace(".", "-")
    if raw in ("today", "今天"):
        return today
    if raw in ("tomorrow", "明天"):
        return today + timedelta(days=1)
    m = re.match(r"^\+(\d+)d?$", raw)
    if m:
        return today + timedelta(days=int(m.group(1)))
    try:
        if re.match(r"^\d{4}-\d{1,2}-\d{1,2}$", raw):
            y, mo, d = (int(x) for x in raw.split("-"))
            return date(y, mo, d)
        if re.match(r"^\d{1,2}-\d{1,2}$", raw):
            mo, d = (int(x) for x in raw.split("-"))
            return date(today.year, mo, d)
    except ValueError:
        raise FieldError(field, "followups.form.err_date_impossible") from None
    raise FieldError(field, "followups.form.err_date")


def parse_optional_date(text: str, today: date, field: str = "date") -> date | None:
    return parse_date(text, today, field) if text.strip() else None


def parse_money(text: str, field: str = "amount", *, allow_zero: bool = True) -> int:
    """Yuan as typed ("12800", "12,800.50", "￥300") -> integer fen."""
    raw = text.strip().replace(",", "").replace("，", "").lstrip("¥￥").strip()
    if raw.endswith("元"):
        raw = raw[:-1]
    if not raw:
        raise FieldError(field, "followups.form.err_amount_empty")
    if raw.startswith("-"):
        raise FieldError(field, "followups.form.err_amount_negative")
    if not re.match(r"^\d+(\.\d{1,2})?$", raw):
        raise FieldError(field, "followups.form.err_amount_number")
    yuan, _, cents = raw.partition(".")
    fen = int(yuan) * 100 + int((cents + "00")[:2])
    if fen == 0 and not allow_zero:
        raise FieldError(field, "followups.form.err_amount_zero")
    return fen


def parse_age(text: str, field: str = "age") -> int | None:
    raw = text.strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise FieldError(field, "followups.form.err_age_number")
    age = int(raw)
    if age < 5 or age > 100:
        raise FieldError(field, "followups.form.err_age_impossible", age=age)
    return age


def yuan(fen: int | None) -> str:
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100:,}" + (f".{fen % 100:02d}" if fen % 100 else "")
