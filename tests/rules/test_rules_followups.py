"""Follow-up due times (docs/domain.md §7.4): business-hours and working-day aware."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from desk.rules.followups import (
    BusinessCalendar,
    FollowUpKind,
    balance_due,
    bucket,
    callback_due,
    complaint_due,
    complete_register_due,
    due_at,
    lecture_follow_up_due,
    next_working_day,
    promised_visit_due,
    sort_key,
    unpaid_after_consult_due,
)

TZ = ZoneInfo("Asia/Shanghai")
CAL = BusinessCalendar(open=time(9), close=time(18), weekdays=frozenset(range(5)),
                       holidays=frozenset({date(2025, 10, 1), date(2025, 10, 2), date(2025, 10, 3)}))
SIX_DAYS = BusinessCalendar(open=time(8, 30), close=time(21), weekdays=frozenset(range(6)))

MON = datetime(2025, 3, 3, 10, 0, tzinfo=TZ)
FRI = datetime(2025, 3, 7, 17, 30, tzinfo=TZ)


def test_kinds_are_the_spec_values():
    assert [k.value for k in FollowUpKind] == [
        "callback", "complete_register", "promised_visit", "unpaid_after_consult",
        "balance_due", "lecture_follow_up", "complaint",
    ]


def test_callback_five_minutes_after_the_call():
    assert due_at("callback", MON) == MON + timedelta(minutes=5)
    assert callback_due(FRI) == FRI + timedelta(minutes=5)


def test_complete_register_ten_minutes_after_the_call_ends():
    assert due_at(FollowUpKind.COMPLETE_REGISTER, MON) == MON + timedelta(minutes=10)
    assert complete_register_due(FRI) == FRI + timedelta(minutes=10)


def test_complaint_at_once():
    assert due_at("complaint", FRI) == FRI
    assert complaint_due(MON) == MON


def test_next_working_day_after_a_consult():
    assert due_at("unpaid_after_consult", MON, CAL) == datetime(2025, 3, 4, 9, tzinfo=TZ)
    # Friday -> Monday (weekend skipped)
    assert unpaid_after_consult_due(FRI, CAL) == datetime(2025, 3, 10, 9, tzinfo=TZ)
    # a six-day week: Friday -> Saturday, at its own opening time
    assert due_at("lecture_follow_up", FRI, SIX_DAYS) == datetime(2025, 3, 8, 8, 30, tzinfo=TZ)
    assert lecture_follow_up_due(FRI, CAL) == datetime(2025, 3, 10, 9, tzinfo=TZ)


def test_holidays_are_skipped():
    sep30 = datetime(2025, 9, 30, 15, tzinfo=TZ)  # Tuesday before the National Day holiday
    # Oct 1-3 holidays, Oct 4-5 weekend -> Monday Oct 6
    assert due_at("unpaid_after_consult", sep30, CAL) == datetime(2025, 10, 6, 9, tzinfo=TZ)


def test_promised_visit_the_day_after_the_promised_date():
    assert due_at("promised_visit", MON, CAL, on=date(2025, 3, 4)) == datetime(2025, 3, 5, 9, tzinfo=TZ)
    # promised for Friday -> due Monday; for Saturday -> Monday too
    assert promised_visit_due(date(2025, 3, 7), MON, CAL) == datetime(2025, 3, 10, 9, tzinfo=TZ)
    assert promised_visit_due(date(2025, 3, 8), MON, CAL) == datetime(2025, 3, 10, 9, tzinfo=TZ)
    assert promised_visit_due(date(2025, 9, 30), MON, CAL) == datetime(2025, 10, 6, 9, tzinfo=TZ)


def test_balance_due_on_the_agreed_date():
    assert due_at("balance_due", MON, CAL, on=date(2025, 3, 15)) == datetime(2025, 3, 15, 9, tzinfo=TZ)
    assert balance_due(date(2025, 4, 1), MON) == datetime(2025, 4, 1, 9, tzinfo=TZ)


def test_dates_are_read_in_the_event_timezone():
    # 23:30 UTC on Monday is already Tuesday in Shanghai
    late = datetime(2025, 3, 3, 23, 30, tzinfo=UTC)
    assert due_at("unpaid_after_consult", late.astimezone(TZ), CAL) == datetime(2025, 3, 5, 9, tzinfo=TZ)
    assert due_at("unpaid_after_consult", late, CAL) == datetime(2025, 3, 4, 9, tzinfo=UTC)


def test_date_kinds_need_a_date():
    with pytest.raises(ValueError):
        due_at("promised_visit", MON, CAL)
    with pytest.raises(ValueError):
        due_at("balance_due", MON, CAL)


@pytest.mark.parametrize("kind", list(FollowUpKind))
def test_naive_datetimes_are_rejected(kind):
    with pytest.raises(ValueError):
        due_at(kind, datetime(2025, 3, 3, 10), CAL, on=date(2025, 3, 4))


def test_unknown_kind_raises():
    with pytest.raises(ValueError):
        due_at("tea_break", MON)


def test_calendar_validation_and_helpers():
    with pytest.raises(ValueError):
        BusinessCalendar(weekdays=frozenset())
    with pytest.raises(ValueError):
        BusinessCalendar(open=time(18), close=time(9))
    with pytest.raises(ValueError):
        BusinessCalendar(weekdays=frozenset({7}))
    cal = BusinessCalendar(weekdays={0, 1, 2, 3, 4}, holidays=[date(2025, 3, 4)])  # type: ignore[arg-type]
    assert isinstance(cal.weekdays, frozenset) and isinstance(cal.holidays, frozenset)
    assert next_working_day(date(2025, 3, 3), cal) == date(2025, 3, 5)
    assert CAL.is_open(MON) and not CAL.is_open(datetime(2025, 3, 8, 10, tzinfo=TZ))
    assert not CAL.is_open(datetime(2025, 3, 3, 8, 59, tzinfo=TZ))
    every_day_holiday = BusinessCalendar(weekdays=frozenset({0}),
                                         holidays=frozenset(date(2025, 1, 6) + timedelta(weeks=w) for w in range(600)))
    with pytest.raises(ValueError):
        next_working_day(date(2025, 1, 1), every_day_holiday)


def test_bucket_and_sort_key():
    now = datetime(2025, 3, 3, 12, 0, tzinfo=TZ)
    assert bucket(now - timedelta(minutes=1), now) == "overdue"
    assert bucket(now, now) == "today"
    assert bucket(now.replace(hour=23, minute=59), now) == "today"
    assert bucket(now + timedelta(days=1), now) == "upcoming"
    # a due time in another timezone is read in now's
    assert bucket(datetime(2025, 3, 3, 15, 0, tzinfo=UTC), now) == "today"  # 23:00 here
    assert bucket(datetime(2025, 3, 3, 16, 30, tzinfo=UTC), now) == "upcoming"  # 00:30 tomorrow
    dues = [now + timedelta(days=2), now - timedelta(days=1), now + timedelta(hours=3),
            now - timedelta(minutes=5), now + timedelta(hours=1)]
    ordered = sorted(dues, key=lambda d: sort_key(d, now))
    assert ordered == [now - timedelta(days=1), now - timedelta(minutes=5), now + timedelta(hours=1),
                       now + timedelta(hours=3), now + timedelta(days=2)]
    with pytest.raises(ValueError):
        bucket(datetime(2025, 3, 3), now)
