"""``m`` on the lead timeline: find the duplicate, see what will move, merge (docs/domain.md §4.1)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select
from textual.widgets import OptionList, Static

from desk.models import Call, Lead
from desk.screens.dialogs.confirm import ConfirmDialog
from desk.screens.dialogs.merge import MergeDialog
from desk.screens.timeline import TimelineScreen
from tests.helpers import add_follow_up, add_lead, make_app, settle, staff_id, type_text


def two_of_zhang(store, clock):
    """张伟, 王芳's, owed a callback; 张玮 (赵强's, flagged repeat, two calls) and 张三, no relation."""
    keep = add_lead(store, "张伟", "+8613811112222")
    add_follow_up(store, "callback", keep, clock() + timedelta(hours=1))
    drop = add_lead(store, "张玮", "+8613933334444", owner="赵强")
    add_lead(store, "张三", "+8613700000000", owner="赵强")
    with store.write() as session:
        session.get(Lead, drop.id).flag = "repeat"
        for _ in range(2):
            session.add(Call(lead_id=drop.id, call_type="repeat", started_at=store.now(), to_staff_id=staff_id(store, "赵强")))
    return keep.id, drop.id


async def open_merge(pilot, app):
    await pilot.press("f6")
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    assert isinstance(app.screen, TimelineScreen)
    await pilot.press("m")
    await settle(pilot)
    assert isinstance(app.screen, MergeDialog)


def options(app) -> list[str]:
    hits = app.screen.query_one("#mg-hits", OptionList)
    return [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]


async def test_the_owner_merges_a_duplicate_found_by_phone(desk_store, clock):
    keep, drop = two_of_zhang(desk_store, clock)
    app = make_app(desk_store, user="王芳")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_merge(pilot, app)
        assert options(app) == [f"#{drop} · 张玮 · 139 3333 4444 · 赵强 · repeat"]  # the repeat lead, before anything is typed
        await type_text(pilot, "张")
        await settle(pilot)
        assert options(app)[0].startswith(f"#{drop} ") and len(options(app)) == 2  # repeat first; not 张伟 himself
        await pilot.press("backspace", *"13933")
        await settle(pilot)
        assert options(app) == [f"#{drop} · 张玮 · 139 3333 4444 · 赵强 · repeat"]
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Moving: 2 calls." in str(app.screen.query_one(Static).render())
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        table = app.screen.query_one("#tl-table")
        assert sum(table.get_row_at(i)[1] == "Call" for i in range(table.row_count)) == 2
    with desk_store.read() as session:
        assert session.get(Lead, drop).merged_into_id == keep
        assert len(session.exec(select(Call).where(Call.lead_id == keep)).all()) == 2


async def test_someone_else_is_told_why_not_and_nothing_changes(desk_store, clock):
    keep, drop = two_of_zhang(desk_store, clock)
    app = make_app(desk_store, user="李娜")  # the receptionist: neither's owner, not a manager
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_timeline(keep)  # what t does on any list where the lead appears
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, MergeDialog)
        note = str(app.screen.query_one("#mg-note", Static).render())
        assert "李娜 may not merge these leads" in note
    with desk_store.read() as session:
        assert session.get(Lead, drop).merged_into_id is None
