"""The channel partner on the call panel and the walk-in form, typed as the receptionist types it."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import Input

from desk.dal import partners as partners_dal
from desk.drafts import drafts_file
from desk.models import Lead, Partner
from tests.helpers import calls, choose_type, make_app, settle, start_call, type_text, visits


def partners(store) -> list[Partner]:
    with store.read() as session:
        return list(session.exec(select(Partner).order_by(Partner.id)).all())


def lead(store, lead_id) -> Lead:
    with store.read() as session:
        return session.get(Lead, lead_id)


async def test_a_call_typed_with_a_new_partner_saves_it_on_the_call_and_the_list(store, center):
    app = make_app(store, user="陈静")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, "13812345678", "do you teach Java")
        await pilot.press("ctrl+p")  # to the partner field, from the caller's words
        field = app.screen.current.query_one("#partner", Input)
        assert app.focused is field
        await type_text(pilot, "ABC学校")
        await pilot.press("enter")  # back to the words
        assert app.focused is app.screen.current.query_one("#words", Input)
        await pilot.press("enter", "enter")  # the suggested type; the rotation's pick
        await settle(pilot)
    [call] = calls(store)
    [partner] = partners(store)
    assert (partner.name, partner.kind) == ("ABC学校", "other")
    assert call.partner_id == partner.id and call.outcome == "transferred"
    assert lead(store, call.lead_id).partner_id == partner.id


async def test_the_partner_field_suggests_a_listed_name_in_any_case(store, center):
    partners_dal.add_partner(store, "New Oriental School", "school")
    app = make_app(store, user="陈静")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, "13812345678", "do you teach Java")
        await pilot.press("ctrl+p", *"new o", "right")  # → takes the suggestion
        assert app.screen.current.query_one("#partner", Input).value == "New Oriental School"
        await pilot.press("enter", "enter", "enter")
        await settle(pilot)
    [call] = calls(store)
    assert call.partner_id == partners(store)[0].id and len(partners(store)) == 1


async def test_a_call_open_when_desk_closed_comes_back_with_its_partner(store, center):
    app = make_app(store, user="陈静")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, "13812345678", "do you teach Java")
        await pilot.press("ctrl+p", *"Star Agency")
        await pilot.pause()
    assert drafts_file("test.db").exists()  # closed without saving: the call is on disk
    app = make_app(store, user="陈静")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        [panel] = app.screen.panels
        assert panel.query_one("#partner", Input).value == "Star Agency"
        await pilot.press("enter", "enter")  # the words have the focus: the type, the transfer
        await settle(pilot)
    [call] = calls(store)
    assert call.partner_id == partners(store)[0].id and partners(store)[0].name == "Star Agency"


async def test_a_call_without_a_partner_names_none(store, center):
    app = make_app(store, user="陈静")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, "13812345678", "do you teach Java")
        await pilot.press("enter", "enter")
        await settle(pilot)
    [call] = calls(store)
    assert call.partner_id is None and partners(store) == []


async def test_a_channel_proxy_is_asked_for_its_partner_then_registered_with_it(desk_store):
    partners_dal.add_partner(desk_store, "ABC学校", "school")
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        await choose_type(pilot, "channel_proxy")
        await pilot.press(*"13900001111", "enter", *"Tom", "enter", *"Java", "ctrl+s")
        await pilot.pause()
        assert "type its name" in str(app.screen.query_one("#wk-partner-error").render())
        assert app.focused is app.screen.query_one("#wk-partner", Input)
        assert visits(desk_store) == []
        await pilot.press(*"abc", "right", "ctrl+s")  # the listed name, taken with →
        await settle(pilot)
    [visit] = visits(desk_store)
    [partner] = partners(desk_store)
    assert visit.partner_id == partner.id and partner.name == "ABC学校"
    assert lead(desk_store, visit.lead_id).partner_id == partner.id


async def test_any_walk_in_may_name_a_partner_and_a_new_name_joins_the_list(desk_store):
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        await choose_type(pilot, "consult_walk_in")
        # phone, name, companions, course, then the partner
        await pilot.press(*"13900002222", "enter", *"Amy", "enter", "enter", *"Java", "enter", *"Star Agency", "enter")
        await settle(pilot)
        await choose_type(pilot, "consult_walk_in")
        await pilot.press(*"13900003333", "enter", *"Bob", "enter", "enter", "enter", *"star", "right", "ctrl+s")
        await settle(pilot)
    amy, bob = visits(desk_store)
    [partner] = partners(desk_store)
    assert partner.name == "Star Agency" and amy.partner_id == bob.partner_id == partner.id
