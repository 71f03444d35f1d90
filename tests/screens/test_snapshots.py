"""Snapshot tests: the layout of every desk screen, in English and Chinese, kept as SVGs.

Each test drives the app as a receptionist or consultant would (keys in) and compares the
screen with ``tests/screens/__snapshots__/test_snapshots/<test>[<lang>-<size>].svg``. The data is the
demo center (seed 7) on the frozen clock of ``tests/conftest.py``, which the header clock
shows too; the input cursor's blink, the machine's time zone, NO_COLOR and Textual's theme/filter variables are
pinned below, so a snapshot only changes when a screen does. After a deliberate change:
``.venv/bin/pytest tests/screens/test_snapshots.py --snapshot-update`` and review the SVG diffs.
"""

from __future__ import annotations

import shutil
import time
import unicodedata

import pytest
from sqlmodel import select
from textual import constants
from textual.widgets import Input

from desk.app import DeskApp
from desk.config import load
from desk.dal import followups as fu_dal
from desk.dal import staff as staff_dal
from desk.dal import visits as visits_dal
from desk.dal.store import Store
from desk.dal.visits import VisitInput
from desk.db import open_database
from desk.i18n import set_language
from desk.models import Lead
from tests.helpers import CENTER_TZ, NOW, Clock, settle

SMALL = (80, 24)
LARGE = (160, 48)
LANGS = pytest.mark.parametrize("lang", ["en", "zh_CN"])
BOTH_SIZES = pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x48"])
ONLY_SMALL = pytest.mark.parametrize("size", [SMALL], ids=["80x24"])

RECEPTIONIST = "孙丽"  # on duty in the demo center today
CONSULTANT = "王芳"  # first in the rotation; calls and follow-ups of her own in the queue


@pytest.fixture
def snap_clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def center(demo_template, tmp_path, snap_clock):
    """A private copy of the demo database (tests/conftest.py builds it once per worker): a
    test's writes (the sweep, a visitor) stay its own."""
    path = tmp_path / "desk.db"
    shutil.copyfile(demo_template, path)
    engine = open_database(path)
    yield Store(engine, tz=CENTER_TZ, clock=snap_clock)
    engine.dispose()


@pytest.fixture(autouse=True)
def still_screen(monkeypatch: pytest.MonkeyPatch):
    """Nothing on screen may come from the wall clock or the machine running the tests.

    The header clock is the center's clock, the store's (frozen) one; the input cursor does
    not blink (a slow run would catch it off); the process time zone is
    UTC, far from the center's, so a time shown without ``store.local`` stands out as wrong
    rather than as a difference between machines; NO_COLOR and TEXTUAL_FILTERS are ignored.
    """
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(constants, "FILTERS", "")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def desk_app(store: Store, user: str, lang: str) -> DeskApp:
    set_language(lang)
    app = DeskApp(store, load(None), database="snapshot.db", user_id=staff_dal.find_staff(store, user).id)
    app.theme = "textual-dark"  # not TEXTUAL_THEME's
    app.animation_level = "none"
    return app


async def type_text(pilot, text: str) -> None:
    """Type ``text`` key by key. Pilot cannot press full-width punctuation (，？): it turns
    them into key names without a character, so those go in as the IME would deliver them."""
    for char in text:
        if not char.isascii() and unicodedata.category(char).startswith("P"):
            pilot.app.focused.insert_text_at_cursor(char)
        else:
            await pilot.press(char)
    await settle(pilot)  # a number's lookup answers from a worker thread


# ----- home and help -----------------------------------------------------------------------------


@LANGS
@ONLY_SMALL
def test_home(snap_compare, center, lang, size):
    """A consultant's home: who is on duty today with their state, and the screen keys."""
    assert snap_compare(desk_app(center, CONSULTANT, lang), terminal_size=size)


@LANGS
@ONLY_SMALL
def test_help(snap_compare, center, lang, size):
    """F1 over call triage: the call's keys first, then desk's."""
    assert snap_compare(desk_app(center, RECEPTIONIST, lang), terminal_size=size, press=["f3", "f1"])


@LANGS
@ONLY_SMALL
def test_pick_user(snap_compare, center, lang, size):
    """F9: who is at the keyboard, on the one who is, the list scrolling inside its box."""
    assert snap_compare(desk_app(center, RECEPTIONIST, lang), terminal_size=size, press=["f9"])


# ----- call triage -------------------------------------------------------------------------------

CALLER = "13912345678"
WORDS = {
    "en": "Hi, do you have a Java course? How much is it?",
    "zh_CN": "你好，你们有Java培训吗？学费多少钱",
}


@LANGS
@BOTH_SIZES
def test_triage_idle(snap_compare, center, lang, size):
    """The receptionist's workstation waiting for a call: the number field, the board, today's calls."""
    assert snap_compare(desk_app(center, RECEPTIONIST, lang), terminal_size=size, press=["f3"])


@LANGS
@BOTH_SIZES
def test_triage_call(snap_compare, center, lang, size):
    """An open call: number and words typed; the suggested type and the question to ask back."""

    async def take_call(pilot):
        await pilot.press("f3")
        await type_text(pilot, CALLER)
        await pilot.press("enter")
        await type_text(pilot, WORDS[lang])

    assert snap_compare(desk_app(center, RECEPTIONIST, lang), terminal_size=size, run_before=take_call)


@LANGS
@BOTH_SIZES
def test_triage_transfer(snap_compare, center, lang, size):
    """Enter confirms the suggestion: the transfer line and the free consultants, the rotation's pick first."""

    async def confirm(pilot):
        await pilot.press("f3")
        await type_text(pilot, CALLER)
        await pilot.press("enter")
        await type_text(pilot, WORDS[lang])
        await pilot.press("enter")

    assert snap_compare(desk_app(center, RECEPTIONIST, lang), terminal_size=size, run_before=confirm)


def front_desk(store):
    """``store`` as the demo's receptionist: the board is hers to keep (the demo has PINs)."""
    return store.with_actor(staff_dal.list_staff(store, role="receptionist")[0].id)


@LANGS
@BOTH_SIZES
def test_triage_message(snap_compare, center, lang, size):
    """Every consultant busy: Enter on the inquiry opens the message form, scrolled so the
    caller's name field (focused) and the lines to say are in view."""
    for person in staff_dal.consultants(center):
        staff_dal.set_state(front_desk(center), person.id, "on_call")

    async def take_message(pilot):
        await pilot.press("f3")
        await type_text(pilot, CALLER)
        await pilot.press("enter")
        await type_text(pilot, WORDS[lang])
        await pilot.press("enter")

    assert snap_compare(desk_app(center, RECEPTIONIST, lang), terminal_size=size, run_before=take_message)


REPEAT_WORDS = {
    "en": "I called last week about the Java course",
    "zh_CN": "我上周打过电话，问Java课程的",
}




@LANGS
@BOTH_SIZES
def test_triage_repeat_caller(snap_compare, center, lang, size):
    """A known number: the caller card (owner, last contact in the center's time, open
    follow-ups); Enter on the repeat inquiry offers the owner, who is free."""
    number = first_lead_of(center, CONSULTANT).phone.removeprefix("+86")

    async def repeat_call(pilot):
        await pilot.press("f3")
        await type_text(pilot, number)
        await pilot.press("enter")
        await type_text(pilot, REPEAT_WORDS[lang])
        await pilot.press("enter")

    assert snap_compare(desk_app(center, RECEPTIONIST, lang), terminal_size=size, run_before=repeat_call)


# ----- walk-ins ----------------------------------------------------------------------------------


@LANGS
@BOTH_SIZES
def test_walkins_form(snap_compare, center, lang, size):
    """F4: the empty visitor form with the type list focused, the board, the waiting list, the day."""
    assert snap_compare(desk_app(center, RECEPTIONIST, lang), terminal_size=size, press=["f4"])


@LANGS
@BOTH_SIZES
def test_walkins_waiting(snap_compare, center, snap_clock, lang, size):
    """Two visitors waited 12 and 7 minutes while every consultant was busy; 王芳 is free again
    and the oldest waiter is offered to her (Ctrl+T)."""
    free = [c for c in staff_dal.consultants(center) if c.state == "free"]
    for person in free:
        staff_dal.set_state(front_desk(center), person.id, "with_visitor")
    visits_dal.register(center, VisitInput("consult_walk_in", name="周小明", phone="+8613900001111", course_interest="Java"))
    snap_clock.advance(minutes=5)
    visits_dal.register(center, VisitInput("accompanied", name="林佳", phone="+8613900002222", companions="妈妈"))
    snap_clock.advance(minutes=7)
    staff_dal.set_state(front_desk(center), free[0].id, "free")
    assert snap_compare(desk_app(center, RECEPTIONIST, lang), terminal_size=size, press=["f4"])


# ----- consult notes -----------------------------------------------------------------------------


@LANGS
@BOTH_SIZES
def test_notes_queue(snap_compare, center, lang, size):
    """F5: the consultant's own queue (calls owing a register row) and the repeat/invalid check list."""
    assert snap_compare(desk_app(center, CONSULTANT, lang), terminal_size=size, press=["f5"])


@LANGS
@BOTH_SIZES
def test_notes_form(snap_compare, center, lang, size):
    """Enter on the first queue row: the note form of that caller, the name field focused."""
    assert snap_compare(desk_app(center, CONSULTANT, lang), terminal_size=size, press=["f5", "enter"])


# ----- follow-ups and the timeline ---------------------------------------------------------------

NEW_CONSULTANT = "陈静"  # a short queue: every bucket fits on one screen at 80x24


def first_lead_of(store: Store, name: str) -> Lead:
    owner = staff_dal.find_staff(store, name)
    with store.read() as session:
        return session.exec(select(Lead).where(Lead.owner_id == owner.id, Lead.phone.is_not(None)).order_by(Lead.id)).first()


@LANGS
@BOTH_SIZES
def test_followups(snap_compare, center, lang, size):
    """F6: 陈静's follow-ups, overdue first in red with how late, a callback due today at
    15:00, then the upcoming ones; the day's counts against the targets above."""
    lead = first_lead_of(center, NEW_CONSULTANT)
    with center.write() as session:
        fu_dal.create(session, center, "callback", lead.owner_id, NOW.replace(hour=15), lead_id=lead.id, note="想问周末班")
    assert snap_compare(desk_app(center, NEW_CONSULTANT, lang), terminal_size=size, press=["f6"])


@LANGS
@BOTH_SIZES
def test_timeline(snap_compare, center, lang, size):
    """``t`` on the second overdue follow-up: a student's history, newest first (visit,
    note, enrollment, payment, follow-ups), and the lead's verdict."""
    assert snap_compare(desk_app(center, NEW_CONSULTANT, lang), terminal_size=size, press=["f6", "down", "t"])


# ----- the working screens at 60x20 (issue 12 §14) ------------------------------------------------

TINY = (60, 20)
WORKING_SCREENS = {
    "home": (CONSULTANT, []),
    "triage": (RECEPTIONIST, ["f3"]),
    "walkins": (RECEPTIONIST, ["f4"]),
    "notes": (CONSULTANT, ["f5"]),
    "followups": (NEW_CONSULTANT, ["f6"]),
    # Not the dashboard: plotext places its axis ticks by the size the chart had when it was
    # drawn, which differs from run to run; tests/reporting/test_report_dashboard.py checks
    # that its chart stays at 60x20.
}


@LANGS
@pytest.mark.parametrize("screen", list(WORKING_SCREENS))
def test_working_screens_at_60x20(snap_compare, center, lang, screen):
    """Each working screen on a small terminal: nothing essential disappears (the call form
    keeps a usable width)."""
    user, keys = WORKING_SCREENS[screen]

    async def open_screen(pilot):
        await pilot.press(*keys)
        await settle(pilot)  # what the screen reads in threads is on it

    assert snap_compare(desk_app(center, user, lang), terminal_size=TINY, run_before=open_screen)
