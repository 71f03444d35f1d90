"""A database that says no, and a pick that changed, as the receptionist meets them.

Nothing typed is lost and desk stays up: the message says what happened, the call is still
on the screen, and the next Enter saves it.
"""

from __future__ import annotations

import sqlite3

from textual.widgets import Input, OptionList

from desk.dal import staff as staff_dal
from tests.helpers import calls, make_app, start_call


def _messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_locked_database_at_save_keeps_the_call_and_saves_on_the_next_enter(store, center, db_path, monkeypatch):
    import desk.db

    monkeypatch.setattr(desk.db, "WRITE_WAIT_MS", 50)  # the busy wait, shortened for the test
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13812345678", "do you teach java")
        await pilot.press("enter")  # confirm the type: the transfer panel opens
        await pilot.pause()
        other_desk = sqlite3.connect(db_path, isolation_level=None)
        other_desk.execute("BEGIN IMMEDIATE")  # another workstation holds the write lock
        try:
            await pilot.press("enter")
            await pilot.pause()
            assert app.is_running
            assert any("busy" in m and "try again" in m for m in _messages(app)), _messages(app)
            assert calls(store) == []
            screen = app.screen
            assert screen.query_one("#number", Input).value == "13812345678"
            assert screen.query_one("#words", Input).value == "do you teach java"
        finally:
            other_desk.execute("ROLLBACK")
            other_desk.close()
        targets = app.screen.query_one("#targets", OptionList)
        app.set_focus(targets)
        await pilot.press("enter")
        await pilot.pause()
    [call] = calls(store)
    assert (call.caller_number, call.outcome, call.to_staff_id) == ("+8613812345678", "transferred", center["李娜"].id)


async def test_a_pick_taken_at_another_desk_shows_the_new_pick_before_anything_is_written(store, center):
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13812345678", "do you teach java")
        await pilot.press("enter")  # the panel shows 李娜, the rotation's pick, highlighted
        await pilot.pause()
        staff_dal.set_state(store, center["李娜"].id, "on_call")  # another desk gave her a caller
        await pilot.press("enter")
        await pilot.pause()
        assert calls(store) == []
        assert any("李娜" in m and "王芳" in m for m in _messages(app)), _messages(app)
        targets = app.screen.query_one("#targets", OptionList)
        assert "王芳" in str(targets.get_option_at_index(0).prompt)
        assert app.focused is targets and targets.highlighted == 0
        await pilot.press("enter")  # one Enter transfers to the new pick
        await pilot.pause()
    [call] = calls(store)
    assert call.to_staff_id == center["王芳"].id


async def test_a_database_error_in_any_handler_is_logged_with_the_password_masked(store, center, desk_home, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from desk.dal import calls as calls_dal

    def refuse(*_args, **_kwargs):
        raise OperationalError("INSERT", {}, Exception("connection to postgresql://desk:hunter2@db/center lost"))

    monkeypatch.setattr(calls_dal, "record_call", refuse)
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13812345678", "do you teach java")
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert app.is_running
        assert any("cannot be reached" in m for m in _messages(app)), _messages(app)
    log = (desk_home / "logs" / "desk.log").read_text(encoding="utf-8")
    assert "OperationalError" in log and "hunter2" not in log and "desk:***@db" in log
    assert all("hunter2" not in m for m in _messages(app))


async def test_a_crash_shows_no_local_variables_and_logs_the_traceback_masked(store, center, desk_home, capsys):
    """A bug still ends desk, but Textual's crash screen shows no locals (a URL with its
    password could be one) and the log has the traceback with the password masked."""
    import pytest

    app = make_app(store, user="陈静", lang="en")

    def broken() -> None:
        url = "postgresql://desk:hunter2@db/center"
        raise RuntimeError(f"cannot use {url}")

    with pytest.raises(RuntimeError):
        async with app.run_test(size=(120, 40)) as pilot:
            app.call_later(broken)
            await pilot.pause()
    shown = capsys.readouterr().err  # the crash screen, printed as desk ends
    assert "RuntimeError: cannot use postgresql://desk:***@db/center" in shown
    assert "hunter2" not in shown and "Locals" not in shown and "locals" not in shown
    log = (desk_home / "logs" / "desk.log").read_text(encoding="utf-8")
    assert "RuntimeError" in log and "hunter2" not in log and "desk:***@db" in log
