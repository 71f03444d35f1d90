"""The follow-up queue as it is filled: once per showing, longer than the screen, and the
data layer's page (the most overdue ``limit`` rows) against its counts of every open one."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from desk.dal import followups as fu_dal
from desk.screens.followups import FollowUpsScreen
from tests.helpers import add_follow_up, add_lead, make_app, table_rows


def many(store, now, n: int):
    """``n`` callbacks, one lead each, the i-th due i hours before now (the most overdue last)."""
    for i in range(n):
        lead = add_lead(store, f"学员{i}", f"+861380000{i:04d}")
        add_follow_up(store, "callback", lead, now - timedelta(hours=i + 1), note=f"n{i}")


@pytest.mark.both_backends
def test_the_page_is_the_most_overdue_rows_and_the_counts_are_of_all(desk_store, clock):
    many(desk_store, clock(), 8)
    later = add_lead(desk_store, "张伟", "+8613900000001")
    add_follow_up(desk_store, "callback", later, clock() + timedelta(days=3))
    q = fu_dal.queue(desk_store, limit=3)
    assert [i.lead_name for i in q.items] == ["学员7", "学员6", "学员5"]
    assert (q.overdue, q.today, q.upcoming) == (8, 0, 1)
    q = fu_dal.queue(desk_store, search="学员1", limit=3)
    assert [(i.lead_name, i.note, i.phone) for i in q.items] == [("学员1", "n1", "+8613800000001")]
    assert (q.overdue, q.today, q.upcoming) == (1, 0, 0)


async def test_the_queue_is_filled_once_each_time_it_is_shown(desk_store, clock, monkeypatch):
    many(desk_store, clock(), 2)
    calls = []
    queue = fu_dal.queue
    monkeypatch.setattr(fu_dal, "queue", lambda *a, **k: calls.append(1) or queue(*a, **k))
    app = make_app(desk_store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen) and len(calls) == 1
        assert len(table_rows(app)) == 2
        await pilot.press("f2")
        await pilot.pause()
        add_follow_up(desk_store, "callback", add_lead(desk_store, "张伟", "+8613900000001"), clock() + timedelta(hours=1))
        await pilot.pause(0.4)  # desk sees the change (a hidden queue does not read it: tests/screens/test_live.py)
        await pilot.press("f6")  # shown again: what changed meanwhile is there
        await pilot.pause()
        assert len(calls) == 2
        assert [r[3] for r in table_rows(app)] == ["学员1", "学员0", "张伟"]


async def test_a_queue_longer_than_the_screen_keeps_the_cursor_on_refill(desk_store, clock):
    many(desk_store, clock(), 60)
    app = make_app(desk_store)
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        table = app.screen.query_one("#fu-table")
        assert table.row_count == 60
        await pilot.press(*["down"] * 40)
        await pilot.pause()
        assert table.get_row_at(40)[3] == "学员19"
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        assert table.cursor_row == 40 and table.get_row_at(40)[3] == "学员19"
        await pilot.press("t")  # the timeline of the row under the cursor
        await pilot.pause()
        assert "学员19" in str(app.screen.query_one("#tl-head").render())


async def test_the_queue_is_built_behind_home_and_read_when_first_shown(desk_store, clock, monkeypatch):
    """A consultant's queue is composed after start-up, so the first F6 only refills it; built,
    it reads nothing and skips its minute refresh until it is shown."""
    calls = []
    queue = fu_dal.queue
    monkeypatch.setattr(fu_dal, "queue", lambda *a, **k: calls.append(1) or queue(*a, **k))
    app = make_app(desk_store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        built = app._screen_stacks["followups"][0]
        assert isinstance(built, FollowUpsScreen) and built.is_mounted and app.current_mode == "home"
        built._tick()
        assert calls == []
        add_follow_up(desk_store, "callback", add_lead(desk_store, "张伟", "+8613900000001"), clock() - timedelta(hours=1))
        await pilot.press("f6")
        await pilot.pause()
        assert app.screen is built and len(calls) == 1
        assert [r[3] for r in table_rows(app)] == ["张伟"]


async def test_a_receptionists_desk_does_not_build_the_queue(desk_store, clock):
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert "followups" not in app._screen_stacks


async def test_rows_filled_inside_an_update_batch_are_drawn_when_it_ends(desk_store, clock, monkeypatch):
    """Textual 8.2.8 skips a screen's paint tick that falls inside an app batch and wakes only
    the app when the batch ends; DeskApp wakes the current screen too, so fresh rows are drawn
    at once, not at the next event (the header clock's next second)."""
    from desk.widgets.long_table import LongTable

    lead = add_lead(desk_store, "张伟", "+8613800000001")
    add_follow_up(desk_store, "callback", lead, clock() - timedelta(minutes=5))
    app = make_app(desk_store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause(0.3)
        screen = app.screen
        drawn = []
        original = LongTable.render_lines
        monkeypatch.setattr(LongTable, "render_lines", lambda self, crop: drawn.append(1) or original(self, crop))
        add_follow_up(desk_store, "callback", lead, clock() - timedelta(minutes=1))
        with app.batch_update():
            screen.refresh_queue()
            await pilot.pause(0.05)
            assert not drawn  # nothing is drawn while the batch lasts
        await asyncio.sleep(0.15)
        assert drawn and len(table_rows(app)) == 2
