"""Checks of rows marked repeat / invalid (docs/domain.md §4.5) in the day and month reports."""

from __future__ import annotations

import json
from datetime import date

import pytest

from desk.config import load
from desk.dal import notes as notes_dal
from desk.errors import FieldError
from desk.models import Lead
from desk.reporting import day, month
from desk.reporting.tables import day_sheets, month_sheets
from tests.helpers import add_lead, transferred_call

pytestmark = pytest.mark.both_backends  # the queries are plain SQL on both


def lead_of(store, lead_id) -> Lead:
    with store.read() as session:
        return session.get(Lead, lead_id)


@pytest.fixture
def checked(store, center, clock):
    """Two marked leads of the 26th, checked: 王芳's repeat upheld at 10:20 by the receptionist,
    李娜's invalid overruled at 11:05 by the manager; a third mark nobody has checked."""
    wang, li = (store.with_actor(center[n].id) for n in ("王芳", "李娜"))
    reception, manager = store.with_actor(center["陈静"].id), store.with_actor(center["周强"].id)
    first = transferred_call(store, to="王芳", number="+8613811112222", name="张伟")
    second = transferred_call(store, to="李娜", number="+8613833334444", name="刘洋")
    third = transferred_call(store, to="赵强", number="+8613855556666", name="陈晨")
    notes_dal.mark_flag(wang, first.lead_id, "repeat")
    notes_dal.mark_flag(li, second.lead_id, "invalid")
    notes_dal.mark_flag(store.with_actor(center["赵强"].id), third.lead_id, "invalid")
    clock.advance(minutes=20)
    notes_dal.confirm_checked(reception, first.lead_id, "upheld", "  same number as 张伟 last week ")
    clock.advance(minutes=45)
    notes_dal.confirm_checked(manager, second.lead_id, "overruled")
    return first.lead_id, second.lead_id, third.lead_id


def test_a_check_records_its_verdict_checker_time_and_reasons(store, center, checked, clock):
    first, second, third = checked
    upheld, overruled = lead_of(store, first), lead_of(store, second)
    assert (upheld.flag_verdict, upheld.flag_checked_by_id, upheld.flag_check_note) == ("upheld", center["陈静"].id, "same number as 张伟 last week")
    assert store.local(upheld.flag_checked_at).strftime("%H:%M") == "10:20"
    assert (overruled.flag_verdict, overruled.flag_checked_by_id, overruled.flag_check_note) == ("overruled", center["周强"].id, None)
    assert [lead.id for lead in notes_dal.check_list(store)] == [third]


def test_the_verdict_decides_validity(store, center, checked):
    first, second, third = checked
    assert "repeat" in json.loads(lead_of(store, first).validity_reasons)  # upheld: still out of valid counts
    assert "checked_invalid" not in json.loads(lead_of(store, second).validity_reasons)  # overruled
    assert "checked_invalid" not in json.loads(lead_of(store, third).validity_reasons)  # not checked yet
    notes_dal.confirm_checked(store.with_actor(center["陈静"].id), third, "upheld", "under 18 on the recording")
    assert lead_of(store, third).valid is False and "checked_invalid" in json.loads(lead_of(store, third).validity_reasons)


def test_an_overruled_repeat_no_longer_counts_against_the_lead(store, center, clock):
    call = transferred_call(store, to="王芳")
    notes_dal.mark_flag(store, call.lead_id, "repeat")
    notes_dal.confirm_checked(store, call.lead_id, "overruled", "a different person on the same line")
    assert "repeat" not in json.loads(lead_of(store, call.lead_id).validity_reasons)


def test_bad_checks_are_refused_at_their_field(store, center, checked):
    first, _second, third = checked
    with pytest.raises(FieldError) as err:
        notes_dal.confirm_checked(store, third, "maybe")
    assert err.value.field == "verdict"
    with pytest.raises(FieldError, match="err_checked_already"):
        notes_dal.confirm_checked(store, first, "overruled")
    unmarked = add_lead(store, "吴敏", "+8613877778888")
    with pytest.raises(FieldError, match="err_not_marked"):
        notes_dal.confirm_checked(store, unmarked.id, "upheld")


def test_a_changed_mark_is_checked_afresh(store, center, checked):
    first, _second, _third = checked
    notes_dal.mark_flag(store, first, "invalid")
    lead = lead_of(store, first)
    assert (lead.flag_checked, lead.flag_verdict, lead.flag_checked_at) == (False, None, None)


EXPECTED = [
    {"at": "2026-11-26 10:20", "lead": "张伟", "flag": "repeat", "marked_by": "王芳", "checker": "陈静",
     "verdict": "upheld", "note": "same number as 张伟 last week", "reasons": ["age_unknown", "education_unknown", "not_it_related", "no_recording", "repeat"]},
    {"at": "2026-11-26 11:05", "lead": "刘洋", "flag": "invalid", "marked_by": "李娜", "checker": "周强",
     "verdict": "overruled", "note": None, "reasons": ["age_unknown", "education_unknown", "not_it_related", "no_recording"]},
]


def test_the_day_report_lists_every_check_of_the_range(store, checked):
    assert day.build(store, date(2026, 11, 26))["checks"] == EXPECTED
    assert day.build(store, date(2026, 11, 25))["checks"] == []
    assert day.build(store, date(2026, 11, 26), consultant="李娜")["checks"] == EXPECTED[1:]  # the ones she marked


def test_the_month_report_lists_them_too_and_both_have_a_sheet(store, checked):
    doc = month.build_month(store, load(None), 2026, 11)
    assert doc["checks"] == EXPECTED
    assert month.build_month(store, load(None), 2026, 10)["checks"] == []
    [sheet] = [s for s in month_sheets(doc) if s.key == "checks"]
    assert [row[:7] for row in sheet.rows] == [
        ["2026-11-26 10:20", "张伟", "Repeat", "王芳", "陈静", "Upheld", "same number as 张伟 last week"],
        ["2026-11-26 11:05", "刘洋", "Invalid", "李娜", "周强", "Overruled", None],
    ]
    [day_sheet] = [s for s in day_sheets(day.build(store, date(2026, 11, 26))) if s.key == "checks"]
    assert day_sheet.rows == sheet.rows


def test_the_day_csv_keeps_each_check_apart(store, checked):
    from desk.reporting.export import day_csv

    text = day_csv(day.build(store, date(2026, 11, 26)))
    assert "checks.0.verdict,upheld" in text and "checks.1.verdict,overruled" in text
    assert "checks.1.marked_by,李娜" in text


def test_a_mark_made_with_the_lead_is_its_owners(store, center, clock):
    from desk.dal.calls import record_call
    from desk.drafts import CallDraft

    draft = CallDraft(started_at=clock(), caller_number="+8613800002222", words="我上次打过电话",
                      call_type="repeat_inquiry", caller_name="刘洋", target_id=center["赵强"].id)
    call = record_call(store.with_actor(center["陈静"].id), draft)  # nobody found them: a possible duplicate
    notes_dal.confirm_checked(store.with_actor(center["周强"].id), call.lead_id, "upheld")
    [entry] = day.build(store, date(2026, 11, 26))["checks"]
    assert (entry["lead"], entry["flag"], entry["marked_by"], entry["checker"]) == ("刘洋", "repeat", "赵强", "周强")
