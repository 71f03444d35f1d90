"""The walk-in log: registering and routing visitors, the waiting list, lectures, the table."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from desk.dal import leads as leads_dal
from desk.dal import staff as staff_dal
from desk.dal import visits as visits_dal
from desk.models import FollowUp, Lead, LectureBooking, RotationAssignment, Visit
from desk.models.visit import VISITOR_TYPES
from desk.screens.walkins import LectureDialog, WalkInsScreen
from tests.test_followups import clock, desk_store, make_app, staff_id  # noqa: F401


async def choose_type(pilot, vtype):
    await pilot.press("home", *(["down"] * VISITOR_TYPES.index(vtype)), "enter")


def visits(store):
    with store.read() as session:
        return session.exec(select(Visit).order_by(Visit.id)).all()


async def test_walk_ins_go_to_the_rotation_then_wait_then_the_first_free_takes_the_longest_waiting(desk_store, clock):
    receptionist = "李娜"
    app = make_app(desk_store, user=receptionist)
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, WalkInsScreen)
        await choose_type(pilot, "consult_walk_in")
        await pilot.press(*"13900001111", "enter", *"Tom", "enter", "enter", *"Java", "ctrl+s")
        await pilot.pause()
        result = str(app.screen.query_one("#wk-result").render())
        assert "王芳" in result and "next: 王芳 (0 today)" in result
        await choose_type(pilot, "accompanied")
        await pilot.press(*"13900002222", "enter", *"Amy", "enter", *"mother", "ctrl+s")
        await pilot.pause()
        await choose_type(pilot, "consult_walk_in")
        await pilot.press(*"13900003333", "enter", *"Bob", "ctrl+s")
        await pilot.pause()
        assert "waiting list" in str(app.screen.query_one("#wk-result").render())
        clock.advance(minutes=12)
        staff_dal.set_state(desk_store, staff_id(desk_store, "赵强"), "free")
        app.screen.refresh_lists()
        await pilot.pause()
        assert "赵强" in str(app.screen.query_one("#wk-offer").render())
        assert "12 min" in str(app.screen.query_one("#wk-waiting").get_row_at(0)[3])
        await pilot.press("ctrl+t")
        await pilot.pause()
        day = app.screen.query_one("#wk-day")
        assert [day.get_row_at(i)[4] for i in range(day.row_count)] == ["王芳", "赵强", "赵强"]
    tom, amy, bob = visits(desk_store)
    assert (tom.received_by_id, amy.received_by_id, bob.received_by_id) == (
        staff_id(desk_store, "王芳"), staff_id(desk_store, "赵强"), staff_id(desk_store, "赵强"))
    assert amy.companions == "mother" and bob.waited_until - bob.waited_from == timedelta(minutes=12)
    with desk_store.read() as session:
        lead = leads_dal.find_by_phone(session, "+8613900001111")
        pools = session.exec(select(RotationAssignment.pool)).all()
    assert lead.channel == "walk_in" and lead.owner_id == staff_id(desk_store, "王芳") and lead.course_interest == "Java"
    assert pools == ["walk_in"] * 3


async def test_known_phone_is_a_repeat_visitor_for_the_owner(desk_store, clock):
    with desk_store.write() as session:
        leads_dal.new_lead(session, desk_store, name="张伟", phone="+8613800000001", owner_id=staff_id(desk_store, "赵强"))
    staff_dal.set_state(desk_store, staff_id(desk_store, "赵强"), "free")
    app = make_app(desk_store, user="李娜", lang="zh_CN")
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await choose_type(pilot, "consult_walk_in")
        await pilot.press(*"13800000001")
        await pilot.pause()
        assert "已有咨询者 张伟" in str(app.screen.query_one("#wk-phone-error").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
    (visit,) = visits(desk_store)
    assert visit.visitor_type == "repeat_walk_in" and visit.received_by_id == staff_id(desk_store, "赵强")
    assert visit.visitor_name == "张伟"


async def test_refund_student_goes_to_the_manager_and_bad_group_size_is_refused(desk_store, clock):
    with desk_store.write() as session:
        leads_dal.new_lead(session, desk_store, name="王五", phone="+8613800000009", owner_id=staff_id(desk_store, "王芳"))
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await choose_type(pilot, "group")
        await pilot.press("enter", "enter", "enter", *"x", "ctrl+s")
        await pilot.pause()
        assert "whole number" in str(app.screen.query_one("#wk-group_size-error").render())
        assert app.screen.query_one("#wk-group_size").value == "x"
        assert visits(desk_store) == []
        await pilot.press("backspace", *"4", "ctrl+s")
        await pilot.pause()
        await choose_type(pilot, "refund_student")
        await pilot.press(*"13800000009", "ctrl+s")
        await pilot.pause()
        assert "孙经理" in str(app.screen.query_one("#wk-result").render())
    group, refund = visits(desk_store)
    assert group.group_size == 4
    assert refund.received_by_id == staff_id(desk_store, "孙经理") and refund.came_for == "refund"


async def test_lecture_check_in_books_and_owes_a_follow_up(desk_store, clock):
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LectureDialog)
        await pilot.press(*"+1h", "enter", *"Java intro", "enter")
        await pilot.pause()
        await choose_type(pilot, "lecture_attendee")
        await pilot.press(*"13700000001", "enter", *"Lily", "enter", "enter", *"1", "enter")
        await pilot.pause()
    (visit,) = visits(desk_store)
    with desk_store.read() as session:
        booking = session.exec(select(LectureBooking)).one()
        follow = session.exec(select(FollowUp).where(FollowUp.kind == "lecture_follow_up")).one()
        lead = session.get(Lead, visit.lead_id)
    assert booking.attended and booking.lead_id == lead.id and lead.name == "Lily"
    assert desk_store.local(follow.due_at).date().isoformat() == "2026-11-27"
    assert visits_dal.day_table(desk_store)[0].visitor_type == "lecture_attendee"
