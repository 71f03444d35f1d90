"""Start-up: process start to the first screen painted with real data, desk vs a bare app.

Each run is a fresh interpreter (imports included), headless, exiting right after the first
paint. desk paints its home screen with today's staff on duty read from the database; the
floor is a one-label Textual app measured in the same run. Usage:

    python bench/startup.py [--runs 15] [--db PATH]   (default: a demo database in /tmp)
"""

from __future__ import annotations

import argparse
import os
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

DESK = """
import sys
from desk.app import DeskApp
from desk.screens.home import HomeScreen
original_mount, original_run = DeskApp.on_mount, DeskApp.run
def on_mount(self):
    original_mount(self)
    def check():
        table = self.screen.query_one("#duty") if isinstance(self.screen, HomeScreen) else None
        if table is None or table.row_count == 0:
            sys.exit("home screen not painted with staff")
        self.exit()
    self.call_after_refresh(check)
DeskApp.on_mount = on_mount
DeskApp.run = lambda self, **kw: original_run(self, headless=True)
from desk.entry import main
main(["--db", sys.argv[1]])
"""


def timed(code: str, *args: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


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
    # Remember the manager at this workstation, as after the first start (the home screen).
    remember = (
        "import sys; from desk.db import open_database; from desk.dal import Store; "
        "from desk.dal.staff import list_staff; from desk.workstation import remember_user; "
        "manager = list_staff(Store(open_database(sys.argv[1])), role='manager')[0]; "
        "remember_user(sys.argv[1], manager.id)"
    )
    subprocess.run([sys.executable, "-c", remember, str(Path(db).resolve())], check=True, env=env)
    for _ in range(2):  # warm the OS file cache and byte-code caches for both
        timed(BARE, env=env)
        timed(DESK, db, env=env)
    bare, desk = [], []
    for _ in range(args.runs):
        bare.append(timed(BARE, env=env))
        desk.append(timed(DESK, db, env=env))
    b, d = statistics.median(bare), statistics.median(desk)
    print(f"runs: {args.runs}  database: {db}")
    print(f"bare Textual app, first paint:          median {b * 1000:7.1f} ms")
    print(f"desk home with staff on duty from db:   median {d * 1000:7.1f} ms")
    print(f"ratio desk / bare: {d / b:.2f}  (budget <= 2.00: {'OK' if d / b <= 2 else 'OVER'})")


if __name__ == "__main__":
    main()
