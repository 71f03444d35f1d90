"""``desk serve`` in a real headless Chromium: two browser tabs, two desks, one database.

The server is ``desk serve`` itself, a process of its own on a free port; the browser is the
system's Chromium (Debian's ``chromium``; ``DESK_TEST_CHROMIUM`` names another) driven by
Playwright. A receptionist in one tab saves a call by pressing the keys she presses at a
terminal; the manager's home screen in the other tab shows the consultant on the call, and
the database holds it. Each browser is a workstation of its own: the next tab of the
receptionist's browser starts as her, a new browser's asks who is at the keyboard.

The screen is read from the xterm.js terminal's own buffer (the canvas it paints shows no text
in the DOM): textual.js keeps its ``Terminal`` on an object with a ``fitAddon``, which an init
script catches as it is set. A textual-serve that renames it fails here, loudly, at the first
read.

Skipped only where there is no Chromium (or Playwright) and this is not CI; CI installs both
(.ci/run, pyproject's test extra), and there it runs.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from desk.dal import identity
from desk.dal import staff as staff_dal
from desk.dal.store import Store
from desk.db import open_database
from desk.models import Call
from tests.helpers import ROOT

CHROMIUM = os.environ.get("DESK_TEST_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
WAIT = 60.0  # seconds before a screen that never comes fails the test (not a speed limit)

# Runs in every page before textual.js: keeps each terminal textual.js makes, to read its buffer.
CATCH_TERMINAL = """
window.deskTerminals = [];
Object.defineProperty(Object.prototype, "fitAddon", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "fitAddon", {value, writable: true, configurable: true, enumerable: true});
    window.deskTerminals.push(this);
  },
});
"""
SCREEN_TEXT = """
() => {
  const holder = window.deskTerminals[0];
  if (!holder || !holder.terminal) return "";
  const buffer = holder.terminal.buffer.active;
  const lines = [];
  for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i).translateToString(true));
  return lines.join("\\n");
}
"""


def _missing() -> str | None:
    if CHROMIUM is None:
        return "no Chromium (apt-get install chromium, or DESK_TEST_CHROMIUM=/path/to/chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None and not os.environ.get("CI"), reason=str(_missing()))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PINS = {"Zhou Qiang": "2580", "Chen Jing": "2468"}


@pytest.fixture
def center(tmp_path: Path) -> Path:
    """A SQLite file with two free consultants, a receptionist and a manager, with PINs."""
    path = tmp_path / "desk.db"
    store = Store(open_database(path))
    for name, ext in (("Li Na", "801"), ("Wang Fang", "802")):
        person = staff_dal.add_staff(store, name=name, role="consultant", extension=ext)
        staff_dal.set_state(store, person.id, "free")
    receptionist = staff_dal.add_staff(store, name="Chen Jing", role="receptionist", extension="800")
    manager = staff_dal.add_staff(store, name="Zhou Qiang", role="manager", extension="820")
    identity.set_pin(store, manager.id, PINS["Zhou Qiang"])  # the center's first PIN: its manager's
    identity.set_pin(store.with_actor(manager.id), receptionist.id, PINS["Chen Jing"])
    store.engine.dispose()
    return path


@pytest.fixture
def served(center: Path, desk_home: Path, tmp_path: Path) -> Iterator[str]:
    """``desk serve`` on a free port of 127.0.0.1: its URL, once it listens."""
    port = free_port()
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DESK_HOME": str(desk_home)}
    server = subprocess.Popen(
        [sys.executable, "-m", "desk", "--db", str(center), "--lang", "en", "serve", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        assert wait_for(lambda: server.poll() is not None or _listening(port)), "desk serve never listened"
        assert server.poll() is None, _read(log)
        yield url
    finally:
        server.send_signal(signal.SIGINT)  # as Ctrl+C: the tabs' desks are told to quit
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _read(log) -> str:
    log.seek(0)
    return log.read()


def wait_for(done: Callable[[], object], timeout: float = WAIT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done():
            return True
        time.sleep(0.2)
    return bool(done())


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # As root (CI) Chromium needs --no-sandbox; a container's small /dev/shm would crash its tabs.
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            yield chromium
        finally:
            chromium.close()


class Tab:
    """One browser tab on desk serve: its own desk, read and typed at as a person would.
    ``workstation`` is a browser (a Playwright context: its own cookies); None, a new one."""

    def __init__(self, browser, url: str, workstation=None) -> None:
        self.workstation = workstation or browser.new_context(viewport={"width": 1280, "height": 720})
        self.page = self.workstation.new_page()
        self.page.add_init_script(CATCH_TERMINAL)
        self.page.goto(url, wait_until="domcontentloaded")

    def screen(self) -> str:
        return self.page.evaluate(SCREEN_TEXT)

    def wait(self, *texts: str) -> None:
        """Until every one of ``texts`` is on the screen (the screen as it was, on failure)."""
        assert wait_for(lambda: all(text in self.screen() for text in texts)), self.screen()

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)


def reach_work(tab: Tab, who: str) -> None:
    """From a fresh tab to ``who``'s working screen: their name, then their PIN."""
    tab.wait("Who is at the keyboard?")
    tab.page.focus(".xterm-helper-textarea")  # the terminal takes the keys (a click would be desk's)
    tab.type(who.split()[0].lower())
    tab.wait(who)
    tab.press("Enter")
    tab.wait(f"PIN for {who}")
    tab.type(PINS[who])
    tab.press("Enter")
    tab.wait(f"— {who}")  # the title names who is at the keyboard


def test_a_call_saved_in_one_tab_shows_in_the_other_and_in_the_database(center, served, browser):
    manager, desk = Tab(browser, served), Tab(browser, served)
    reach_work(manager, "Zhou Qiang")
    manager.wait("Li Na", "free")
    assert "on a call" not in manager.screen()

    reach_work(desk, "Chen Jing")  # a receptionist starts on call triage, a new call open
    desk.wait("Open calls", "Caller's number")
    desk.type("13812345678")
    desk.wait("13812345678")
    desk.press("Enter")
    desk.type("do you teach Java")
    desk.wait("do you teach Java", "First inquiry")
    desk.press("Enter")  # confirms the suggested type
    desk.wait("Action: First inquiry", "Li Na  ext. 801")
    desk.press("Enter")  # puts the caller through to the consultant next in rotation
    desk.wait("transferred to Li Na")

    manager.wait("on a call")  # the other desk's home screen, kept current from the database
    store = Store(open_database(center))
    with store.read() as session:
        (call,) = session.exec(select(Call)).all()
    assert (call.caller_number, call.call_type, call.words) == ("+8613812345678", "first_inquiry", "do you teach Java")
    assert call.to_staff_id == staff_dal.find_staff(store, "Li Na").id

    # Each browser is a workstation: its next tab offers whoever was last at it (Enter asks
    # her PIN), another browser's first asks who is at the keyboard.
    again = Tab(browser, served, desk.workstation)
    again.wait("Who is at the keyboard?")
    again.page.focus(".xterm-helper-textarea")
    again.press("Enter")
    again.wait("PIN for Chen Jing")
    Tab(browser, served).wait("Who is at the keyboard?")
