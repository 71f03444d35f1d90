"""Masked and revealed phone numbers per role (issue 14), in a center with PINs: a consultant
sees her own leads in full and another consultant's as 138****5678 until she presses ``v``
(audited); a manager sees every number; the front desk sees the caller it looks up."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import OptionList, Static

from desk.models import AuditEntry
from desk.screens.timeline import TimelineScreen
from tests.helpers import add_lead, make_app, settle, staff_id, type_text, with_pins

HERS, HIS = "+8613811112222", "+8613933334444"


@pytest.fixture
def guarded(desk_store):
    """PINs for everyone; 张伟 is 王芳's lead, 张敏 赵强's."""
    with_pins(desk_store, "王芳", "赵强", "李娜")
    add_lead(desk_store, "张伟", HERS, owner="王芳")
    add_lead(desk_store, "张敏", HIS, owner="赵强")
    return desk_store


def _reveals(store):
    with store.read() as session:
        return [(row.actor_id, row.row_id) for row in session.exec(select(AuditEntry).where(AuditEntry.action == "reveal"))]


async def _search_notes_queue(pilot, app, text: str) -> dict[str, str]:
    """F5, ``/`` and ``text``: the found leads' phone cells by name."""
    await pilot.press("f5")
    await settle(pilot)
    await pilot.press("slash")
    await type_text(pilot, text)
    await settle(pilot)
    table = app.screen.query_one("#nq-table")
    rows = [table.get_row_at(i) for i in range(table.row_count)]
    return {str(row[2]): str(row[3]) for row in rows}


def _keys(app) -> set[str]:
    """The screen's keys the footer offers now."""
    return {binding.key for _node, binding, enabled, _tip in app.screen.active_bindings.values() if enabled}


def _head(app) -> str:
    return str(app.screen.query_one("#tl-head", Static).render())


async def test_a_consultant_sees_her_own_lead_in_full_and_a_colleagues_masked(guarded):
    app = make_app(guarded, user="王芳")
    async with app.run_test(size=(80, 24)) as pilot:
        phones = await _search_notes_queue(pilot, app, "张")
        assert phones == {"张伟": "138 1111 2222", "张敏": "139****4444"}


async def test_v_on_the_timeline_reveals_the_number_and_audits_the_look(guarded):
    app = make_app(guarded, user="王芳")
    async with app.run_test(size=(80, 24)) as pilot:
        await _search_notes_queue(pilot, app, "张敏")
        await pilot.press("enter", "t")  # from the search to the table, then the lead's timeline
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        assert "139****4444" in _head(app) and "3333" not in _head(app)
        assert _reveals(guarded) == [] and "v" in _keys(app)
        await pilot.press("v")
        await settle(pilot)
        assert "139 3333 4444" in _head(app) and "v" not in _keys(app)
    assert _reveals(guarded) == [(staff_id(guarded, "王芳"), _lead_id(guarded, HIS))]


def _lead_id(store, phone):
    from desk.models import Lead

    with store.read() as session:
        return session.exec(select(Lead.id).where(Lead.phone == phone)).one()


async def test_her_own_lead_is_in_full_on_the_timeline_without_a_reveal(guarded):
    app = make_app(guarded, user="王芳")
    async with app.run_test(size=(80, 24)) as pilot:
        await _search_notes_queue(pilot, app, "张伟")
        await pilot.press("enter", "t")
        await settle(pilot)
        assert "138 1111 2222" in _head(app) and "v" not in _keys(app)  # nothing to reveal
        await pilot.press("v")
        await settle(pilot)
    assert _reveals(guarded) == []


async def test_a_manager_sees_every_number_in_full(guarded):
    app = make_app(guarded, user="孙经理")
    async with app.run_test(size=(80, 24)) as pilot:
        phones = await _search_notes_queue(pilot, app, "张")
        assert phones == {"张伟": "138 1111 2222", "张敏": "139 3333 4444"}
        await pilot.press("enter", "t")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen) and "****" not in _head(app)


async def test_the_front_desk_sees_the_caller_it_looks_up_in_full(guarded):
    app = make_app(guarded, user="李娜")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        await type_text(pilot, "张敏")  # a caller who gave her name: the lookup lists who it may be
        await settle(pilot)
        hits = app.screen.query_one("#hits", OptionList)
        lines = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        assert any("张敏" in line and "139 3333 4444" in line for line in lines), lines


async def test_the_note_form_of_her_own_queue_shows_the_caller_in_full(guarded):
    """A caller put through to her is hers to talk to, whoever's lead they are."""
    from desk.models import Lead
    from tests.helpers import transferred_call

    transferred_call(guarded.with_actor(staff_id(guarded, "李娜")), to="王芳", number=HIS, name="张敏")

    with guarded.read() as session:
        assert session.exec(select(Lead.owner_id).where(Lead.phone == HIS)).one() == staff_id(guarded, "赵强")
    app = make_app(guarded, user="王芳")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        title = str(app.screen.query_one(".panel-title", Static).render())
        assert "张敏" in title and "139 3333 4444" in title
