"""The TUI shell: start-up, the user at the keyboard, one key per screen, help."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select
from textual.widgets import DataTable

from desk.dal import Store
from desk.dal import staff as staff_dal
from desk.db import open_database
from desk.models import AuditEntry
from desk.screens.help import HelpScreen
from desk.screens.home import HomeScreen
from desk.screens.pick_user import PickUserScreen
from desk.workstation import remembered_user
from tests.helpers import make_app

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def shell_store(tmp_path, monkeypatch):
    monkeypatch.setenv("DESK_HOME", str(tmp_path / "home"))
    engine = open_database(tmp_path / "desk.db")
    store = Store(engine, tz=SHANGHAI, clock=lambda: datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI))
    wang = staff_dal.add_staff(store, name="王芳", role="consultant", extension="801")
    staff_dal.set_state(store, wang.id, "free")
    staff_dal.add_staff(store, name="李娜", role="receptionist", extension="800")
    staff_dal.add_staff(store, name="赵强", role="consultant", extension="802")
    return store


async def test_first_start_asks_who_is_at_the_keyboard_and_remembers(shell_store):
    app = make_app(shell_store, user=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickUserScreen)
        await pilot.press("down", "enter")  # 王芳 (highlighted first), 赵强 (rotation), then 李娜
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.user.name == "赵强"
        assert "赵强" in app.sub_title
    assert remembered_user("test.db") == app.user.id


async def test_remembered_receptionist_skips_the_picker_opens_on_triage_and_writes_name_her(shell_store):
    from desk.screens.triage import TriageScreen

    li = staff_dal.find_staff(shell_store, "李娜")
    app = make_app(shell_store, user=li.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        assert app.focused.id == "number"
        assert app.user.id == li.id
        staff_dal.set_state(app.store, staff_dal.find_staff(shell_store, "赵强").id, "free")
    with shell_store.read() as session:
        last = session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.actor_id == li.id and last.action == "state"
    assert json.loads(last.changes)["state"] == ["off_duty", "free"]


async def test_home_shows_who_is_on_duty_from_the_database(shell_store):
    app = make_app(shell_store, user=1, lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#duty", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert rows == [["王芳", "咨询师", "801", "空闲"]]
        zhao = staff_dal.find_staff(shell_store, "赵强")
        staff_dal.set_state(shell_store, zhao.id, "on_call")
        await pilot.press("r")
        await pilot.pause()
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert rows == [["王芳", "咨询师", "801", "空闲"], ["赵强", "咨询师", "802", "通话中"]]


@pytest.mark.parametrize(
    ("key", "mode"),
    [("f3", "triage"), ("f4", "walkins"), ("f5", "notes"), ("f6", "followups"), ("f2", "home"), ("f12", "dashboard")],
)
async def test_each_screen_has_one_key(shell_store, key, mode):
    app = make_app(shell_store, user=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f4" if mode == "home" else "f2", key)
        await pilot.pause()
        assert app.current_mode == mode


async def test_help_lists_the_keys_in_the_current_language(shell_store):
    app = make_app(shell_store, user=1, lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        actions = {table.get_row_at(i)[1] for i in range(table.row_count)}
        assert {"来电", "来访", "咨询记录", "回访", "切换用户", "退出", "刷新"} <= actions
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_switch_user_with_one_key(shell_store):
    app = make_app(shell_store, user=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, PickUserScreen)
        await pilot.press("down", "down", "enter")  # from 王芳, at the keyboard: 赵强, 李娜
        await pilot.pause()
        assert app.user.name == "李娜"
        assert app.store.actor_id == app.user.id


async def test_no_screen_opens_until_someone_says_who_is_at_the_keyboard(shell_store):
    app = make_app(shell_store, user=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickUserScreen)
        await pilot.press("f6", "f3", "ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, PickUserScreen) and app.current_mode == "home"
        await pilot.press("enter")  # 王芳, highlighted first
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        assert app.current_mode == "followups"
