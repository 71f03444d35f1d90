"""The month-end of issue 15 on a month built by hand: ``desk report pay --format json`` and
every figure in it, computed here by hand from the SOP (docs/domain.md §10, §11).

September 2026 (a quarter's last month), five consultants, the center's target 350,000:

- 王芳 (regular): 60,000 + 20,000 received within 30 days of a 09-02 signing; 15,000 on 09-05
  for a July enrollment (day 57: the center's only); a 5,000 refund on 09-10 of that July
  enrollment (deducted now, whenever it was signed). Sales 75,000. July 10,000; April 310,000.
- 赵强 (regular): 25,000 on 09-23 for an 08-25 signing (day 29: his); 10,000 for a 09-01
  signing refunded 8,000 on 09-15 (within the window: listed against the class). Sales 27,000;
  August 20,000: two months below 50,000, a demotion warning.
- 陈静 (new, joined in August): 40,000. Her target is 30,000.
- 刘洋 (demoted in August): 25,000; July 20,000, August 30,000: 75,000 in three months, below
  80,000, an elimination warning.
- 周杰 (regular): 100,000 on 09-03 and 100,000 on 09-24, which takes the center to 382,000,
  past its target on the 24th; July 150,000.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import CENTER_TZ, desk

pytestmark = pytest.mark.usefixtures("english")


def _at(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=CENTER_TZ)


@pytest.fixture
def september(engine, db_path):
    """The month above in a fresh database; its path."""
    from sqlmodel import Session

    from desk.models import Enrollment, Lead, Payment, Staff
    from desk.models.grade import LevelRecord, QaReview

    with Session(engine) as s:
        def person(name, position, new=False, joined=_at(1, 1)):
            row = Staff(name=name, role="consultant", rotation_position=position, is_new=new, created_at=joined)
            s.add(row)
            s.flush()
            return row.id

        wang, zhao, chen, liu, zhou = (person("王芳", 1), person("赵强", 2), person("陈静", 3, new=True, joined=_at(8, 15)),
                                       person("刘洋", 4), person("周杰", 5))
        boss = Staff(name="孙经理", role="manager")
        s.add(boss)
        s.flush()

        def signed(consultant, course, month, day, *payments, refunds=()):
            lead = Lead(name=f"{course} student", phone=f"+861390000{len(course) * 100 + day:04d}", channel="phone",
                        first_contact_at=_at(month, day, 9), owner_id=consultant)
            s.add(lead)
            s.flush()
            enrollment = Enrollment(lead_id=lead.id, consultant_id=consultant, course=course, amount_fen=99_999_00,
                                    enrolled_at=_at(month, day))
            s.add(enrollment)
            s.flush()
            for kind, rows in (("initial", payments), ("refund", refunds)):
                for (m, d), yuan in rows:
                    s.add(Payment(enrollment_id=enrollment.id, kind=kind, amount_fen=yuan * 100, paid_at=_at(m, d)))

        signed(wang, "Java", 4, 5, ((4, 5), 310_000))
        signed(wang, "Office", 7, 10, ((7, 10), 10_000), ((9, 5), 15_000), refunds=[((9, 10), 5_000)])
        signed(wang, "Python", 9, 2, ((9, 2), 60_000), ((9, 20), 20_000))
        signed(zhao, "CAD", 8, 25, ((8, 25), 20_000), ((9, 23), 25_000))
        signed(zhao, "UI", 9, 1, ((9, 1), 10_000), refunds=[((9, 15), 8_000)])
        signed(chen, "Excel", 9, 5, ((9, 5), 40_000))
        signed(liu, "PS", 7, 15, ((7, 15), 20_000))
        signed(liu, "CAD2", 8, 10, ((8, 10), 30_000))
        signed(liu, "Java2", 9, 12, ((9, 12), 25_000))
        signed(zhou, "Data", 7, 1, ((7, 1), 150_000))
        signed(zhou, "AI", 9, 3, ((9, 3), 100_000), ((9, 24), 100_000))

        s.add(LevelRecord(staff_id=wang, level=3, status="regular", decided_at=_at(6, 30)))
        s.add(LevelRecord(staff_id=wang, level=2, status="regular", decided_at=_at(10, 8)))  # after the month: not yet
        s.add(LevelRecord(staff_id=liu, level=5, status="demoted", decided_at=_at(8, 31)))
        for when, total in ((_at(9, 3), 80), (_at(9, 28), 91), (_at(8, 20), 50)):  # August's is not September's
            s.add(QaReview(staff_id=wang, reviewer_id=boss.id, consult_at=when, total=total))
        s.commit()
    return str(db_path)


def _person(**figures):
    """A row of the document: what every consultant of this month shares, then their own."""
    row = {"active": True, "new": False, "status": None, "late": 0.0, "late_fen": 0,
           "refunds": {"count": 0, "amount": 0.0, "amount_fen": 0}, "team_bonus": 0.0, "team_bonus_fen": 0,
           "base_salary": 2600.0, "next_base_salary": 2600.0, "level": None, "warnings": [], "qa_reviews": 0,
           "qa_average": None, "target": 60000}
    row.update(figures)
    for key in ("received", "late", "sales", "commission", "team_bonus", "quarter_sales", "total", "sales_3_months"):
        row[f"{key}_fen"] = round(row[key] * 100)
    return row


EXPECTED_PEOPLE = [
    # 80,000 received less the 5,000 refund: 75,000 ≥ 60,000 (125%), tier 2% → 1,500; team 1% → 750;
    # base 3,600 from Q2's 310,000, Q3 85,000 → 2,600 next; 3-month 85,000: rank 2 of 5 → level 2.
    _person(name="王芳", status="regular", received=80000.0, late=15000.0,
            refunds={"count": 1, "amount": 5000.0, "amount_fen": 500000}, sales=75000.0, attainment=1.25,
            commission_rate=0.02, commission=1500.0, team_bonus=750.0, base_salary=3600.0, quarter_sales=85000.0,
            total=5850.0, sales_3_months=85000.0, rank=2, level_by_rank=2, level=3, qa_reviews=2, qa_average=85.5),
    # 35,000 - 8,000 = 27,000 (45%), tier 1% → 270; below own target: no team bonus; Aug 20,000 and Sep 27,000.
    _person(name="赵强", received=35000.0, refunds={"count": 1, "amount": 8000.0, "amount_fen": 800000},
            sales=27000.0, attainment=0.45, commission_rate=0.01, commission=270.0, quarter_sales=47000.0,
            total=2870.0, sales_3_months=47000.0, rank=4, level_by_rank=4,
            warnings=[{"warning": "demote", "months": ["2026-08", "2026-09"]}]),
    # new: 40,000 of 30,000 (133.33%), tier 1.5% → 600; team 1% → 400; rank 5 of 5 → level 6.
    _person(name="陈静", new=True, target=30000, received=40000.0, sales=40000.0, attainment=1.3333,
            commission_rate=0.015, commission=600.0, team_bonus=400.0, quarter_sales=40000.0, total=3600.0,
            sales_3_months=40000.0, rank=5, level_by_rank=6),
    # demoted: the new-consultant target, 25,000 (83.33%), tier 1% → 250; 20,000 + 30,000 + 25,000 < 80,000.
    _person(name="刘洋", new=True, status="demoted", target=30000, received=25000.0, sales=25000.0, attainment=0.8333,
            commission_rate=0.01, commission=250.0, quarter_sales=75000.0, total=2850.0, sales_3_months=75000.0,
            rank=3, level_by_rank=3, level=5, warnings=[{"warning": "eliminate", "months": ["2026-07", "2026-08", "2026-09"]}]),
    # 200,000 (333.33%), tier 5% → 10,000; team 1% → 2,000; Q3 350,000 → 3,600 next; rank 1.
    _person(name="周杰", received=200000.0, sales=200000.0, attainment=3.3333, commission_rate=0.05, commission=10000.0,
            team_bonus=2000.0, next_base_salary=3600.0, quarter_sales=350000.0, total=14600.0,
            sales_3_months=350000.0, rank=1, level_by_rank=1),
]


def test_every_figure_of_the_month_end(september):
    result = desk("--db", september, "report", "pay", "--month", "2026-09", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "desk.report.pay/1"
    assert (doc["month"], doc["from"], doc["to"], doc["window_days"]) == ("2026-09", "2026-09-01", "2026-09-30", 30)
    # 395,000 received in September (late ones too) less 13,000 refunded; 350,000 crossed on the 24th.
    assert doc["center"] == {"target": 350000, "sales": 382000.0, "sales_fen": 38_200_000, "reached_on": "2026-09-24",
                             "team_rate": 0.01}
    assert [row["name"] for row in doc["people"]] == [row["name"] for row in EXPECTED_PEOPLE]
    for got, expected in zip(doc["people"], EXPECTED_PEOPLE, strict=True):
        assert got == expected, got["name"]
    # The July enrollment's refund is too late to be the class's; the UI one, 14 days after signing, is.
    assert doc["early_refunds"] == [{"refunded_on": "2026-09-15", "enrolled_on": "2026-09-01", "amount": 8000.0,
                                     "amount_fen": 800000, "course": "UI", "student": "UI student", "consultant": "赵强"}]


def test_a_month_reached_after_the_deadline_pays_half_the_rate(september):
    """With the deadline on the 20th, a target of 380,000 is reached late (the 24th); 390,000 never is."""
    from pathlib import Path

    from desk.config import config_path

    config = config_path(Path(september))  # desk.toml beside the database
    config.write_text("[pay]\ncenter_target = 390000\nteam_deadline_day = 20\n", encoding="utf-8")
    result = desk("--db", september, "report", "pay", "--month", "2026-09", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["center"]["reached_on"] is None and doc["center"]["team_rate"] == 0.0
    assert all(row["team_bonus_fen"] == 0 for row in doc["people"])
    config.write_text("[pay]\ncenter_target = 380000\nteam_deadline_day = 20\n", encoding="utf-8")
    doc = json.loads(desk("--db", september, "report", "pay", "--month", "2026-09", "--format", "json").stdout)
    assert doc["center"]["reached_on"] == "2026-09-24" and doc["center"]["team_rate"] == 0.005
    assert {row["name"]: row["team_bonus_fen"] for row in doc["people"] if row["team_bonus_fen"]} == {
        "王芳": 37500, "陈静": 20000, "周杰": 100000}


def test_table_csv_and_xlsx_with_a_payslip_each(september, tmp_path):
    from openpyxl import load_workbook

    table = desk("--db", september, "report", "pay", "--month", "2026-09")
    assert table.exit_code == 0, table.output
    assert "Month-end 2026-09" in table.stdout and "14,600.00" in table.stdout
    assert "target reached on 2026-09-24" in " ".join(table.stdout.split())  # the title wraps at 80
    warned = [line.split() for line in table.stdout.splitlines() if "demote" in line or "eliminate" in line]
    assert warned == [["赵强", "demote", "2026-08,", "2026-09"], ["刘洋", "eliminate", "2026-07,", "2026-08,", "2026-09"]]
    csv_file = tmp_path / "pay.csv"
    assert desk("--db", september, "report", "pay", "--month", "2026-09", "--output", str(csv_file)).exit_code == 0
    lines = csv_file.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 6 and lines[1].startswith("王芳,80000.0,5000.0,75000.0")
    book = tmp_path / "pay.xlsx"
    assert desk("--db", september, "report", "pay", "--month", "2026-09", "--output", str(book)).exit_code == 0
    sheets = load_workbook(book).sheetnames
    assert [name for name in sheets if name.startswith(("王芳", "周杰"))] == ["王芳 2026-09", "周杰 2026-09"]
    slip = {row[0]: row[1] for row in load_workbook(book)["周杰 2026-09"].iter_rows(values_only=True)}
    assert slip["Pay (¥)"] == 14600.0 and slip["Team bonus (¥)"] == 2000.0 and slip["Next quarter's base (¥)"] == 3600.0


def test_a_bad_month_is_a_usage_error(september):
    result = desk("--db", september, "report", "pay", "--month", "2026-13")
    assert result.exit_code == 2 and "not a month" in result.stderr


def test_only_a_manager_may_see_pay_in_a_center_with_pins(september, monkeypatch):
    monkeypatch.setenv("DESK_NEW_PIN", "2580")
    assert desk("--db", september, "staff", "pin", "孙经理").exit_code == 0  # the first PIN
    monkeypatch.setenv("DESK_PIN", "2580")
    monkeypatch.setenv("DESK_NEW_PIN", "1357")
    assert desk("--db", september, "--as", "孙经理", "staff", "pin", "王芳").exit_code == 0
    monkeypatch.delenv("DESK_NEW_PIN")
    monkeypatch.setenv("DESK_PIN", "1357")
    refused = desk("--db", september, "--as", "王芳", "report", "pay", "--month", "2026-09", "--format", "json")
    assert refused.exit_code == 1 and refused.stdout == ""
    assert refused.stderr.startswith("desk: ") and refused.stderr.count("\n") == 1 and "pay" in refused.stderr
    monkeypatch.setenv("DESK_PIN", "2580")
    allowed = desk("--db", september, "--as", "孙经理", "report", "pay", "--month", "2026-09", "--format", "json")
    assert allowed.exit_code == 0 and json.loads(allowed.stdout)["center"]["sales_fen"] == 38_200_000


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("window_days = -1", "pay.window_days must be a whole number of days"),
        ("team_deadline_day = 32", "pay.team_deadline_day must be a day of the month"),
        ("team_rate = 1.5", "pay.team_rate must be a fraction from 0 to 1"),
        ("base_steps = [[300000, 4500], [400000, 3600]]", "a higher step paying no less"),
        ("center_target = \"lots\"", "pay.center_target must be a number"),
    ],
)
def test_the_pay_config_is_checked(tmp_path, line, said):
    from desk.config import load
    from desk.errors import ConfigError

    path = tmp_path / "desk.toml"
    path.write_text(f"[pay]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=said):
        load(path)


@pytest.mark.both_backends
def test_the_month_end_agrees_with_the_month_report_on_each_backend(known):
    """The known November (tests/conftest.py) on SQLite and PostgreSQL: 王芳 5,000 received;
    陈静 3,000 less a 2,000 refund; 赵强 a 1,000 refund of an October enrollment."""
    from desk.config import load
    from desk.reporting import month
    from desk.reporting.pay import build_pay

    config = load(None)
    doc = build_pay(known, config, 2026, 11)
    assert {r["name"]: r["sales_fen"] for r in doc["people"]} == {"王芳": 500_000, "赵强": -100_000, "陈静": 100_000}
    assert {r["name"]: r["net_fen"] for r in month.build_month(known, config, 2026, 11)["sales"]} == {
        r["name"]: r["sales_fen"] for r in doc["people"]}
    assert doc["center"]["sales_fen"] == 500_000 + 300_000 - 200_000 - 100_000 and doc["center"]["reached_on"] is None
    # the 2,000 refund of 陈静's 11-10 CAD enrollment on 11-25 is within the window; the October one is not
    assert [(r["course"], r["amount_fen"], r["consultant"]) for r in doc["early_refunds"]] == [("CAD", 200_000, "陈静")]
    assert [r["rank"] for r in doc["people"]] == [1, 3, 2] and [r["level_by_rank"] for r in doc["people"]] == [1, 3, 2]


months = st.tuples(st.integers(2000, 2100), st.integers(1, 12))


@given(months, st.integers(-40, 40))
def test_shifting_a_month_and_back_is_the_same_month(month, by):
    from desk.reporting.pay import shift

    moved = shift(month, by)
    assert 1 <= moved[1] <= 12 and shift(moved, -by) == month
    assert (moved[0] * 12 + moved[1]) - (month[0] * 12 + month[1]) == by


@given(months)
def test_a_quarter_so_far_ends_with_its_month_and_starts_a_quarter(month):
    from desk.reporting.pay import quarter_months

    quarter = quarter_months(month)
    assert quarter[-1] == month and quarter[0][1] in (1, 4, 7, 10) and len(quarter) == (month[1] - 1) % 3 + 1


@given(st.lists(st.integers(-50_000, 200_000), max_size=30), st.integers(1, 1_000_000))
def test_the_target_is_reached_the_first_day_the_running_sum_gets_there(amounts, target):
    from datetime import date, timedelta

    from desk.reporting.pay import reached_on

    days = [(date(2026, 9, 1) + timedelta(days=i), fen) for i, fen in enumerate(amounts)]
    found = reached_on(days, target)
    running = [sum(amounts[: i + 1]) for i in range(len(amounts))]
    if found is None:
        assert all(r < target for r in running)
    else:
        index = (found - date(2026, 9, 1)).days
        assert running[index] >= target and all(r < target for r in running[:index])
