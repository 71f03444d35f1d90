"""The walk-in log: registering and routing visitors, the waiting list, lectures, the table."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from desk.dal import leads as leads_dal
from desk.dal import staff as staff_dal
from desk.dal import visits as visits_dal
from desk.dal.visits import VisitInput
from desk.models import FollowUp, Lead, LectureBooking, RotationAssignment
from desk.screens.dialogs.confirm import ConfirmDialog
from desk.screens.dialogs.lectures import LectureDialog
from desk.screens.walkins import WalkInsScreen
from tests.helpers import add_lead, choose_type, make_app, staff_id, visits


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
        assert "12 min" in str(app.screen.query_one("#wk-waiting").get_row_at(0)[0])
        await pilot.press("ctrl+t")
        await pilot.pause()
        day = app.screen.query_one("#wk-day")
        assert [day.get_row_at(i)[3] for i in range(day.row_count)] == ["王芳", "赵强", "赵强"]
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
        # phone, name, course and channel partner left empty, lecture 1
        await pilot.press(*"13700000001", "enter", *"Lily", "enter", "enter", "enter", *"1", "enter")
        await pilot.pause()
    (visit,) = visits(desk_store)
    with desk_store.read() as session:
        booking = session.exec(select(LectureBooking)).one()
        follow = session.exec(select(FollowUp).where(FollowUp.kind == "lecture_follow_up")).one()
        lead = session.get(Lead, visit.lead_id)
    assert booking.attended and booking.lead_id == lead.id and lead.name == "Lily"
    assert desk_store.local(follow.due_at).date().isoformat() == "2026-11-27"
    assert visits_dal.day_table(desk_store)[0].visitor_type == "lecture_attendee"


def leads(store):
    with store.read() as session:
        return session.exec(select(Lead).order_by(Lead.id)).all()


@pytest.mark.parametrize("typed", ["张伟", "zw", "zhangwei", "zhangwie"])
async def test_a_returning_visitor_found_by_name_or_pinyin_goes_to_the_owner(desk_store, clock, typed):
    """The phone field looks a name up as call triage does (name, initials, full pinyin, a
    typo): ↓ and Enter pick the lead, who is a repeat visitor for their own consultant."""
    known = add_lead(desk_store, "张伟", "+8613800000001", owner="赵强")
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await choose_type(pilot, "consult_walk_in")
        await pilot.press(*typed)
        await pilot.pause()
        screen = app.screen
        assert "Not a phone number" not in str(screen.query_one("#wk-phone-error").render())
        hits = screen.query_one("#wk-hits")
        assert hits.display and "张伟" in str(hits.get_option_at_index(0).prompt)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert "Known lead 张伟" in str(screen.query_one("#wk-phone-error").render())
        assert screen.query_one("#wk-name").value == "张伟" and not hits.display
        assert screen.focused.id == "wk-companions"  # the name is filled: on to what is left
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "赵强" in str(screen.query_one("#wk-result").render())
    (visit,) = visits(desk_store)
    assert (visit.visitor_type, visit.lead_id, visit.received_by_id) == ("repeat_walk_in", known.id, staff_id(desk_store, "赵强"))
    assert visit.phone == "+8613800000001" and len(leads(desk_store)) == 1


async def test_an_unknown_name_in_the_phone_field_moves_to_the_name_and_digits_stay_a_phone(desk_store, clock):
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await choose_type(pilot, "consult_walk_in")
        await pilot.press(*"Tom Lee")
        await pilot.pause()
        screen = app.screen
        assert not screen.query_one("#wk-hits").display
        assert "name field" in str(screen.query_one("#wk-phone-error").render())
        await pilot.press("enter")
        await pilot.pause()
        assert screen.focused.id == "wk-name" and screen.query_one("#wk-name").value == "Tom Lee"
        assert screen.query_one("#wk-phone").value == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Tom Lee" in str(screen.query_one("#wk-result").render())
        await choose_type(pilot, "consult_walk_in")  # Ctrl+S straight from the phone field: the same
        await pilot.press(*"Amy", "ctrl+s")
        await pilot.pause()
        assert "Amy" in str(screen.query_one("#wk-result").render())
        await choose_type(pilot, "consult_walk_in")
        await pilot.press(*"1390", "ctrl+s")
        await pilot.pause()
        assert "Not a phone number" in str(screen.query_one("#wk-phone-error").render())
        assert screen.query_one("#wk-phone").value == "1390" and screen.focused.id == "wk-phone"
        await pilot.press(*["backspace"] * 4, *"qx", "tab", *"Bob", "ctrl+s")  # a lookup left behind, another name below
        await pilot.pause()
        assert "looks a visitor up" in str(screen.query_one("#wk-phone-error").render())
        assert (screen.query_one("#wk-phone").value, screen.query_one("#wk-name").value) == ("qx", "Bob")
    tom, amy = visits(desk_store)
    assert (tom.visitor_name, tom.phone, amy.visitor_name, amy.phone) == ("Tom Lee", None, "Amy", None)
    assert [lead.name for lead in leads(desk_store)] == ["Tom Lee", "Amy"]


async def test_clearing_the_form_works_from_a_text_field_and_asks_before_dropping_what_was_typed(desk_store, clock):
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        screen = app.screen
        await choose_type(pilot, "consult_walk_in")
        await pilot.press(*"13900001111", "enter", *"Tom", "ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Tom" in str(app.screen.query_one("#cf-box Static").render())
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and screen.focused.id == "wk-name"
        assert (screen.query_one("#wk-phone").value, screen.query_one("#wk-name").value) == ("13900001111", "Tom")
        await pilot.press("ctrl+r", "y")
        await pilot.pause()
        assert app.screen is screen and screen.focused.id == "wk-type"
        assert [screen.query_one(f"#wk-{n}").value for n in ("phone", "name")] == ["", ""]
        assert screen.query_one("#wk-phone-error").render().plain == ""
        await pilot.press("ctrl+r")  # nothing typed: nothing to ask
        await pilot.pause()
        assert app.screen is screen
    assert visits(desk_store) == []


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_the_waiting_list_fits_80_columns_minutes_first(desk_store, clock, lang):
    for person in ("王芳", "赵强"):
        staff_dal.set_state(desk_store, staff_id(desk_store, person), "with_visitor")
    visits_dal.register(desk_store, VisitInput("consult_walk_in", name="周小明", phone="+8613900001111"))
    clock.advance(minutes=5)
    visits_dal.register(desk_store, VisitInput("accompanied", name="Christopher", phone="+8613900002222", companions="mother"))
    clock.advance(minutes=7)
    app = make_app(desk_store, user="李娜", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        waiting = app.screen.query_one("#wk-waiting")
        assert waiting.virtual_size.width <= waiting.scrollable_content_region.width
        assert waiting.region.right <= 80
        minutes = "12 min" if lang == "en" else "12 分钟"
        assert waiting.get_row_at(0)[0] == minutes and waiting.get_row_at(1)[1] == "Christopher"


DAY = {  # what the day table shows for the visitors below, at 80 and at 160 columns
    "en": {
        (80, 24): (["In", "Name", "Type", "To", "Wait"], "First visit", "waiting", "12m", " ×4"),
        (160, 48): (["In", "Name", "Type", "Received by", "Waited"], "Walk-in consult (first visit)", "waiting", "12 min", " ×4"),
    },
    "zh_CN": {
        (80, 24): (["到达", "姓名", "类型", "接待", "等候"], "首次上门", "等候中", "12分", "等4人"),
        (160, 48): (["到达", "姓名", "类型", "接待人", "等候"], "上门咨询者（首次）", "等候中", "12 分钟", "等4人"),
    },
}


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_the_day_table_fits_80_columns_and_keeps_its_full_labels_where_there_is_room(desk_store, clock, lang):
    """The register of the day (一日当面咨询表) shows time in, who came, the type, who
    received them and how long they waited, every column on screen: at 80 columns with the
    waiting list's short types, short headers and a long name trimmed with …; at 160 with
    the full labels. Resizing the terminal lays it out again, the cursor staying on its row."""
    staff_dal.set_state(desk_store, staff_id(desk_store, "赵强"), "with_visitor")
    visits_dal.register(desk_store, VisitInput("group", name="Christopher Montgomery", phone="+8613900001111", group_size=4))
    visits_dal.register(desk_store, VisitInput("consult_walk_in", name="周小明", phone="+8613900002222"))
    clock.advance(minutes=12)
    app = make_app(desk_store, user="李娜", lang=lang)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        day = app.screen.query_one("#wk-day")
        day.focus()
        await pilot.press("down")
        for size in ((160, 48), (80, 24), (160, 48)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            headers, first_visit, waiting, waited, group = DAY[lang][size]
            assert day.virtual_size.width <= day.scrollable_content_region.width and day.region.right <= size[0]
            assert [column.label.plain for column in day.columns.values()] == headers
            group_row, walk_in = day.get_row_at(0), day.get_row_at(1)
            assert group_row[3] == "王芳" and walk_in[1:] == ["周小明", first_visit, waiting, waited]
            assert group_row[1].endswith(group)
            long_name = "Christopher Montgomery" in group_row[1]
            assert long_name == (size == (160, 48)) and (long_name or "…" in group_row[1])
            assert day.cursor_row == 1


async def test_a_business_visitor_is_sent_to_a_person_from_the_roster_never_to_a_made_up_name(desk_store, clock):
    """Issue 12 §4: 王大锤 is nobody at the center; the field says so and names the staff.
    A name from the roster (completed as typed) is taken and stored with its person."""
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await choose_type(pilot, "business_visitor")
        await pilot.press(*"Mr Li", "enter")
        await pilot.pause()
        app.screen.query_one("#wk-came_for").focus()
        app.screen.query_one("#wk-came_for").insert_text_at_cursor("王大锤")
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(app.screen.query_one("#wk-came_for-error").render())
        assert "王大锤" in error and "not on the staff list" in error
        assert app.focused is app.screen.query_one("#wk-came_for")
        assert visits(desk_store) == []
        app.focused.value = ""
        app.focused.insert_text_at_cursor("赵")
        await pilot.pause()
        await pilot.press("right")  # takes the completed name
        assert app.focused.value == "赵强"
        await pilot.press("ctrl+s")
        await pilot.pause()
    (visit,) = visits(desk_store)
    assert visit.came_for == "赵强" and visit.received_by_id == staff_id(desk_store, "赵强")


async def test_in_chinese_at_80x24_no_label_breaks_inside_a_key_name(desk_store, clock):
    """Issue 12 §16: the form title wrapped as "Ct" / "rl+S 登记"; a key name is never split."""
    import re

    app = make_app(desk_store, user="李娜", lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        for widget in app.screen.query("Static"):
            if not widget.display or not widget.size.width:
                continue
            lines = [strip.text for strip in widget.render_lines(widget.size.region)]
            keys = re.findall(r"(?:Ctrl|Alt|Shift)\+\w+", str(widget.render()))
            for key in keys:
                assert any(key in line for line in lines), (widget, key, lines)
