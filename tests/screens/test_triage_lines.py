"""The receptionist's lines on the call card, step by step (docs/domain.md §2.1), keys in."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select
from textual.widgets import Static

from desk.dal import staff as staff_dal
from desk.dal.leads import new_lead
from desk.models import FollowUp, Lead
from tests.helpers import calls, make_app, settle, start_call, type_text


def said(app, where: str) -> str:
    """What a line area of the call on top shows ("" when hidden)."""
    line = app.screen.current.query_one(f"#{where}", Static)
    return str(line.render()) if line.display else ""


async def test_a_call_opens_with_the_greeting_and_the_silent_rule(store, center):
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await settle(pilot)
        opening = said(app, "say-open")
        assert "您好，星辰电脑培训中心" in opening and "再说一遍" in opening
        await type_text(pilot, "13812345678")
        await pilot.press("enter")
        await type_text(pilot, "学费多少")
        await settle(pilot)
        assert said(app, "say-open") == ""  # the caller spoke: the question back comes next


async def test_a_second_call_starts_with_please_hold(store, center):
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, "13812345678", "do you teach Java")
        assert "hold on" not in said(app, "say-open")
        await start_call(pilot, "", "")  # a second phone rings while the first is open
        opening = said(app, "say-open")
        assert opening.index("could you hold on a moment") < opening.index("Hello, Star Computer Training Center")


async def test_an_insisting_inquirer_gets_the_persuade_line_in_the_call_language(store, center):
    app = make_app(store, user="陈静", lang="zh_CN")  # a Chinese desk, an English caller
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, "13812345678", "how much is the Java course")
        assert said(app, "say-after") == ""  # nothing confirmed yet
        assert "Would you like to know about our courses?" in str(app.screen.current.query_one("#suggestion").render())
        await pilot.press("enter")  # first inquiry, confirmed
        await settle(pilot)
        persuade = said(app, "say-after")
        assert "each department has its own responsibility" in persuade
        assert "坚持" in persuade  # the cue of when to say it is in the desk's language
        action = " ".join(str(line.render()) for line in app.screen.current.query("#action .sop"))
        assert "I'll put you through to our course advisor" in action  # the transfer line: the caller's language
    assert calls(store) == []  # nothing saved by showing a line


async def test_a_caller_who_will_not_leave_a_number_is_asked_once_more_then_to_call_later(store, center):
    for name in ("李娜", "王芳", "赵强"):
        staff_dal.set_state(store, center[name].id, "on_call")
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, "", "how much is the graphic design course")
        await pilot.press("enter")  # everyone busy: the message form
        await settle(pilot)
        assert said(app, "say") == ""
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "within 5 minutes" in said(app, "say")  # the warm retry
        assert calls(store) == []
        await pilot.press("ctrl+r")  # still no
        await settle(pilot)
        assert "Please call us again a little later" in str(app.screen.query_one("#last-saved", Static).render())
    [call] = calls(store)
    assert call.outcome == "message_refused" and call.lead_id is None


async def test_a_repeat_caller_whose_consultant_is_on_the_phone_hears_so_by_name(store, center):
    with store.write() as session:
        new_lead(session, store, name="刘洋", phone="+8613800001111", owner_id=center["赵强"].id)
    staff_dal.set_state(store, center["赵强"].id, "on_call")
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, "13800001111", "周末班什么时候开课")
        await pilot.press("enter")
        await settle(pilot)
        assert said(app, "say").startswith("“赵强老师正在接电话")
        assert app.focused.id == "f-best_time"  # the message form; the name is known already
    with store.read() as session:
        assert len(session.exec(select(Lead)).all()) == 1


async def test_the_receptionist_is_reminded_of_a_register_ten_minutes_after_the_consultant_is_free(store, center, clock):
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, "13812345678", "你们有Java培训吗")
        await pilot.press("enter", "enter")  # transferred to 李娜, first in rotation
        await settle(pilot)
        reminders = app.screen.query_one("#reminders")
        clock.advance(minutes=30)
        await pilot.press("f2", "f3")  # back to triage: read again at 10:30
        await settle(pilot)
        assert not reminders.display  # 李娜 is still on the phone with the caller
        await pilot.press("f10")  # the board, on 李娜 (first row)
        await pilot.press("f")  # she is free again: her call is over
        await settle(pilot)
        [call] = calls(store)
        assert call.ended_at == clock()
        clock.advance(minutes=9)
        await pilot.press("f2", "f3")
        await settle(pilot)
        assert not reminders.display
        clock.advance(minutes=1)
        await pilot.press("f2", "f3")
        await settle(pilot)
        assert reminders.display and reminders.row_count == 1
        assert list(reminders.get_row_at(0))[:2] == ["0 分钟", "李娜"]
        await pilot.press("f10")  # F10 goes to the board, and from the board to the reminders
        if app.focused.id != "reminders":
            await pilot.press("f10")
        assert app.focused.id == "reminders"
        await pilot.press("enter")  # she reminds 李娜
        await settle(pilot)
        assert not reminders.display  # asked again in 10 minutes if still incomplete
    with store.read() as session:
        first, second = session.exec(select(FollowUp).where(FollowUp.kind == "complete_register").order_by(FollowUp.id)).all()
    assert (first.result, first.owner_id) == ("rescheduled", center["李娜"].id)
    assert second.done_at is None and second.due_at == clock() + timedelta(minutes=10)
