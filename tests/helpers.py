"""What many test modules share, in one place: plain functions, classes and constants.

The fixtures they go with are in tests/conftest.py. A test module imports from here, never from
another test module, so moving or renaming one test module breaks no other.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"

CENTER_TZ = ZoneInfo("Asia/Shanghai")
SHANGHAI = CENTER_TZ
# The fixed "now" of the store fixtures: a Thursday morning at the center.
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=CENTER_TZ)
# The known day of the reporting tests (the ``known`` fixture), the day before NOW.
DAY = date(2026, 11, 25)


def at(d: int, hh: int, mm: int = 0, ss: int = 0, month_: int = 11) -> datetime:
    """A moment of 2026 at the center: day ``d`` of November (or of ``month_``)."""
    return datetime(2026, month_, d, hh, mm, ss, tzinfo=CENTER_TZ)


class Clock:
    """A clock for a Store that stands still until a test moves it on."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta) -> None:
        self.moment += timedelta(**delta)


def load_cases(name: str) -> list[dict]:
    """The worked cases of tests/cases/<name>.jsonl (docs/domain.md §12.2), or none."""
    path = CASES / f"{name}.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# ---- the database --------------------------------------------------------------------------


def open_url(url: str):
    """An engine on ``url`` opened as a user does: ``DESK_DATABASE_URL``, then open_database."""
    from desk.db import open_database

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DESK_DATABASE_URL", url)
        return open_database()


def staff_id(store, name):
    from desk.dal import staff as staff_dal

    return staff_dal.find_staff(store, name).id


def add_lead(store, name, phone, owner="王芳"):
    from desk.dal import leads as leads_dal

    with store.write() as session:
        lead = leads_dal.new_lead(session, store, name=name, phone=phone, channel="phone", owner_id=staff_id(store, owner))
    return lead


def add_follow_up(store, kind, lead, due, owner="王芳", note=None):
    from desk.dal import followups as fu_dal

    with store.write() as session:
        return fu_dal.create(session, store, kind, staff_id(store, owner), due, lead_id=lead.id, note=note)


# The PINs of desk_store's people in the tests of a center with PINs ("guarded": roles are
# enforced, and desk asks who is at the keyboard).
PINS = {"孙经理": "2580", "王芳": "1357", "赵强": "1470", "李娜": "2468"}


def with_pins(store, *names: str):
    """``store``'s center guarded: the manager's PIN first (the first PIN needs nobody's
    leave), then the PINs of ``names`` (from PINS) set by the manager. Returns ``store``."""
    from desk.dal import identity

    manager = staff_id(store, "孙经理")
    identity.set_pin(store, manager, PINS["孙经理"])
    for name in names:
        identity.set_pin(store.with_actor(manager), staff_id(store, name), PINS[name])
    return store


def transferred_call(store, to="王芳", number="+8613811112222", name="张伟", words="do you teach Java"):
    """A first inquiry the receptionist put through to ``to``: a new lead waiting for its note."""
    from desk.dal import calls as calls_dal
    from desk.drafts import CallDraft

    draft = CallDraft(started_at=store.now(), number=number, caller_number=number, words=words,
                      call_type="first_inquiry", caller_name=name, target_id=staff_id(store, to))
    return calls_dal.record_call(store, draft)


def calls(store):
    from desk.models import Call

    with store.read() as session:
        return list(session.exec(select(Call).order_by(Call.id)).all())


def visits(store):
    from desk.models import Visit

    with store.read() as session:
        return session.exec(select(Visit).order_by(Visit.id)).all()


# ---- the TUI -------------------------------------------------------------------------------


def make_app(store, user: str | int | None = "王芳", lang: str = "en", rings: Path | None = None):
    """desk in ``lang`` with ``user`` at the keyboard: a staff name, a staff id, or None (desk
    asks who it is); ``rings`` is the folder ``desk ring`` posts to."""
    from desk.app import DeskApp
    from desk.config import load
    from desk.i18n import set_language

    set_language(lang)
    user_id = staff_id(store, user) if isinstance(user, str) else user
    return DeskApp(store, load(None), database="test.db", user_id=user_id, rings_folder=rings)


def table_rows(app):
    """The rows of the follow-up queue's table, as shown."""
    table = app.screen.query_one("#fu-table")
    return [table.get_row_at(i) for i in range(table.row_count)]


async def settle(pilot) -> None:
    """Wait for what the keys set off in worker threads (lookups, saves, live reads) and
    for the screen to show it: screens call the data layer off the UI thread."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot, condition, within: float = 30.0) -> bool:
    """Let the app run, no key pressed, until ``condition()`` holds: a poll timer, a debounce,
    a worker. Waits for the condition, never a fixed time, so a loaded machine (CI, -n 2) only
    makes it slower; ``within`` is only the bound on a hang, not a figure asserted. Returns
    the condition's last value, for ``assert await until(...)``."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return bool(condition())
        await pilot.pause(0.02)
    return True


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)


async def start_call(pilot, number: str, words: str) -> None:
    """Ctrl+N on call triage, the caller's number, Enter, then the caller's words."""
    await pilot.press("ctrl+n")
    await pilot.pause()
    await type_text(pilot, number)
    await settle(pilot)  # the number's lookup answers from a worker thread
    await pilot.press("enter")
    await type_text(pilot, words)
    await settle(pilot)


async def choose_type(pilot, vtype):
    """Picks the visitor type ``vtype`` in the walk-in form's list."""
    from desk.models.visit import VISITOR_TYPES

    await pilot.press("home", *(["down"] * VISITOR_TYPES.index(vtype)), "enter")


async def open_outreach(pilot, app):
    """The outreach screen as a consultant opens it: F6 (the follow-up queue), then p."""
    await pilot.press("f6")
    await pilot.pause()
    await pilot.press("p")
    await pilot.pause()
    return app.screen


# ---- the command line ----------------------------------------------------------------------


def desk(*args: str, input: str | None = None):
    """``desk ARGS`` run in this process (Typer's runner): exit code, stdout, stderr."""
    from typer.testing import CliRunner

    from desk.cli import app

    return CliRunner().invoke(app, list(args), input=input)


def assert_one_line_error(result, *words: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    err = result.stderr.strip()
    assert err.startswith("desk: ") and "\n" not in err, err
    assert "Traceback" not in result.output
    for word in words:
        assert word in err, err


# Runs desk's main with the arguments after ``-c PROBE`` and reports which heavy modules the
# command imported: a light command must not pay for Textual or Alembic.
PROBE = """
import sys
from desk.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "alembic") or m == "desk.app")
print("HEAVY", heavy, "CODE", code, file=sys.stderr)
"""


class Tmux:
    """A real desk in a terminal of 80x24, on a tmux server of its own."""

    def __init__(self, home: Path, name: str = "desk") -> None:
        self.socket = f"{name}-{os.getpid()}"  # a server per test module and process
        self.home = home

    def run(self, *args: str, check: bool = True) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], check=check, capture_output=True, text=True).stdout

    def start(self, name: str, db: Path) -> None:
        command = shlex.join([sys.executable, "-m", "desk", "--db", str(db), "--lang", "en"])
        self.run("new-session", "-d", "-s", name, "-x", "80", "-y", "24", "-c", str(ROOT),
                 "-e", f"DESK_HOME={self.home}", f"exec {command}")

    def screen(self, name: str) -> str:
        return self.run("capture-pane", "-p", "-t", name, check=False)

    def wait(self, done, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if done():
                return True
            time.sleep(0.1)
        return False
