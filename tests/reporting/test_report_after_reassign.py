"""A manager's reassignment does not rewrite past reports (docs/domain.md §5.4, §9.3): a lead counts, in any
period's report, for the consultant who owned it at its first contact; enrollments count for
the consultant who made them."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import select

from desk.config import load
from desk.dal import outcomes as outcomes_dal
from desk.dal import ownership
from desk.dal import reports as q
from desk.dal import staff as staff_dal
from desk.dal.store import Store
from desk.i18n import set_language
from desk.models import Lead
from desk.reporting import day, month
from tests.helpers import SHANGHAI, Clock, staff_id

pytestmark = pytest.mark.both_backends

NOV_3 = date(2026, 11, 3)


def at(d: int, hh: int = 10) -> datetime:
    return datetime(2026, 11, d, hh, tzinfo=SHANGHAI)


@pytest.fixture
def moving(engine):
    """Nov 3: 王芳 gets a valid lead (张伟) and an invalid one (刘洋), 赵强 a valid lead he keeps
    (周杰). Nov 20 the manager gives 张伟 and 刘洋 to 赵强; Nov 22 张伟 again, to 陈静; Nov 24
    陈静 enrolls 张伟. The clock then stands at Nov 26 10:00."""
    set_language("en")
    clock = Clock(at(3, 9))
    store = Store(engine, tz=SHANGHAI, clock=clock)
    for name, role in (("王芳", "consultant"), ("赵强", "consultant"), ("陈静", "consultant"), ("孙经理", "manager")):
        staff_dal.add_staff(store, name=name, role=role)
    wang, zhao = staff_id(store, "王芳"), staff_id(store, "赵强")
    ids = {}
    with store.write() as session:
        for name, phone, owner, valid, reasons, source in (
            ("张伟", "+8613800000001", wang, True, [], "百度"),
            ("刘洋", "+8613800000002", wang, False, ["under_18"], "朋友"),
            ("周杰", "+8613800000003", zhao, True, [], "百度"),
        ):
            lead = Lead(name=name, phone=phone, channel="phone", owner_id=owner, valid=valid,
                        validity_reasons=json.dumps(reasons), media_source=source, first_contact_at=at(3))
            session.add(lead)
            session.flush()
            ids[name] = lead.id
    manager = store.with_actor(staff_id(store, "孙经理"))
    clock.moment = at(20)
    ownership.reassign(manager, ids["张伟"], zhao, "王芳休产假")
    ownership.reassign(manager, ids["刘洋"], zhao, "王芳休产假")
    clock.moment = at(22)
    ownership.reassign(manager, ids["张伟"], staff_id(store, "陈静"), "赵强调岗")
    clock.moment = at(24)
    outcomes_dal.enroll(store, ids["张伟"], course="Java开发", amount_fen=1_280_000, paid_fen_now=1_280_000,
                        due_on=None, staff_id=staff_id(store, "陈静"))
    clock.moment = at(26)
    return store, ids


def per_consultant(rows, figure):
    return {row["name"]: row[figure] for row in rows}


def test_the_day_of_first_contact_credits_the_owner_of_that_day(moving):
    store, _ = moving
    doc = day.build(store, NOV_3)
    assert per_consultant(doc["consultants"], "valid_leads") == {"王芳": 1, "赵强": 1, "陈静": 0}
    assert doc["leads"]["valid"] == 2 and doc["leads"]["invalid"] == 1  # the center's totals: unchanged


def test_one_consultants_day_counts_the_leads_they_owned_then(moving):
    store, _ = moving
    wang = day.build(store, NOV_3, consultant="王芳")
    assert (wang["leads"]["new"], wang["leads"]["valid"], wang["leads"]["invalid"]) == (2, 1, 1)
    assert wang["leads"]["by_channel"]["phone"] == 2
    assert wang["leads"]["by_source"] == {"百度": {"new": 1, "valid": 1, "invalid": 0},
                                          "朋友": {"new": 1, "valid": 0, "invalid": 1}}
    assert wang["leads"]["invalid_reasons"] == {"under_18": 1}
    zhao = day.build(store, NOV_3, consultant="赵强")  # only 周杰, his from the start
    assert (zhao["leads"]["new"], zhao["leads"]["valid"], zhao["leads"]["invalid_reasons"]) == (1, 1, {})
    assert day.build(store, NOV_3, consultant="陈静")["leads"]["new"] == 0


def test_the_month_counts_leads_at_first_contact_and_enrollments_by_who_enrolled(moving):
    store, _ = moving
    sales = month.build_month(store, load(None), 2026, 11)["sales"]
    assert per_consultant(sales, "valid_leads") == {"王芳": 1, "赵强": 1, "陈静": 0}
    assert per_consultant(sales, "enrollments") == {"王芳": 0, "赵强": 0, "陈静": 1}
    assert per_consultant(sales, "gross_fen")["陈静"] == 1_280_000


def test_the_month_is_the_sum_of_its_days(moving):
    """Counting at first contact, a consultant's month is what their daily reports said."""
    store, _ = moving
    sales = per_consultant(month.build_month(store, load(None), 2026, 11)["sales"], "valid_leads")
    days = {name: 0 for name in sales}
    for d in range(1, 31):
        for name, n in per_consultant(day.build(store, date(2026, 11, d))["consultants"], "valid_leads").items():
            days[name] += n
    assert days == sales


def test_the_owner_then_is_the_old_owner_of_the_first_reassignment_after_first_contact(moving):
    store, ids = moving
    period = q.Period.of(store, NOV_3)
    with store.read() as session:
        owner = q.lead_owner_then(session, period)
        counted = dict(session.execute(select(Lead.name, owner).where(Lead.id.in_(ids.values()))).all())
    assert counted == {"张伟": staff_id(store, "王芳"), "刘洋": staff_id(store, "王芳"), "周杰": staff_id(store, "赵强")}


def test_a_period_without_reassigned_leads_reads_the_current_owner(moving):
    """No CASE when nothing moved: the queries keep their plans on the owner column."""
    store, _ = moving
    with store.read() as session:
        assert q.lead_owner_then(session, q.Period.of(store, date(2026, 11, 25))) is Lead.owner_id


def test_a_lead_first_contacted_after_its_reassignment_counts_for_the_new_owner(moving):
    """A reassignment changes the owner from then on: a later period sees the new owner."""
    store, ids = moving
    with store.write() as session:
        session.get(Lead, ids["刘洋"]).first_contact_at = at(21)  # as if first reached after the 20th
    zhao = day.build(store, date(2026, 11, 21), consultant="赵强")
    assert (zhao["leads"]["new"], zhao["leads"]["invalid_reasons"]) == (1, {"under_18": 1})
    assert day.build(store, date(2026, 11, 21), consultant="王芳")["leads"]["new"] == 0
