"""The follow-up queue screen with the keys people press: mark done, reschedule, filter."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from desk.dal import followups as fu_dal
from desk.models import FollowUp
from desk.screens.followups import FollowUpsScreen, ResultDialog
from tests.helpers import add_follow_up, add_lead, make_app, table_rows


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


async def test_not_reached_with_enter_asks_for_the_note_before_the_follow_up_closes(desk_store, clock):
    """Issue 12 §20: ↓ Enter on "Not reached" does not finish the follow-up with no note; the
    cursor goes to the note with a line saying what to write, and Enter there saves it."""
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    row = add_follow_up(desk_store, "callback", lead, clock() - timedelta(minutes=30))
    app = make_app(desk_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        await pilot.press("down", "enter")  # Not reached
        await pilot.pause()
        assert app.screen is dialog and app.focused is dialog.query_one("#fu-note")
        assert "Not reached" in str(dialog.query_one("#fu-note-error").render())
        assert fu_dal.get(desk_store, row.id).done_at is None
        await pilot.press("enter")  # still no note
        await pilot.pause()
        assert app.screen is dialog and fu_dal.get(desk_store, row.id).done_at is None
        await pilot.press(*"no answer", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
    done = fu_dal.get(desk_store, row.id)
    assert done.result == "not_reached" and done.result_note == "no answer"
