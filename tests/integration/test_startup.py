"""Start-up's fast path (issue 2): the home screen painted from a DB-API read, the store
opened behind it, and ``desk`` going straight to the TUI without Typer."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import DataTable

from desk.app import DeskApp
from desk.config import load
from desk.dal import Store
from desk.dal import staff as staff_dal
from desk.dal.first_paint import first_paint_at_head
from desk.db import open_database, upgrade
from desk.entry import main, tui_options
from desk.errors import DatabaseError
from desk.i18n import set_language
from desk.screens.home import HomeScreen
from tests.helpers import until

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def center(tmp_path):
    path = tmp_path / "desk.db"
    store = Store(open_database(path), tz=SHANGHAI, clock=lambda: datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI))
    wang = staff_dal.add_staff(store, name="王芳", role="consultant", extension="801")
    staff_dal.set_state(store, wang.id, "free")
    zhao = staff_dal.add_staff(store, name="赵强", role="consultant", extension="802")
    staff_dal.set_state(store, zhao.id, "away")
    li = staff_dal.add_staff(store, name="李娜", role="receptionist", extension="800")
    staff_dal.set_state(store, li.id, "off_duty", on_duty=True)
    staff_dal.add_staff(store, name="孙丽", role="manager")  # not on duty
    return path, store


def test_roster_read_without_sqlalchemy_matches_the_data_layer(center):
    path, store = center
    roster = first_paint_at_head(path).duty
    assert [(r.name, r.role, r.extension, r.state) for r in roster] == [
        (s.name, s.role, s.extension, s.state) for s in staff_dal.on_duty(store)
    ]
    assert [r.name for r in roster] == ["王芳", "赵强", "李娜"]


def test_roster_is_not_read_from_a_database_that_needs_migrating(tmp_path):
    path = tmp_path / "old.db"
    from desk.db import make_engine, resolve

    upgrade(make_engine(resolve(path)), "0001_initial")
    assert first_paint_at_head(path) is None
    assert first_paint_at_head(tmp_path / "missing.db") is None


def test_the_fast_path_imports_neither_sqlalchemy_nor_typer_before_the_first_paint(center):
    path, _store = center
    code = (
        "import sys\n"
        "from desk.dal.first_paint import first_paint_at_head\n"
        "from desk.db import checked_sqlite_file, resolve\n"
        "import desk.app, desk.entry\n"
        "roster = first_paint_at_head(checked_sqlite_file(resolve(sys.argv[1]))).duty\n"
        "assert roster and roster[0].name == '王芳'\n"
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'typer', 'pydantic') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)


def opening_app(center, user: str, release: threading.Event, *, sign_in: bool = False) -> DeskApp:
    """desk on the fast path for ``user`` (signing in, as desk itself starts, with
    ``sign_in``), its store opening until ``release`` is set."""
    path, store = center

    def open_store() -> Store:
        release.wait(5)
        return store

    set_language("en")
    return DeskApp(open_store, load(None), database="fast.db", user_id=staff_dal.find_staff(store, user).id,
                   first_paint=first_paint_at_head(path), sign_in=sign_in)


async def test_home_paints_the_roster_then_opens_the_store_and_the_user(center):
    _path, _store = center
    release = threading.Event()
    app = opening_app(center, "孙丽", release)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and not app.store_open
        table = app.screen.query_one("#duty", DataTable)
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == ["王芳", "赵强", "李娜"]
        release.set()
        for _ in range(50):
            await pilot.pause(0.02)
            if app.store_open and getattr(app, "user", None) is not None:
                break
        assert app.user.name == "孙丽" and "孙丽" in app.sub_title


async def test_a_store_that_cannot_open_in_the_background_ends_desk_with_its_reason(center):
    path, _store = center

    def open_store() -> Store:
        raise DatabaseError("the database is locked by another program")

    set_language("en")
    app = DeskApp(open_store, load(None), database="fast.db", first_paint=first_paint_at_head(path))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(50):
            await pilot.pause(0.02)
            if not app.is_running:
                break
    assert isinstance(app.open_error, DatabaseError)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], {}),
        (["--db", "x.db"], {"db": "x.db"}),
        (["--db=x.db", "--lang", "zh_CN"], {"db": "x.db", "lang": "zh_CN"}),
        (["--lang=en"], {"lang": "en"}),
        (["--lang", "fr"], None),  # Typer explains the bad value
        (["--db"], None),
        (["--db", "a", "--db", "b"], None),
        (["--demo"], None),
        (["--version"], None),
        (["staff", "list"], None),
        (["--db", "x.db", "report"], None),
    ],
)
def test_only_a_plain_start_skips_typer(args, expected):
    assert tui_options(args) == expected


def test_the_fast_start_refuses_a_directory_in_one_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(tmp_path)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("desk: ") and "is a directory" in err[0]


async def test_a_call_started_before_the_store_has_opened_keeps_every_digit(center):
    """The receptionist presses Ctrl+N and types while desk is still opening the database."""
    from textual import events
    from textual.widgets import Input

    from desk.screens.triage import TriageScreen

    release = threading.Event()
    app = opening_app(center, "李娜", release)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not app.store_open
        for key in ["ctrl+n", *"13812345678"]:
            event = events.Key(key, key if len(key) == 1 else None)
            event.set_sender(app)
            app._driver.send_message(event)
        threading.Timer(0.2, release.set).start()
        for _ in range(60):
            await pilot.pause(0.05)
            screen = app.screen
            if isinstance(screen, TriageScreen) and screen.current is not None and len(screen.current.query_one("#number", Input).value) == 11:
                break
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        assert app.screen.current.query_one("#number", Input).value == "13812345678"
        assert app.user.name == "李娜"


async def test_in_a_center_with_pins_the_picker_is_the_first_paint_and_a_pin_typed_early_waits_for_the_store(center):
    """Issue 14/16: the sign-in picker comes up with the home screen, from the roster read
    without SQLAlchemy; the receptionist picks herself and types her PIN while the store is
    still opening; the PIN is checked once it is open, and she lands on call triage. No
    second picker comes up behind her, and no screen opens before she has signed in."""
    from textual.widgets import Input, OptionList

    from desk.dal import identity
    from desk.screens.pick_user import PickUserScreen
    from desk.screens.triage import TriageScreen

    _path, store = center
    manager = staff_dal.find_staff(store, "孙丽")
    identity.set_pin(store, manager.id, "2468")
    li = staff_dal.find_staff(store, "李娜")
    identity.set_pin(store.with_actor(manager.id), li.id, "1357")
    release = threading.Event()
    app = opening_app(center, "李娜", release, sign_in=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.store_open
        assert isinstance(app.screen, PickUserScreen)
        options = app.screen.query_one(OptionList)
        names = [str(options.get_option_at_index(i).prompt).split()[0] for i in range(options.option_count)]
        assert names == [p.name for p in staff_dal.list_staff(store)]
        assert str(options.get_option_at_index(options.highlighted).prompt).startswith("李娜")  # the last one here
        await pilot.press("f3")  # no screen before someone has signed in
        assert isinstance(app.screen, PickUserScreen) and app.user is None
        await pilot.press("enter", *"1357", "enter")
        assert not app.store_open and app.user is None  # the PIN waits for the store
        release.set()
        await until(pilot, lambda: isinstance(app.screen, TriageScreen))
        assert app.user.name == "李娜"
        assert isinstance(app.screen, TriageScreen)
        await pilot.pause(0.2)
        assert not any(isinstance(screen, PickUserScreen) for screen in app.screen_stack)
        assert app.screen.focused is not None and isinstance(app.screen.focused, Input)


async def test_a_wrong_pin_typed_before_the_store_opens_is_refused_once_it_opens(center):
    from desk.dal import identity
    from desk.screens.pick_user import PickUserScreen

    _path, store = center
    identity.set_pin(store, staff_dal.find_staff(store, "孙丽").id, "2468")
    release = threading.Event()
    app = opening_app(center, "孙丽", release, sign_in=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter", *"1111", "enter")
        release.set()
        await until(pilot, lambda: "wrong" in str(app.screen.query_one("#pick-user-hint").render()).lower())
        assert isinstance(app.screen, PickUserScreen) and app.user is None
        assert "wrong" in str(app.screen.query_one("#pick-user-hint").render()).lower()
        await pilot.press(*"2468", "enter")
        await until(pilot, lambda: app.user is not None)
        assert app.user.name == "孙丽"
        assert isinstance(app.screen, HomeScreen)


def test_the_first_paint_knows_whether_the_center_has_pins_and_who_may_sign_in(center):
    from desk.dal import identity

    path, store = center
    gone = staff_dal.add_staff(store, name="钱伟", role="consultant")
    with store.write() as session:  # left the center: no longer offered
        session.get(type(gone), gone.id).active = False
    first = first_paint_at_head(path)
    assert not first.guarded
    assert [p.name for p in first.people] == [p.name for p in staff_dal.list_staff(store)]
    identity.set_pin(store, staff_dal.find_staff(store, "孙丽").id, "2468")
    assert first_paint_at_head(path).guarded


async def test_the_receptionists_triage_is_built_behind_the_picker_while_she_types_her_pin(center):
    """Her PIN then opens a screen that exists already (issue 16: PIN to working screen);
    a consultant highlighted instead gets no triage built for nothing."""
    from desk.dal import identity
    from desk.screens.pick_user import PickUserScreen

    path, store = center
    manager = staff_dal.find_staff(store, "孙丽")
    identity.set_pin(store, manager.id, "2468")
    for who, built in (("李娜", True), ("王芳", False)):
        set_language("en")
        app = DeskApp(store, load(None), database="fast.db", user_id=staff_dal.find_staff(store, who).id,
                      first_paint=first_paint_at_head(path), sign_in=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, PickUserScreen) and app.user is None
            assert ("triage" in app._screen_stacks) is built, who
