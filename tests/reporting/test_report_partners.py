"""The reports' "by channel partner" (docs/domain.md §6.4): counts worked out by hand for a
few calls, visits, leads and enrollments, in and out of the month."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import update

from desk.config import load
from desk.dal import partners as partners_dal
from desk.dal import visits as visits_dal
from desk.dal.calls import record_call
from desk.drafts import CallDraft
from desk.i18n import set_language
from desk.models import Enrollment, Lead
from desk.reporting import day, emit, month
from desk.reporting.tables import month_sheets
from tests.helpers import add_lead, at

pytestmark = [pytest.mark.both_backends, pytest.mark.usefixtures("english")]


def inquiry(store, number, partner="", name="张伟"):
    return record_call(store, CallDraft(started_at=store.now(), caller_number=number, words="有Java培训吗",
                                        call_type="first_inquiry", caller_name=name, partner=partner))


@pytest.fixture
def partnered(store, center):
    """November 26th: ABC学校 sends two callers' calls (one lead calling twice) and a walk-in
    who becomes a lead; 新东方 sends a channel proxy; one call names nobody. One of ABC's leads
    is valid and enrolls that day. Outside the month: an October lead of ABC's and a December
    enrollment of 新东方's lead."""
    first = inquiry(store, "+8613800000001", "ABC学校")
    inquiry(store, "+8613800000001", "abc学校")  # the same caller again: a call, not a new lead
    inquiry(store, "+8613800000009")  # no partner
    walk = visits_dal.register(store, visits_dal.VisitInput("consult_walk_in", name="李雷", phone="+8613800000002",
                                                            partner="ABC学校"))
    proxy = visits_dal.register(store, visits_dal.VisitInput("channel_proxy", name="王老师", partner="新东方"))
    october = add_lead(store, "韩梅梅", "+8613800000003")
    partners_dal.set_lead_partner(store, october.id, "ABC学校", None)
    with store.write() as session:
        session.execute(update(Lead).where(Lead.id == october.id).values(first_contact_at=at(15, 10, month_=10)))
        session.execute(update(Lead).where(Lead.id == first.lead_id).values(valid=True))
        session.add(Enrollment(lead_id=first.lead_id, course="Java", amount_fen=1_280_000, enrolled_at=at(26, 11)))
        session.add(Enrollment(lead_id=proxy.lead.id, course="Java", amount_fen=980_000, enrolled_at=at(1, 9, month_=12)))
    assert walk.lead is not None
    return store


ABC = {"name": "ABC学校", "kind": "other", "calls": 2, "visits": 1, "new_leads": 2, "valid_leads": 1, "enrollments": 1}
XDF = {"name": "新东方", "kind": "other", "calls": 0, "visits": 1, "new_leads": 1, "valid_leads": 0, "enrollments": 0}


def test_the_month_report_breaks_calls_visits_leads_and_enrollments_down_by_partner(partnered):
    doc = month.build_month(partnered, load(None), 2026, 11)
    assert doc["partners"] == [ABC, XDF]
    # the register's rows are calls: each says the partner it named, as listed
    assert [r["partner"] for r in doc["register"]] == ["ABC学校", "ABC学校", None]
    october = month.build_month(partnered, load(None), 2026, 10)["partners"]
    assert october == [{**ABC, "calls": 0, "visits": 0, "new_leads": 1, "valid_leads": 0, "enrollments": 0}]
    december = month.build_month(partnered, load(None), 2026, 12)["partners"]
    assert december == [{**XDF, "visits": 0, "new_leads": 0, "enrollments": 1}]


def test_the_day_report_has_the_same_section_and_a_quiet_day_has_none(partnered):
    assert day.build(partnered, date(2026, 11, 26))["partners"] == [ABC, XDF]
    assert day.build(partnered, date(2026, 11, 25))["partners"] == []


def test_the_month_tables_show_the_partners_as_a_sheet(partnered):
    set_language("en")
    [sheet] = [s for s in month_sheets(month.build_month(partnered, load(None), 2026, 11)) if s.key == "partners"]
    assert sheet.title == "By channel partner"
    assert sheet.rows == [["ABC学校", "Other", 2, 1, 2, 1, 1], ["新东方", "Other", 0, 1, 1, 0, 0]]


def test_a_formula_looking_partner_name_is_never_live_in_csv_or_xlsx(store, center, tmp_path):
    inquiry(store, "+8613800000001", "=HYPERLINK(\"http://evil.example\",\"x\")")
    doc = day.build(store, date(2026, 11, 26))
    out = emit(doc, "csv", tmp_path / "day.csv")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = dict(list(csv.reader(fh))[1:])
    [name] = [v for k, v in rows.items() if k.startswith("partners.") and k.endswith(".name")]
    assert name == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    book = load_workbook(emit(month.build_month(store, load(None), 2026, 11), "xlsx", tmp_path / "month.xlsx"))
    cell = book["By channel partner"]["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK") and cell.quotePrefix
