"""desk report: a known day built through the data layer, and every figure of its JSON."""

from __future__ import annotations

import json
from datetime import date

import pytest

from desk.config import load
from desk.errors import DeskError
from desk.i18n import set_language
from desk.models.call import CALL_TYPES
from desk.models.lead import CHANNELS
from desk.reporting import day, emit, month
from tests.helpers import DAY

pytestmark = pytest.mark.both_backends

def test_every_figure_of_the_known_day(known):
    doc = day.build(known, DAY)
    assert doc["from"] == doc["to"] == "2026-11-25"
    assert doc["schema"] == "desk.report.day/1"
    assert doc["consultant"] is None
    assert doc["as_of"] == "2026-11-26T00:00:00+08:00"

    calls = doc["calls"]
    assert list(calls["by_type"]) == list(CALL_TYPES)
    assert calls["by_type"] == {
        "first_inquiry": 4,
        "proxy_inquiry": 1,
        "repeat_inquiry": 1,
        "student": 0,
        "directions": 1,
        "business": 0,
        "screened": 1,
        "complaint": 0,
        "silent": 1,
        "other": 0,
    }
    assert calls["total"] == 9
    assert calls["by_outcome"] == {
        "transferred": 4,
        "message_taken": 2,
        "message_refused": 0,
        "declined": 1,
        "directions_given": 1,
        "escalated": 0,
        "hung_up": 1,
        "handled": 0,
    }
    assert (calls["inquiries"], calls["transferred"], calls["messages_taken"], calls["messages_refused"]) == (6, 4, 2, 0)
    assert (calls["messages_returned"], calls["messages_returned_late"]) == (2, 1)

    leads = doc["leads"]
    assert (leads["new"], leads["valid"], leads["invalid"], leads["unchecked"]) == (6, 2, 3, 1)
    assert list(leads["by_channel"]) == list(CHANNELS)
    assert leads["by_channel"] == {"phone": 2, "walk_in": 1, "outdoor": 1, "online": 1, "market": 1, "referral": 0, "internal": 0}
    assert leads["valid_by_channel"] == {c: {"phone": 1, "walk_in": 1}.get(c, 0) for c in CHANNELS}
    assert leads["invalid_by_channel"] == {c: {"phone": 1, "market": 1, "outdoor": 1}.get(c, 0) for c in CHANNELS}
    assert leads["by_source"] == {
        "unknown": {"new": 1, "valid": 0, "invalid": 1},
        "传单": {"new": 1, "valid": 0, "invalid": 1},
        "官网": {"new": 1, "valid": 0, "invalid": 0},
        "抖音": {"new": 1, "valid": 1, "invalid": 0},
        "百度": {"new": 2, "valid": 1, "invalid": 1},
    }
    assert leads["invalid_reasons"] == {"under_18": 2, "education_below_high_school": 1, "first_call_not_connected": 1}

    walk = doc["walk_ins"]
    assert walk["total"] == 5
    assert walk["by_type"] == {
        "consult_walk_in": 1,
        "repeat_walk_in": 1,
        "accompanied": 1,
        "group": 0,
        "channel_proxy": 0,
        "lecture_attendee": 0,
        "enrolling_student": 1,
        "refund_student": 0,
        "business_visitor": 1,
        "interviewee": 0,
        "passer_by": 0,
    }
    assert walk["by_consultant"] == [
        {"name": "王芳", "walk_ins": 3, "walk_in_assigned": 1, "phone_assigned": 2, "market_assigned": 0},
        {"name": "赵强", "walk_ins": 1, "walk_in_assigned": 1, "phone_assigned": 2, "market_assigned": 0},
        {"name": "陈静", "walk_ins": 0, "walk_in_assigned": 0, "phone_assigned": 1, "market_assigned": 1},
    ]
    assert walk["rotation_balance"] == {"walk_in": 1, "phone": 1, "market": 1}

    assert doc["visits"] == 4
    assert (doc["trials"], doc["trials_attended"]) == (2, 1)
    assert doc["enrollments"] == {"count": 2, "amount": 22700.5, "amount_fen": 2_270_050}
    assert doc["balances"] == {"count": 1, "amount": 3000.0, "amount_fen": 300_000}
    assert doc["refunds"] == {"count": 1, "amount": 2000.0, "amount_fen": 200_000}
    # money received on the 25th: 王芳's 5,000 initial and 陈静's 3,000 balance, less her 2,000 refund
    assert doc["sales"] == {"payments": {"count": 2, "amount": 8000.0, "amount_fen": 800_000}, "amount": 6000.0,
                            "amount_fen": 600_000}

    fu = doc["follow_ups"]
    assert (fu["done"], fu["overdue"]) == (3, 2)
    assert fu["by_kind"] == {
        "callback": {"done": 2, "overdue": 0},
        "complete_register": {"done": 0, "overdue": 0},
        "promised_visit": {"done": 0, "overdue": 1},
        "unpaid_after_consult": {"done": 0, "overdue": 0},
        "balance_due": {"done": 0, "overdue": 1},
        "lecture_follow_up": {"done": 0, "overdue": 0},
        "complaint": {"done": 1, "overdue": 0},
    }

    rows = {c["name"]: c for c in doc["consultants"]}
    assert [c["name"] for c in doc["consultants"]] == ["王芳", "赵强", "陈静"]
    expect = {
        "王芳": dict(calls=3, walk_ins=3, valid_leads=1, trials=1, enrollments=1, amount=12800.0, amount_fen=1_280_000,
                   refunds=0, conversion=1.0, follow_ups_done=1, follow_ups_overdue=0, sales=5000.0, sales_fen=500_000),
        "赵强": dict(calls=2, walk_ins=1, valid_leads=1, trials=1, enrollments=1, amount=9900.5, amount_fen=990_050,
                   refunds=0, conversion=1.0, follow_ups_done=0, follow_ups_overdue=1, sales=0.0, sales_fen=0),
        "陈静": dict(calls=1, walk_ins=0, valid_leads=0, trials=0, enrollments=0, amount=0.0, amount_fen=0,
                   refunds=1, conversion=None, follow_ups_done=1, follow_ups_overdue=1, sales=1000.0, sales_fen=100_000),
    }  # fmt: skip
    for name, figures in expect.items():
        for key, value in figures.items():
            assert rows[name][key] == value, (name, key)
    assert rows["陈静"]["rotation"] == {"walk_in": 0, "phone": 1, "market": 1}


def test_the_json_names_every_key_the_issue_asks_for(known):
    doc = json.loads(json.dumps(day.build(known, DAY)))
    for key in ("from", "to", "calls", "leads", "walk_ins", "visits", "trials", "enrollments", "refunds", "follow_ups", "consultants"):
        assert key in doc
    assert set(doc["calls"]) >= {"total", "by_type"}
    assert set(doc["leads"]) >= {"new", "valid", "invalid", "by_channel", "invalid_reasons"}
    assert set(doc["walk_ins"]) >= {"total", "by_type"}
    assert set(doc["enrollments"]) >= {"count", "amount"}
    assert set(doc["refunds"]) >= {"count", "amount"}
    assert set(doc["follow_ups"]) >= {"done", "overdue"}
    for row in doc["consultants"]:
        assert set(row) >= {"name", "calls", "walk_ins", "valid_leads", "trials", "enrollments", "amount"}


def test_an_empty_day_has_every_type_and_channel_at_zero(known):
    doc = day.build(known, date(2026, 10, 5))
    assert doc["calls"]["by_type"] == {t: 0 for t in CALL_TYPES}
    assert doc["leads"]["by_channel"] == {c: 0 for c in CHANNELS}
    assert doc["enrollments"] == {"count": 0, "amount": 0.0, "amount_fen": 0}
    assert [c["calls"] for c in doc["consultants"]] == [0, 0, 0]


def test_today_counts_overdue_at_now(known):
    doc = day.build(known, date(2026, 11, 26))
    assert doc["as_of"] == "2026-11-26T10:00:00+08:00"
    assert doc["calls"]["by_type"]["complaint"] == 1
    assert doc["walk_ins"]["total"] == 1
    # promised visit (due 24th) still open; the balance_due was done at 09:00 today
    assert doc["follow_ups"]["overdue"] == 1
    assert doc["follow_ups"]["done"] == 1


def test_a_range_sums_its_days(known):
    doc = day.build(known, date(2026, 11, 24), date(2026, 11, 26))
    assert doc["calls"]["total"] == 11
    assert doc["leads"]["new"] == 7
    assert doc["trials"] == 3


def test_one_consultant(known):
    doc = day.build(known, DAY, consultant="王芳")
    assert doc["consultant"] == "王芳"
    assert doc["calls"]["total"] == 3
    assert doc["calls"]["by_type"]["first_inquiry"] == 1
    assert doc["leads"]["new"] == 1
    assert doc["walk_ins"]["total"] == 3
    assert doc["enrollments"]["count"] == 1
    assert doc["refunds"]["count"] == 0
    assert [c["name"] for c in doc["consultants"]] == ["王芳"]
    assert day.build(known, DAY, consultant="fang")["consultant"] == "王芳"  # English name, any case


def test_bad_input(known):
    with pytest.raises(DeskError, match="inverted"):
        day.build(known, date(2026, 11, 25), date(2026, 11, 24))
    with pytest.raises(DeskError, match="unknown consultant"):
        day.build(known, DAY, consultant="Nobody")


def test_sales_are_money_received_and_refunds_come_off_in_their_month(known):
    """Issue 15: commission is on money received, not tuition agreed, and a refund comes off in
    the month it is made whenever the enrollment was signed."""
    doc = month.build_month(known, load(None), 2026, 11)
    sales = {r["name"]: r for r in doc["sales"]}
    chen = sales["陈静"]  # signed 8,000 on 11-10; 3,000 received on 11-25 (day 15) and 2,000 refunded
    assert chen["tuition_agreed_fen"] == 800_000 and chen["gross_fen"] == 300_000 and chen["late_fen"] == 0
    assert chen["refunds_deducted"] == {"count": 1, "amount": 2000.0, "amount_fen": 200_000}
    assert chen["net_fen"] == 100_000 and chen["target"] == 30000 and chen["attainment"] == round(1000 / 30000, 4)
    assert chen["commission_rate"] == 0.01 and chen["commission_fen"] == 1000
    zhao = sales["赵强"]  # refunded 1,000 on 11-20 of an enrollment of 10-01: deducted in November all the same
    assert zhao["tuition_agreed_fen"] == 990_050 and zhao["gross_fen"] == 0
    assert zhao["refunds_deducted"] == {"count": 1, "amount": 1000.0, "amount_fen": 100_000} and zhao["net_fen"] == -100_000
    assert zhao["attainment"] == round(-1000 / 60000, 4) and zhao["commission_fen"] == 0
    wang = sales["王芳"]  # signed 12,800 on 11-25, 5,000 of it paid that day
    assert wang["tuition_agreed_fen"] == 1_280_000 and wang["gross_fen"] == wang["net_fen"] == 500_000
    assert wang["target"] == 60000 and wang["attainment"] == round(5000 / 60000, 4) and wang["commission_fen"] == 5000
    register = doc["register"]
    assert len(register) == 7  # every inquiry call of November, none of the others
    assert register[0]["date"] == "2026-11-24" and register[0]["time"] == "23:59"
    assert [r["type"] for r in register].count("first_inquiry") == 5
    first = register[1]
    assert first["name"] == "L1" and first["phone"] == "138****0000" and first["consultant"] == "王芳"  # masked (issue 14)
    assert first["valid"] is True and first["source"] == "百度"
    by_day = {d["date"]: d for d in doc["market"]["by_day"]}
    assert len(by_day) == 30
    assert by_day["2026-11-25"] == {
        "date": "2026-11-25", "inquiries": 6, "new_leads": 6, "valid_leads": 2, "walk_ins": 5,
        "enrollments": 2, "amount": 22700.5, "amount_fen": 2_270_050, "sales": 6000.0, "sales_fen": 600_000,
    }  # fmt: skip
    assert by_day["2026-11-24"]["inquiries"] == 1 and by_day["2026-11-26"]["walk_ins"] == 1


def test_commission_tiers_follow_the_config():
    config = load(None)
    assert month.commission_for(2_999_999, config)[0] == 0.01
    assert month.commission_for(3_000_000, config)[0] == 0.015
    assert month.commission_for(8_000_000, config) == (0.03, 240_000)
    assert month.commission_for(15_000_000, config)[0] == 0.05


def test_tables_print_in_both_languages(known, capsys):
    from rich.console import Console

    doc = day.build(known, DAY)
    console = Console(width=200, record=True)
    emit(doc, "table", None, console=console)
    text = console.export_text()
    assert "Transferred" not in text or "Inquiries transferred" in text
    assert "First inquiry" in text and "王芳" in text and "22,700.50" in text
    set_language("zh_CN")
    console = Console(width=200, record=True)
    emit(doc, "table", None, console=console)
    assert "首次电话咨询" in console.export_text()
    set_language("en")


def test_every_sheet_column_reads_a_field_of_its_document():
    """A column names a field of its record's TypedDict, so a misspelt or dropped field fails here
    rather than in a report: a new column is one field of ``documents`` and one ``Column``."""
    from typing import get_type_hints

    from desk.reporting import documents, tables

    for columns, record in (
        (tables.DAY_CONSULTANT_COLUMNS, documents.ConsultantDay),
        (tables.REGISTER_COLUMNS, documents.RegisterEntry),
        (tables.MARKET_DAY_COLUMNS, documents.MarketDay),
        (tables.SALES_COLUMNS, documents.SalesRow),
    ):
        fields = get_type_hints(record)
        assert [c.cell for c in columns if isinstance(c.cell, str) and c.cell not in fields] == []
