"""The follow-up queue: order, filters, results, rescheduling, the promised-visit sweep."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from desk.app import DeskApp
from desk.config import load
from desk.dal import Store
from desk.dal import followups as fu_dal
from desk.dal import leads as leads_dal
from desk.dal import staff as staff_dal
from desk.i18n import set_language
from desk.models import ConsultNote, FollowUp, Visit
from desk.screens.followups import FollowUpsScreen, ResultDialog

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture
def clock():
    return Clock(datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI))  # a Thursday


@pytest.fixture
def desk_store(engine, tmp_path, monkeypatch, clock):
    monkeypatch.setenv("DESK_HOME", str(tmp_path / "home"))
    store = Store(engine, tz=SHANGHAI, clock=clock)
    wang = staff_dal.add_staff(store, name="王芳", role="consultant", extension="801")
    staff_dal.set_state(store, wang.id, "free")
    zhao = staff_dal.add_staff(store, name="赵强", role="consultant", extension="802")
    staff_dal.set_state(store, zhao.id, "free")
    staff_dal.add_staff(store, name="李娜", role="receptionist", extension="800")
    staff_dal.add_staff(store, name="孙经理", role="manager", extension="888")
    return store


def staff_id(store, name):
    return staff_dal.find_staff(store, name).id


def make_app(store, user="王芳", lang="en"):
    set_language(lang)
    return DeskApp(store, load(None), database="test.db", user_id=staff_id(store, user))


def add_lead(store, name, phone, owner="王芳"):
    with store.write() as session:
        lead = leads_dal.new_lead(session, store, name=name, phone=phone, channel="phone", owner_id=staff_id(store, owner))
    return lead


def add_follow_up(store, kind, lead, due, owner="王芳", note=None):
    with store.write() as session:
        return fu_dal.create(session, store, kind, staff_id(store, owner), due, lead_id=lead.id, note=note)


def table_rows(app):
    table = app.screen.query_one("#fu-table")
    return [table.get_row_at(i) for i in range(table.row_count)]


@pytest.mark.both_backends
def test_queue_is_overdue_first_then_today_then_upcoming(desk_store, clock):
    a = add_lead(desk_store, "张伟", "+8613800000001")
    now = clock()
    add_follow_up(desk_store, "callback", a, now + timedelta(days=2))
    add_follow_up(desk_store, "callback", a, now + timedelta(hours=3))
    add_follow_up(desk_store, "promised_visit", a, now - timedelta(hours=26))
    add_follow_up(desk_store, "callback", a, now - timedelta(minutes=7))
    q = fu_dal.queue(desk_store)
    assert [i.bucket for i in q.items] == ["overdue", "overdue", "today", "upcoming"]
    assert [i.late_minutes for i in q.items[:2]] == [26 * 60, 7]
    assert (q.overdue, q.today, q.upcoming) == (2, 1, 1)


@pytest.mark.both_backends
def test_search_finds_a_note_or_a_name_whatever_the_case(desk_store, clock):
    anna = add_lead(desk_store, "Anna Li", "+8613800000001")
    other = add_lead(desk_store, "张伟", "+8613800000002")
    add_follow_up(desk_store, "callback", anna, clock() + timedelta(hours=1))
    add_follow_up(desk_store, "callback", other, clock() + timedelta(hours=2), note="asks about the JAVA weekend class")
    assert [i.lead_name for i in fu_dal.queue(desk_store, search="java").items] == ["张伟"]
    assert [i.lead_name for i in fu_dal.queue(desk_store, search="ANNA L").items] == ["Anna Li"]


@pytest.mark.both_backends
def test_complete_needs_a_valid_result(desk_store, clock):
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    row = add_follow_up(desk_store, "callback", lead, clock())
    with pytest.raises(fu_dal.FieldError) as err:
        fu_dal.complete(desk_store, row.id, "closed")
    assert err.value.key == "followups.err_reason"
    with pytest.raises(fu_dal.FieldError) as err:
        fu_dal.complete(desk_store, row.id, "rescheduled", reschedule_to=clock() - timedelta(minutes=1))
    assert err.value.key == "followups.err_past"
    assert fu_dal.get(desk_store, row.id).done_at is None
    fu_dal.complete(desk_store, row.id, "closed", note="wrong number")
    done = fu_dal.get(desk_store, row.id)
    assert done.result == "closed" and done.result_note == "wrong number"


@pytest.mark.both_backends
def test_sweep_makes_a_promised_visit_follow_up_once(desk_store, clock):
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    visited = add_lead(desk_store, "李雷", "+8613800000002")
    with desk_store.write() as session:
        for who in (lead, visited):
            session.add(ConsultNote(lead_id=who.id, staff_id=staff_id(desk_store, "王芳"), kind="phone",
                                    promised_visit_on=date(2026, 11, 27), created_at=clock()))
    assert fu_dal.sweep(desk_store) == 0  # the date has not passed
    clock.advance(days=1, hours=2)  # Friday 12:00: the promised day, a visit from 李雷
    with desk_store.write() as session:
        session.add(Visit(arrived_at=clock(), visitor_type="repeat_walk_in", lead_id=visited.id))
    clock.advance(days=1)  # Saturday: the date has passed
    assert fu_dal.sweep(desk_store) == 1
    assert fu_dal.sweep(desk_store) == 0
    with desk_store.read() as session:
        rows = session.exec(select(FollowUp).where(FollowUp.kind == "promised_visit")).all()
    assert [r.lead_id for r in rows] == [lead.id]
    # due the working day after the promised date (Saturday is a working day), at opening
    assert desk_store.local(rows[0].due_at) == datetime(2026, 11, 28, 8, 30, tzinfo=SHANGHAI)
    assert rows[0].owner_id == staff_id(desk_store, "王芳")


async def test_consultant_sees_own_queue_and_marks_done_with_keys(desk_store, clock):
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    other = add_lead(desk_store, "李雷", "+8613800000002", owner="赵强")
    mine = add_follow_up(desk_store, "callback", lead, clock() - timedelta(minutes=30))
    add_follow_up(desk_store, "callback", other, clock() - timedelta(minutes=5), owner="赵强")
    app = make_app(desk_store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        rows = table_rows(app)
        assert len(rows) == 1 and rows[0][3] == "张伟"
        assert "30 min late" in str(rows[0][1])
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ResultDialog)
        await pilot.press("enter")  # Reached
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        assert table_rows(app) == []
    done = fu_dal.get(desk_store, mine.id)
    assert done.result == "reached" and done.done_at is not None


async def test_reschedule_with_one_key_and_a_time_keeps_what_was_typed_on_error(desk_store, clock):
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    row = add_follow_up(desk_store, "callback", lead, clock() - timedelta(minutes=30))
    app = make_app(desk_store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"25:99", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ResultDialog)
        assert "Not a time" in str(dialog.query_one("#fu-when-error").render())
        assert dialog.query_one("#fu-when").value == "25:99"
        assert fu_dal.get(desk_store, row.id).done_at is None
        for _ in range(5):
            await pilot.press("backspace")
        await pilot.press(*"+2h", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
    old = fu_dal.get(desk_store, row.id)
    assert old.result == "rescheduled"
    with desk_store.read() as session:
        new = session.exec(select(FollowUp).where(FollowUp.done_at.is_(None))).one()
    assert new.kind == "callback" and new.lead_id == lead.id
    assert new.due_at == clock() + timedelta(hours=2)


async def test_manager_sees_everyone_and_filters_by_kind_and_consultant(desk_store, clock):
    a = add_lead(desk_store, "张伟", "+8613800000001")
    b = add_lead(desk_store, "李雷", "+8613800000002", owner="赵强")
    add_follow_up(desk_store, "callback", a, clock() + timedelta(hours=1))
    add_follow_up(desk_store, "balance_due", b, clock() + timedelta(days=3), owner="赵强")
    add_follow_up(desk_store, "complaint", b, clock() - timedelta(minutes=1), owner="孙经理")
    app = make_app(desk_store, user="孙经理", lang="zh_CN")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        assert len(table_rows(app)) == 3
        await pilot.press("k")  # callback
        await pilot.pause()
        assert [r[2] for r in table_rows(app)] == ["回电"]
        await pilot.press("k", "k", "k", "k")  # balance_due
        await pilot.pause()
        assert [r[3] for r in table_rows(app)] == ["李雷"]
        await pilot.press("o")  # the first consultant: 王芳
        await pilot.pause()
        assert table_rows(app) == []
        await pilot.press("o", "o", "k", "k", "k")  # everyone, all kinds
        await pilot.pause()
        assert len(table_rows(app)) == 3
        await pilot.press("slash", *"lilei")
        await pilot.pause()
        assert {r[3] for r in table_rows(app)} == {"李雷"}


@pytest.mark.both_backends
def test_sweep_leaves_a_promise_alone_that_already_has_its_follow_up(desk_store, clock):
    """A consultant who set the promised-visit follow-up herself (at 10:00, her own note) gets
    no second one from the sweep; an older follow-up of an earlier promise does not count."""
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    add_follow_up(desk_store, "promised_visit", lead, datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI))
    with desk_store.write() as session:
        session.add(ConsultNote(lead_id=lead.id, staff_id=staff_id(desk_store, "王芳"), kind="phone",
                                promised_visit_on=date(2026, 11, 27), created_at=clock()))
    own = add_follow_up(desk_store, "promised_visit", lead, datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI), note="约周五来")
    other = add_lead(desk_store, "李雷", "+8613800000002")
    add_follow_up(desk_store, "promised_visit", other, datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI))
    with desk_store.write() as session:
        session.add(ConsultNote(lead_id=other.id, staff_id=staff_id(desk_store, "王芳"), kind="phone",
                                promised_visit_on=date(2026, 11, 27), created_at=clock()))
    clock.advance(days=2)
    assert fu_dal.sweep(desk_store) == 1  # 李雷's; 张伟's promise has its own follow-up
    with desk_store.read() as session:
        ids = session.exec(select(FollowUp.id).where(FollowUp.kind == "promised_visit", FollowUp.lead_id == lead.id)).all()
    assert len(ids) == 2 and own.id in ids
