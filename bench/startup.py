"""Start-up: process start to the first screen painted with real data, desk vs a bare app.

Each run is a fresh interpreter (imports included), headless, exiting right after the paint
measured; the floor is a one-label Textual app measured in the same run. Measured:

- picker: desk's first paint in a center with PINs (the demo): the sign-in picker over the
  home screen, both from the first read (desk.dal.first_paint), before the store opens;
- home: desk's first paint in a center without PINs (a copy of the demo): the home screen
  with today's staff on duty, what start-up painted before sign-in existed;
- per role (issue 16), in a copy of the demo without PINs, the person of that role remembered
  at the workstation: launch to their working screen painted and usable (the store open, the
  person signed in): call triage with a call ready for the receptionist, home for a
  consultant and a manager (their follow-up queue is built behind it).

- PIN entered -> each role's working screen, beside the PIN's scrypt check alone.

    python -P bench/startup.py [--runs 15] [--db PATH]   (default: a demo database in /tmp)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = """
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("hello")
    def on_mount(self):
        self.call_after_refresh(self.exit)
Bare().run(headless=True)
"""

# Both desk scripts end here: ``check`` runs after the first paint until it exits the app.
HEADLESS = """
def on_mount(self):
    original_mount(self)
    self.call_after_refresh(check, self)

DeskApp.on_mount = on_mount
DeskApp.run = lambda self, **kw: original_run(self, headless=True)
from desk.entry import main
main(["--db", sys.argv[1]])
"""

DESK = """
import sys
from desk.app import DeskApp
from desk.screens.home import HomeScreen
what = sys.argv[2]
original_mount, original_run, original_set_user = DeskApp.on_mount, DeskApp.run, DeskApp.set_user

def painted(app):
    screen = app.screen
    if what == "home":  # the first paint of a center without PINs: home, before the store
        return isinstance(screen, HomeScreen) and screen.query_one("#duty").row_count > 0
    if what == "picker":  # imported here: importing it before the first paint would slow it
        from desk.screens.pick_user import PickUserScreen
        home = app.screen_stack[0]
        return (isinstance(screen, PickUserScreen) and screen.is_mounted and screen.query_one("#pick-user").option_count > 0
                and isinstance(home, HomeScreen) and home.query_one("#duty").row_count > 0)
    if app.user is None or app.user.role != what:
        return False
    if what == "receptionist":
        from desk.screens.triage import TriageScreen
        return isinstance(screen, TriageScreen) and any(panel.is_mounted for panel in screen.query("CallPanel"))
    return isinstance(screen, HomeScreen) and screen.query_one("#duty").row_count > 0

def check(app):
    if painted(app):
        app.exit()
    else:
        # Not yet: look again in 5 ms. (Asking after every paint kept the UI thread busy
        # repainting, and the thread opening the store, importing SQLAlchemy, starved.)
        app.set_timer(0.005, lambda: check(app))

""" + HEADLESS

# PIN to working screen: desk on the demo (PINs), started for ``role``'s person; once the
# picker is up, the store open and start-up's background work done (a person takes a second or
# more to pick themselves and type a PIN), the PIN is entered and the time to their working
# screen painted is printed, in ms.
PIN = """
import sys, time
from desk.app import DeskApp
from desk.screens.home import HomeScreen
role = sys.argv[2].removeprefix("pin-")
original_mount, original_run = DeskApp.on_mount, DeskApp.run
state = {}

def working(app):
    screen = app.screen
    if app.user is None:
        return False
    if role == "receptionist":
        from desk.screens.triage import TriageScreen
        return isinstance(screen, TriageScreen) and any(panel.is_mounted for panel in screen.query("CallPanel"))
    # Home, and the follow-up queue built behind it (exiting while it mounts trips Textual).
    queue = app._screen_stacks.get("followups")
    return (isinstance(screen, HomeScreen) and screen.query_one("#duty").row_count > 0
            and bool(queue) and queue[0].is_mounted)

def settled(app):
    # Start-up's background work done (the lookup's warm-up, the sweep, the picker's name
    # readings): where a person is after picking themselves and typing four digits.
    import threading
    return not any(t.name == "desk-warm-lookup" for t in threading.enumerate()) and not app.workers

def check(app):
    from desk.screens.pick_user import PickUserScreen
    if "start" not in state:
        screen = app.screen
        if isinstance(screen, PickUserScreen) and app._changes is not None and settled(app):
            screen._pick()  # Enter on the person highlighted: the one remembered here
            state["start"] = time.perf_counter()
            screen._check_pin("1234")  # what Enter in the PIN field does
    elif working(app):
        print(f"{(time.perf_counter() - state['start']) * 1000:.2f}")
        app.exit()
        return
    app.set_timer(0.005, lambda: check(app))

""" + HEADLESS

# The demo's person of ``role`` remembered at the workstation (PINs kept), and picked.
REMEMBER_ROLE = (
    "import sys; from desk.db import open_database; from desk.dal import Store; "
    "from desk.dal.staff import list_staff; from desk.workstation import remember_user; "
    "person = list_staff(Store(open_database(sys.argv[1])), role=sys.argv[2])[0]; "
    "remember_user(sys.argv[1], person.id)"
)


# The demo copied without PINs, one person of ``role`` remembered at the workstation.
OPEN_CENTER = (
    "import shutil, sqlite3, sys; from desk.db import open_database; from desk.dal import Store; "
    "from desk.dal.staff import list_staff; from desk.workstation import remember_user; "
    "shutil.copy(sys.argv[1], sys.argv[2]); c = sqlite3.connect(sys.argv[2]); "
    "c.execute('update staff set pin_hash = null'); c.commit(); c.close(); "
    "person = list_staff(Store(open_database(sys.argv[2])), role=sys.argv[3])[0]; "
    "remember_user(sys.argv[2], person.id)"
)


# Peak resident memory of each run (kB, from its rusage), by what ran: "bare" or a case.
PEAKS: dict[str, list[int]] = {}


def timed(code: str, *args: str, env: dict[str, str]) -> float:
    """Wall time of one run; its peak memory goes to ``PEAKS``."""
    return run(code, *args, env=env)[0]


def run(code: str, *args: str, env: dict[str, str]) -> tuple[float, str]:
    """Wall time and standard output of one run; its peak memory goes to ``PEAKS``."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, *args], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    out, err = child.stdout.read(), child.stderr.read()  # a line, and nothing unless it failed
    _, status, usage = os.wait4(child.pid, 0)
    took = time.perf_counter() - start
    code_ = os.waitstatus_to_exitcode(status)
    if code_ or err.strip():  # a paint never reached, or a traceback
        sys.exit(f"{args}: exit {code_}\n{err[-2000:]}")
    PEAKS.setdefault(args[1] if len(args) > 1 else "bare", []).append(usage.ru_maxrss)
    return took, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--db")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="desk-bench-"))
    env = {**os.environ, "DESK_HOME": str(home)}
    db = args.db or str(home / "desk.db")
    if not args.db:
        subprocess.run([sys.executable, "-m", "desk", "--db", db, "demo"], check=True, env=env, stdout=subprocess.DEVNULL)
    # The manager remembered at this workstation, as after the first start.
    subprocess.run([sys.executable, "-c", REMEMBER_ROLE, str(Path(db).resolve()), "manager"], check=True, env=env)
    cases = {"picker": db}
    home_db = home / "open-home.db"  # no PINs: the first paint is home (sign-in costs beside it)
    subprocess.run([sys.executable, "-c", OPEN_CENTER, db, str(home_db), "manager"], check=True, env=env)
    cases["home"] = str(home_db.resolve())
    signing: dict[str, str] = {}
    for role in ("receptionist", "consultant", "manager"):
        copy = str(home / f"open-{role}.db")
        subprocess.run([sys.executable, "-c", OPEN_CENTER, db, copy, role], check=True, env=env)
        cases[role] = str(Path(copy).resolve())
        copy = home / f"pin-{role}.db"
        shutil.copy(db, copy)
        subprocess.run([sys.executable, "-c", REMEMBER_ROLE, str(copy.resolve()), role], check=True, env=env)
        signing[role] = str(copy.resolve())
    for _ in range(2):  # warm the OS file cache and byte-code caches for both
        timed(BARE, env=env)
        for what, path in cases.items():
            timed(DESK, path, what, env=env)
    bare: list[float] = []
    desk: dict[str, list[float]] = {what: [] for what in cases}
    pin: dict[str, list[float]] = {role: [] for role in signing}
    scrypt: list[float] = []  # the PIN's check alone: the floor of PIN -> working screen
    from desk.pins import check_pin, hash_pin

    stored = hash_pin("1234")
    for _ in range(args.runs):
        bare.append(timed(BARE, env=env))
        for what, path in cases.items():
            desk[what].append(timed(DESK, path, what, env=env))
        for role, path in signing.items():
            pin[role].append(float(run(PIN, path, f"pin-{role}", env=env)[1].split()[-1]))
            start = time.perf_counter()
            check_pin("1234", stored)
            scrypt.append((time.perf_counter() - start) * 1000)
    b = statistics.median(bare)
    print(f"runs: {args.runs}  database: {db}")
    print(f"bare Textual app, first paint:            median {b * 1000:7.1f} ms")
    labels = {
        "picker": "sign-in picker over home (PINs): 1st paint",
        "home": "home, no PINs: 1st paint",
        "receptionist": "receptionist: call triage, call ready",
        "consultant": "consultant: home, signed in",
        "manager": "manager: home, signed in",
    }
    for what, times in desk.items():
        d = statistics.median(times)
        verdict = "OK" if d / b <= 1.5 else "OVER"
        print(f"{labels[what]:<42} median {d * 1000:7.1f} ms   ratio {d / b:.2f}  (budget <= 1.50: {verdict})")
    floor = statistics.median(scrypt)
    print(f"the PIN's scrypt check alone (floor):      median {floor:7.1f} ms")
    for role, times in pin.items():
        d = statistics.median(times)
        print(f"PIN entered -> {role}'s working screen: median {d:6.1f} ms, max {max(times):6.1f}, "
              f"ratio {d / floor:.2f} (budget <= 100 ms: {'OK' if d <= 100 else 'OVER'})")
    bare_peak = statistics.median(PEAKS["bare"])
    print(f"peak memory: bare {bare_peak / 1024:.1f} MB; " + ", ".join(
        f"{what} {statistics.median(PEAKS[what]) / 1024:.1f} MB ({statistics.median(PEAKS[what]) / bare_peak:.2f}x)"
        for what in PEAKS if what != "bare") + " (budget <= 2.00x)")


if __name__ == "__main__":
    main()
