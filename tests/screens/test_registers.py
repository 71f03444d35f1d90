"""The registers screen (F11, issue 13): a referred person typed, saved, and shown in today's table."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from desk.models import Enrollment, FollowUp, Lead
from desk.screens.registers import RegistersScreen
from tests.helpers import add_lead, make_app, settle, staff_id, type_text


@pytest.fixture
def student(desk_store):
    """老学员 enrolled with 赵强, who collects their fees."""
    lead = add_lead(desk_store, "老学员", "+8613900000001")
    with desk_store.write() as s:
        s.add(Enrollment(lead_id=lead.id, consultant_id=staff_id(desk_store, "赵强"), course="Java", amount_fen=100000,
                         enrolled_at=desk_store.now() - timedelta(days=3)))
    return lead


def _rows(screen, channel):
    table = screen.query_one(f"#rg-table-{channel}")
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def _fill(pilot, name, phone, course, age, education):
    for text in (name, phone, course, age, education):
        await type_text(pilot, text)
        await pilot.press("enter")


async def test_a_referral_typed_with_a_suggested_referrer_is_saved_and_listed(desk_store, student):
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f11")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RegistersScreen)
        assert screen.focused is screen.query_one("#rg-name")
        await _fill(pilot, "张伟", "13812345678", "Java", "20", "高中")
        assert screen.focused is screen.query_one("#rg-referrer")
        await type_text(pilot, "老学")
        await settle(pilot)
        await pilot.press("down", "enter")  # the suggestion: 老学员, a student
        assert screen.query_one("#rg-referrer").value == "老学员"
        await type_text(pilot, "想学晚班")
        await pilot.press("ctrl+s")
        await settle(pilot)
        with desk_store.read() as s:
            lead = s.exec(select(Lead).where(Lead.phone == "+8613812345678")).one()
            callback = s.exec(select(FollowUp).where(FollowUp.lead_id == lead.id)).one()
        assert (lead.name, lead.channel, lead.referred_by_id, lead.valid) == ("张伟", "referral", student.id, True)
        assert lead.owner_id == staff_id(desk_store, "赵强") and callback.note == "想学晚班"
        assert _rows(screen, "referral") == [["10:00", "张伟", "老学员", "student", "赵强", "valid", "138 1234 5678", "Java"]]
        assert _rows(screen, "internal") == []
        assert "赵强" in str(screen.query_one("#rg-result").render())
        assert screen.focused is screen.query_one("#rg-name") and screen.query_one("#rg-name").value == ""


async def test_ctrl_t_switches_to_the_internal_register_and_a_typed_staff_name_is_found_on_save(desk_store):
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f11")
        await settle(pilot)
        screen = app.screen
        await pilot.press("ctrl+t")
        await pilot.pause()
        await _fill(pilot, "李四", "13812345679", "", "", "")
        await type_text(pilot, "孙经理")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _rows(screen, "internal") == [["10:00", "李四", "孙经理", "staff", "—", "not valid", "138 1234 5679", ""]]
        with desk_store.read() as s:
            lead = s.exec(select(Lead).where(Lead.phone == "+8613812345679")).one()
        assert (lead.channel, lead.owner_id, lead.referred_by_staff_id) == ("internal", None, staff_id(desk_store, "孙经理"))
        assert "supervisor" in str(screen.query_one("#rg-result").render())


async def test_an_unknown_referrer_is_said_at_its_field_and_nothing_is_saved(desk_store):
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f11")
        await settle(pilot)
        screen = app.screen
        await _fill(pilot, "王五", "13812345670", "", "", "")
        await type_text(pilot, "没这人")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "没这人" in str(screen.query_one("#rg-referrer-error").render())
        assert screen.focused is screen.query_one("#rg-referrer")
        assert screen.query_one("#rg-name").value == "王五"
        with desk_store.read() as s:
            assert s.exec(select(Lead).where(Lead.phone == "+8613812345670")).first() is None


async def test_the_timeline_says_who_referred_the_lead(desk_store, student):
    from desk.dal import referrals as referrals_dal

    added = referrals_dal.add_referral(desk_store, channel="referral", name="张伟", phone="13812345678",
                                       referrer_lead_id=student.id)
    plain = add_lead(desk_store, "没人推荐", "+8613812345670")
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        heads = []
        for lead_id in (added.lead_id, plain.id):
            app.open_timeline(lead_id)
            await settle(pilot)
            heads.append(str(app.screen.query_one("#tl-head").render()))
            await pilot.press("escape")
            await pilot.pause()
    assert "Referred by 老学员 (student)" in heads[0]
    assert "Referred by" not in heads[1]


async def test_f1_lists_the_registers_keys_and_f11(desk_store):
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f11")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        table = app.screen.query_one("#help-keys")
        actions = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
    assert {"Save", "Referral/Internal", "Clear form", "Registers"} <= actions
