"""Follow-up timing (回访), docs/domain.md §7.4.

| kind | due |
|---|---|
| ``callback`` | 5 minutes after the call (§2.6) |
| ``complete_register`` | 10 minutes after the call ends (§2.7) |
| ``promised_visit`` | the first working day after the promised date, at opening time |
| ``unpaid_after_consult`` | the next working day, at opening time |
| ``balance_due`` | the agreed payment date, at opening time |
| ``lecture_follow_up`` | the next working day, at opening time |
| ``complaint`` | at once (owner: manager) |

All datetimes are timezone-aware (a naive one raises ``ValueError``); dates are read in the
timezone of the event time. Working days come from a :class:`BusinessCalendar` (weekdays open,
opening and closing time, holidays), which the caller builds from the center's configuration.
The queue shows overdue first, then due today, then upcoming: :func:`bucket` and
:func:`sort_key`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

__all__ = [
    "BUCKETS",
    "DEFAULT_CALENDAR",
    "OWNER_MANAGER",
    "BusinessCalendar",
    "FollowUpKind",
    "balance_due",
    "bucket",
    "callback_due",
    "complaint_due",
    "complete_register_due",
    "due_at",
    "lecture_follow_up_due",
    "next_working_day",
    "promised_visit_due",
    "sort_key",
    "unpaid_after_consult_due",
]


class FollowUpKind(StrEnum):
    CALLBACK = "callback"
    COMPLETE_REGISTER = "complete_register"
    PROMISED_VISIT = "promised_visit"
    UNPAID_AFTER_CONSULT = "unpaid_after_consult"
    BALANCE_DUE = "balance_due"
    LECTURE_FOLLOW_UP = "lecture_follow_up"
    COMPLAINT = "complaint"


# The complaint follow-up belongs to the manager (§7.4); the others to the lead's consultant.
OWNER_MANAGER = frozenset({FollowUpKind.COMPLAINT})

CALLBACK_DELAY = timedelta(minutes=5)
REGISTER_DELAY = timedelta(minutes=10)


@dataclass(frozen=True)
class BusinessCalendar:
    """Opening hours and working days. ``weekdays`` uses ``date.weekday()`` (Monday = 0)."""

    open: time = time(9, 0)
    close: time = time(18, 0)
    weekdays: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if not self.weekdays:
            raise ValueError("a business calendar needs at least one working weekday")
        if any(d not in range(7) for d in self.weekdays):
            raise ValueError("weekdays are 0 (Monday) to 6 (Sunday)")
        if self.close <= self.open:
            raise ValueError("closing time must be after opening time")
        object.__setattr__(self, "weekdays", frozenset(self.weekdays))
        object.__setattr__(self, "holidays", frozenset(self.holidays))

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def is_open(self, moment: datetime) -> bool:
        _aware(moment, "moment")
        return self.is_working_day(moment.date()) and self.open <= moment.timetz().replace(tzinfo=None) < self.close

    def opening(self, day: date, tz: tzinfo) -> datetime:
        return datetime.combine(day, self.open, tzinfo=tz)


DEFAULT_CALENDAR = BusinessCalendar()


def _aware(moment: datetime, name: str) -> datetime:
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise ValueError(f"{name} must be timezone-aware")
    return moment


def next_working_day(day: date, calendar: BusinessCalendar = DEFAULT_CALENDAR) -> date:
    """The first working day strictly after ``day``."""
    nxt = day + timedelta(days=1)
    for _ in range(3660):  # ten years of holidays is a configuration error, not a loop forever
        if calendar.is_working_day(nxt):
            return nxt
        nxt += timedelta(days=1)
    raise ValueError("no working day within ten years: check the business calendar")


def due_at(
    kind: FollowUpKind | str,
    at: datetime,
    calendar: BusinessCalendar | None = None,
    *,
    on: date | None = None,
) -> datetime:
    """When a follow-up of ``kind`` is due.

    ``at`` is the event time: the call (callback), the end of the call (complete_register), the
    end of the consult (unpaid_after_consult), the lecture (lecture_follow_up), the complaint,
    or simply "now" for promised_visit / balance_due, whose ``on`` is the promised visit date /
    the agreed payment date (its timezone is ``at``'s).
    """
    kind = FollowUpKind(kind)
    _aware(at, "at")
    cal = calendar or DEFAULT_CALENDAR
    tz = at.tzinfo
    assert tz is not None
    if kind is FollowUpKind.CALLBACK:
        return at + CALLBACK_DELAY
    if kind is FollowUpKind.COMPLETE_REGISTER:
        return at + REGISTER_DELAY
    if kind is FollowUpKind.COMPLAINT:
        return at
    if kind in (FollowUpKind.UNPAID_AFTER_CONSULT, FollowUpKind.LECTURE_FOLLOW_UP):
        return cal.opening(next_working_day(at.date(), cal), tz)
    if on is None:
        raise ValueError(f"{kind.value} needs the date it is about (on=...)")
    if isinstance(on, datetime):
        on = on.astimezone(tz).date() if on.tzinfo else on.date()
    if kind is FollowUpKind.PROMISED_VISIT:
        return cal.opening(next_working_day(on, cal), tz)
    # balance_due: the agreed date is the agreed date, working day or not.
    return cal.opening(on, tz)


def callback_due(call_time: datetime) -> datetime:
    """A message was taken (§2.6): call back 5 minutes after the call."""
    return due_at(FollowUpKind.CALLBACK, call_time)


def complete_register_due(call_end: datetime) -> datetime:
    """A transferred inquiry (§2.7): remind 10 minutes after the call ended."""
    return due_at(FollowUpKind.COMPLETE_REGISTER, call_end)


def promised_visit_due(promised: date, now: datetime, calendar: BusinessCalendar | None = None) -> datetime:
    """A visit promised for ``promised``: the first working day after it, at opening."""
    return due_at(FollowUpKind.PROMISED_VISIT, now, calendar, on=promised)


def unpaid_after_consult_due(consult_end: datetime, calendar: BusinessCalendar | None = None) -> datetime:
    """A consult that ended without payment: the next working day, at opening."""
    return due_at(FollowUpKind.UNPAID_AFTER_CONSULT, consult_end, calendar)


def balance_due(agreed: date, now: datetime, calendar: BusinessCalendar | None = None) -> datetime:
    """An enrollment with a balance: the agreed payment date, at opening."""
    return due_at(FollowUpKind.BALANCE_DUE, now, calendar, on=agreed)


def lecture_follow_up_due(lecture: datetime, calendar: BusinessCalendar | None = None) -> datetime:
    """Someone attended a lecture: the next working day, at opening."""
    return due_at(FollowUpKind.LECTURE_FOLLOW_UP, lecture, calendar)


def complaint_due(at: datetime) -> datetime:
    """A complaint: at once (owner: the manager)."""
    return due_at(FollowUpKind.COMPLAINT, at)


BUCKETS = ("overdue", "today", "upcoming")


def bucket(due: datetime, now: datetime) -> str:
    """``overdue`` (due before now), ``today`` (later today, in now's timezone) or ``upcoming``."""
    _aware(due, "due")
    _aware(now, "now")
    if due < now:
        return "overdue"
    if due.astimezone(now.tzinfo).date() == now.date():
        return "today"
    return "upcoming"


def sort_key(due: datetime, now: datetime) -> tuple[int, datetime]:
    """Queue order: overdue first, then due today, then upcoming; by due time within each."""
    return BUCKETS.index(bucket(due, now)), due
