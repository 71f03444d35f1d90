"""Call triage driven as a receptionist drives it: keys in, rows out."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import Checkbox, DataTable, Input, Static

from desk.dal import staff as staff_dal
from desk.dal.leads import new_lead
from desk.models import FollowUp, Lead, RotationAssignment, Staff
from desk.ring import post_ring
from desk.screens.triage import TriageScreen
from tests.helpers import calls, make_app, start_call, type_text, until


def follow_ups(store) -> list[FollowUp]:
    with store.read() as session:
        return list(session.exec(select(FollowUp).order_by(FollowUp.id)).all())


async def test_first_inquiry_transfers_to_the_rotation_pick_in_two_keys(store, center):
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13812345678", "你们有Java培训吗")
        keys = ["enter", "enter"]  # confirm the suggested type; transfer to the rotation's pick
        await pilot.press(*keys)
        await pilot.pause()
        assert len(keys) <= 3
        saved = app.screen.query_one("#last-saved", Static).render()
        assert "李娜" in str(saved) and "801" in str(saved)
    [call] = calls(store)
    assert (call.call_type, call.outcome, call.caller_number) == ("first_inquiry", "transferred", "+8613812345678")
    assert call.to_staff_id == center["李娜"].id and call.taken_by_id == center["陈静"].id
    with store.read() as session:
        lead = session.get(Lead, call.lead_id)
        assert lead.owner_id == center["李娜"].id and lead.channel == "phone"
        assert session.get(Staff, center["李娜"].id).state == "on_call"
        [assignment] = session.exec(select(RotationAssignment)).all()
        assert (assignment.pool, assignment.staff_id) == ("phone", center["李娜"].id)
    [reminder] = follow_ups(store)
    assert reminder.kind == "complete_register" and reminder.owner_id == center["李娜"].id
    # 李娜's call goes on: it ends, and the 10 minutes start, when she is free again
    assert call.ended_at is None and (reminder.due_at - call.started_at).total_seconds() == 600


async def test_rotation_goes_to_the_next_consultant_and_today_list_shows_it(store, center):
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13812345678", "学费多少钱")
        await pilot.press("enter", "enter")
        await start_call(pilot, "13912345678", "I'm calling for my daughter, how much is the Java class?")
        await pilot.press("enter", "enter")
        await pilot.pause()
        table = app.screen.query_one("#todays-calls", DataTable)
        assert table.row_count == 2
        assert table.get_row_at(0)[4] == "王芳"  # newest first
    _first, second = calls(store)
    assert second.call_type == "proxy_inquiry" and second.to_staff_id == center["王芳"].id


async def test_all_busy_takes_a_message_that_becomes_a_callback_in_five_minutes(store, center):
    for name in ("李娜", "王芳", "赵强"):
        staff_dal.set_state(store, center[name].id, "on_call")
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13812345678", "你们有平面设计课吗")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.id == "f-caller_name"
        await type_text(pilot, "张伟")
        await pilot.press("enter")
        await type_text(pilot, "下午三点后")
        await pilot.press("enter")
        await type_text(pilot, "想问学费")
        await pilot.press("enter")
        await pilot.pause()
    [call] = calls(store)
    assert call.outcome == "message_taken" and call.caller_name == "张伟" and call.best_time == "下午三点后"
    [callback] = follow_ups(store)
    assert callback.kind == "callback" and callback.owner_id == center["李娜"].id
    assert (callback.due_at - call.started_at).total_seconds() == 300
    assert "想问学费" in callback.note


async def test_message_refused_is_recorded_without_a_callback(store, center):
    for name in ("李娜", "王芳", "赵强"):
        staff_dal.set_state(store, center[name].id, "away")
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "", "请问有UI设计培训吗")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+r", "ctrl+r")  # asked once more, warmly; still no
        await pilot.pause()
    [call] = calls(store)
    assert call.outcome == "message_refused" and call.caller_number is None
    assert follow_ups(store) == []


async def test_a_caller_who_refuses_to_leave_a_number_makes_no_lead_and_takes_no_turn(store, center):
    for name in ("李娜", "王芳", "赵强"):
        staff_dal.set_state(store, center[name].id, "on_call")
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13812345678", "请问有UI设计培训吗")
        await pilot.press("enter")  # the suggested first inquiry: everyone busy, the message form
        await pilot.pause()
        await pilot.press("ctrl+r", "ctrl+r")  # asked twice, still no number: please call again later
        await pilot.pause()
        assert "✔" in str(app.screen.query_one("#last-saved", Static).render())
        assert app.screen.query_one("#todays-calls", DataTable).row_count == 1
    [call] = calls(store)
    assert (call.outcome, call.caller_number, call.lead_id, call.to_staff_id) == ("message_refused", "+8613812345678", None, None)
    with store.read() as session:
        assert session.exec(select(Lead)).all() == [] and session.exec(select(RotationAssignment)).all() == []
    assert follow_ups(store) == []


async def test_repeat_caller_recognised_by_number_goes_to_the_owner(store, center):
    with store.write() as session:
        lead = new_lead(session, store, name="刘洋", phone="+8613800001111", owner_id=center["赵强"].id)
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "138 0000 1111", "最近一期周末班什么时候开课")
        await pilot.pause()
        assert "赵强" in str(app.screen.query_one("#caller", Static).render())
        await pilot.press("enter", "enter")
        await pilot.pause()
    [call] = calls(store)
    assert call.call_type == "repeat_inquiry" and call.to_staff_id == center["赵强"].id and call.lead_id == lead.id


async def test_repeat_caller_whose_owner_is_away_goes_to_a_free_consultant_on_their_behalf(store, center):
    staff_dal.set_state(store, center["赵强"].id, "away")
    with store.write() as session:
        new_lead(session, store, name="刘洋", phone="+8613800001111", owner_id=center["赵强"].id)
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13800001111", "赵老师在吗")
        await pilot.press("down", "3", "enter")  # the type list: 3 repeat inquiry
        await pilot.pause()
    [call] = calls(store)
    assert call.outcome == "transferred" and call.to_staff_id == center["李娜"].id
    assert call.on_behalf_of_id == center["赵强"].id


async def test_student_call_goes_to_the_named_head_teacher(store, center):
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13912340000", "何雪老师在吗")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    [call] = calls(store)
    assert call.call_type == "student" and call.to_staff_id == center["何雪"].id


async def test_business_call_asks_the_name_and_transfers(store, center):
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "01062345678", "周经理在吗")
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "王先生")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    [call] = calls(store)
    assert call.call_type == "business" and call.caller_name == "王先生" and call.to_staff_id == center["周强"].id
    assert call.caller_number == "+861062345678"


async def test_screened_call_is_declined_with_name_and_purpose(store, center):
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13700000000", "你好！我是广告公司的，你们那需要做宣传吗")
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "李经理")
        await pilot.press("enter")
        await type_text(pilot, "卖广告")
        await pilot.press("enter")
        await pilot.pause()
    [call] = calls(store)
    assert (call.call_type, call.outcome, call.caller_name, call.purpose) == ("screened", "declined", "李经理", "卖广告")
    assert call.to_staff_id is None


async def test_complaint_goes_to_the_manager_at_once(store, center):
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13600000000", "我要投诉")
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "孙女士")
        await pilot.press("enter")
        await type_text(pilot, "上课老师迟到")
        await pilot.press("ctrl+s")
        await pilot.pause()
    [call] = calls(store)
    assert call.outcome == "escalated" and call.to_staff_id == center["周强"].id
    [complaint] = follow_ups(store)
    assert complaint.kind == "complaint" and complaint.owner_id == center["周强"].id
    assert complaint.due_at == call.ended_at and "上课老师迟到" in complaint.note


async def test_directions_from_a_stranger_coming_to_consult_opens_a_lead(store, center):
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13500000000", "已经到火车站了，你们那怎么走")
        await pilot.press("enter")
        await pilot.pause()
        text = "\n".join(str(w.render()) for w in app.screen.query(".directions"))
        assert "人民路88号" in text
        await pilot.press("space")  # coming to consult
        await pilot.press("tab")
        await type_text(pilot, "小马")
        await pilot.press("enter")
        await pilot.pause()
    [call] = calls(store)
    assert call.outcome == "directions_given" and call.lead_id is not None


async def test_a_stranger_asking_the_way_to_come_and_consult_has_the_lead_box_ticked(store, center):
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13500000000", "你们在哪，我想过去咨询一下")
        await pilot.press("enter")  # directions, as suggested
        await pilot.pause()
        assert app.screen.query_one("#coming", Checkbox).value  # ticked by what they said
        await pilot.press("tab")
        await type_text(pilot, "小马")
        await pilot.press("enter")
        await pilot.pause()
    [call] = calls(store)
    assert call.outcome == "directions_given" and call.lead_id is not None
    with store.read() as session:
        lead = session.get(Lead, call.lead_id)
        assert (lead.name, lead.phone, lead.channel) == ("小马", "+8613500000000", "phone")


async def test_the_receptionist_can_untick_the_lead_box_of_a_directions_call(store, center):
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13500000000", "你们在哪，我想过去咨询一下")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("space")  # not coming after all: untick
        await pilot.pause()
        assert not app.screen.query_one("#coming", Checkbox).value
        await pilot.press("tab", "enter")
        await pilot.pause()
    [call] = calls(store)
    assert call.outcome == "directions_given" and call.lead_id is None
    with store.read() as session:
        assert session.exec(select(Lead)).all() == []


async def test_silent_call_is_one_key(store, center):
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
    [call] = calls(store)
    assert (call.call_type, call.outcome) == ("silent", "hung_up")


async def test_decision_tree_walk_with_yes_no_keys_reaches_a_type(store, center):
    from desk.rules import tree

    path, _leaf = next((p, leaf) for p, leaf in tree.paths() if leaf == "directions")
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("enter", "enter")  # no number, no words: walk the questions
        await pilot.pause()
        for _node, yes in path:
            await pilot.press("y" if yes else "n")
            await pilot.pause()
        panel = app.screen.current
        assert panel.draft.call_type == "directions"


async def test_second_call_keeps_the_first_intact(store, center):
    app = make_app(store, user="陈静", lang="zh_CN")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13812345678", "我想了解一下Python")
        await pilot.press("ctrl+n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TriageScreen) and len(screen.panels) == 2
        await pilot.press("f8")  # the interrupting call was silent
        await pilot.pause()
        assert len(screen.panels) == 1
        first = screen.current
        assert first.draft.number == "13812345678" and first.draft.words == "我想了解一下Python"
        assert first.query_one("#words", Input).value == "我想了解一下Python"
        await pilot.press("f4", "f3")  # switching screens keeps it too
        await pilot.pause()
        assert app.screen.current.draft.words == "我想了解一下Python"


async def test_a_number_that_cannot_be_a_phone_is_explained_and_the_call_still_saves(store, center):
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "12345678901", "wrong number sorry")
        error = str(app.screen.query_one("#number-error", Static).render())
        assert "Not a valid number" in error
        await pilot.press("down", "9")  # the type list: 9 other
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    [call] = calls(store)
    assert call.caller_number is None and call.call_type == "other"


@pytest.mark.both_backends
async def test_lookup_by_pinyin_initials_and_full_pinyin(store, center):
    from desk.dal.lookup import lookup

    with store.write() as session:
        new_lead(session, store, name="张伟", phone="+8613811112222")
        new_lead(session, store, name="王小明", phone="+8613933334444")
    assert [h.name for h in lookup(store, "zw")] == ["张伟"]
    assert [h.name for h in lookup(store, "zhangwei")] == ["张伟"]
    assert [h.name for h in lookup(store, "3333")] == ["王小明"]
    assert [h.name for h in lookup(store, "zhangwie")] == ["张伟"]  # a typo still finds him
    assert [h.name for h in lookup(store, "小明")] == ["王小明"]


@pytest.mark.both_backends
def test_a_caller_is_found_by_any_part_of_the_name_whatever_the_case(store, center):
    from desk.dal.lookup import find_leads_by_name_and_date

    with store.write() as session:
        new_lead(session, store, name="Anna Li", phone="+8613811112222")
    assert [h.name for h in find_leads_by_name_and_date(store, "li", None)] == ["Anna Li"]


async def test_desk_ring_opens_a_call_with_the_number(store, center, tmp_path):
    app = make_app(store, user="陈静", lang="zh_CN", rings=tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        post_ring(tmp_path, "13812345678")
        # the ring poll (every quarter second) takes it: wait for it, not for a fixed time
        assert await until(pilot, lambda: isinstance(app.screen, TriageScreen) and app.screen.current is not None
                           and app.screen.current.draft.number == "13812345678" and getattr(app.focused, "id", None) == "words")
        assert isinstance(app.screen, TriageScreen)
        assert app.screen.current.draft.number == "13812345678"
        assert app.focused.id == "words"
