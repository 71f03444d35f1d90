"""Peak memory of a running desk per role, beside a bare Textual app in the same run (issue 16:
budget <= 2x), and what the memory is spent on.

    python -P bench/memory.py [--runs 5] [--settle 2.0] [--db PATH] [--top 12]

Each run is a fresh interpreter, headless. The floor is a one-label Textual app kept running
as long as desk is. desk runs on a copy of the demo without PINs with one person of the role
remembered at the workstation (as bench/startup.py), and is measured once it is *running*:
its working screen painted (call triage for the receptionist, home for a consultant and a
manager), the start-up threads done (the store opened, the lookup warmed) and, for a
consultant or a manager, the follow-up queue built behind home; then ``--settle`` seconds
more (the gc freeze, live reads) before it exits. Peak RSS is the child's rusage maximum;
runs are interleaved and each case's median is quoted with its ratio to the bare app's.

Then, to show what remains: one run per role under tracemalloc (25 frames), its live memory
at the end summed by package: each allocation goes to the innermost frame outside the
standard library (json.loads inside pypinyin counts as pypinyin); allocations made by the
import machinery itself (code objects) are "(imported code)". And one process importing the
big packages one after another, with the RSS each adds (the order desk imports them in).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.startup import OPEN_CENTER  # noqa: E402  the demo without PINs, a person of a role remembered

BARE = """
import sys, time
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("hello")
    def on_mount(self):
        self.set_timer(float(sys.argv[1]), self.exit)
Bare().run(headless=True)
"""

# argv: database, role, settle seconds, "rss" or "trace"
DESK = r"""
import sys, threading, time
from desk.app import DeskApp
db, role, settle, mode = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
original_mount, original_run = DeskApp.on_mount, DeskApp.run
STARTUP_THREADS = {"desk-open-store", "desk-warm-lookup"}
deadline = time.monotonic() + 300

def running(app):
    from desk.screens.home import HomeScreen
    screen = app.screen
    if app.user is None or app.user.role != role:
        return False
    if role == "receptionist":
        from desk.screens.triage import TriageScreen
        if not (isinstance(screen, TriageScreen) and any(p.is_mounted for p in screen.query("CallPanel"))):
            return False
    elif not (isinstance(screen, HomeScreen) and screen.query_one("#duty").row_count > 0
              and "followups" in app._screen_stacks):
        return False
    return not any(t.name in STARTUP_THREADS for t in threading.enumerate())

def check(app):
    if running(app):
        app.set_timer(settle, lambda: finish(app))
    elif time.monotonic() > deadline:  # say so rather than wait for ever
        sys.stderr.write(f"not running after 300 s: screen {app.screen!r}, user {app.user!r}\n")
        app.exit(return_code=1)
    else:
        app.set_timer(0.05, lambda: check(app))

def finish(app):
    if mode == "trace":
        import tracemalloc
        import json
        from bench.memory import by_package
        current, peak = tracemalloc.get_traced_memory()
        snapshot = tracemalloc.take_snapshot()
        tracemalloc.stop()
        totals = by_package((t.size, [f.filename for f in t.traceback]) for t in snapshot.traces)
        print("TRACE " + json.dumps({"current": current, "peak": peak, "packages": totals}))
    app.exit()

def on_mount(self):
    original_mount(self)
    self.call_after_refresh(check, self)

DeskApp.on_mount = on_mount
DeskApp.run = lambda self, **kw: original_run(self, headless=True)
from desk.entry import main
main(["--db", db])
"""


# RSS after importing each big package in turn, in desk's order (argv: the modules), and after
# the first name read (pypinyin) and the first call classified (the lexicon's matchers).
IMPORTS = """
import importlib, sys
def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
print("start", rss())
for step in sys.argv[1:]:  # "module" or "module:function": then it is called once, as desk does
    name, _, function = step.partition(":")
    module = importlib.import_module(name)
    if function:
        getattr(module, function)("曾王芳")
    print(step, rss())
"""
BIG_IMPORTS = ("textual.app", "rich", "sqlalchemy", "sqlalchemy.orm", "pydantic", "sqlmodel", "desk.models", "desk.dal",
               "desk.app", "desk.screens.triage", "rapidfuzz", "desk.search_keys:name_readings", "desk.rules.calls:classify")

ROLES = ("receptionist", "consultant", "manager")
LABELS = {"bare": "bare Textual app", "receptionist": "receptionist: triage",
          "consultant": "consultant: home + queue", "manager": "manager: home + queue"}


def traced(code: str, *args: str, env: dict[str, str]) -> dict:
    """One child under tracemalloc (25 frames): the TRACE line it prints, read."""
    out = subprocess.run([sys.executable, "-X", "tracemalloc=25", "-c", code, *args], env=env, cwd=ROOT,
                         capture_output=True, text=True)
    if out.returncode or out.stderr.strip():
        sys.exit(f"{args}: exit {out.returncode}\n{out.stderr[-2000:]}")
    return json.loads(next(x for x in out.stdout.splitlines() if x.startswith("TRACE "))[6:])


def run_peak(code: str, *args: str, env: dict[str, str]) -> int:
    """Peak RSS (kB) of one child, from its rusage (Popen.communicate would reap it first)."""
    child = subprocess.Popen([sys.executable, "-c", code, *args], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, cwd=ROOT)
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) or err.strip():
        sys.exit(f"{args}: exit {os.waitstatus_to_exitcode(status)}\n{err[-2000:]}")
    return usage.ru_maxrss


def package_of(filename: str) -> str | None:
    """Who an allocation is charged to: a third-party package, a desk package, or None for the
    standard library (the caller looks further out)."""
    path = filename.replace("\\", "/")
    if "/site-packages/" in path:
        return path.split("/site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if path.startswith(str(ROOT)):
        parts = Path(path).relative_to(ROOT).parts
        return "/".join(parts[:2]).removesuffix(".py") if parts[0] == "desk" else parts[0]
    return None


def by_package(traces: Iterable[tuple[int, list[str]]]) -> dict[str, int]:
    """Live bytes by package (package_of on the innermost frame outside the standard library)."""
    totals: dict[str, int] = {}
    for size, frames in traces:  # file names, oldest first (tracemalloc's order)
        inner = frames[-1] if frames else ""
        if "importlib" in inner:  # unmarshalling a module's code: the import machinery itself
            owner = "(imported code)"
        else:
            owner = next((p for p in map(package_of, reversed(frames)) if p), "(python stdlib)")
        totals[owner] = totals.get(owner, 0) + size
    return totals


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--settle", type=float, default=2.0)
    parser.add_argument("--db")
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="desk-bench-"))
    env = {**os.environ, "DESK_HOME": str(home), "PYTHONPATH": str(ROOT)}
    db = args.db or str(home / "desk.db")
    if not args.db:
        subprocess.run([sys.executable, "-m", "desk", "--db", db, "demo"], check=True, env=env, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
    cases = {}
    for role in ROLES:
        copy = str(home / f"open-{role}.db")
        subprocess.run([sys.executable, "-c", OPEN_CENTER, db, copy, role], check=True, env=env, cwd=ROOT)
        cases[role] = copy
    settle = str(args.settle)
    peaks: dict[str, list[int]] = {"bare": [], **{role: [] for role in ROLES}}
    for n in range(args.runs + 1):  # the first round warms the file and byte-code caches
        bare = run_peak(BARE, settle, env=env)
        found = {role: run_peak(DESK, path, role, settle, "rss", env=env) for role, path in cases.items()}
        if n:
            peaks["bare"].append(bare)
            for role, kb in found.items():
                peaks[role].append(kb)
    floor = statistics.median(peaks["bare"])
    print(f"runs: {args.runs}, settle {args.settle} s  database: {db}")
    print(f"{LABELS['bare']:<28} peak RSS median {floor / 1024:6.1f} MB  (min {min(peaks['bare']) / 1024:.1f}, "
          f"max {max(peaks['bare']) / 1024:.1f})")
    for role in ROLES:
        mid = statistics.median(peaks[role])
        verdict = "OK" if mid / floor <= 2.0 else "OVER"
        print(f"{LABELS[role]:<28} peak RSS median {mid / 1024:6.1f} MB  (min {min(peaks[role]) / 1024:.1f}, "
              f"max {max(peaks[role]) / 1024:.1f})  ratio {mid / floor:.2f}  (budget <= 2.00: {verdict})")

    print(f"\nlive memory at the end under tracemalloc, by package (top {args.top}; MB):")
    for role, path in cases.items():
        found = traced(DESK, path, role, settle, "trace", env=env)
        totals = sorted(found["packages"].items(), key=lambda kv: -kv[1])
        shown = ", ".join(f"{name} {size / 2**20:.1f}" for name, size in totals[: args.top])
        print(f"{LABELS[role]}: live {found['current'] / 2**20:.1f} MB (peak {found['peak'] / 2**20:.1f}): {shown}")

    out = subprocess.run([sys.executable, "-c", IMPORTS, *BIG_IMPORTS], check=True, env=env, cwd=ROOT,
                         capture_output=True, text=True).stdout.split()
    steps = list(zip(out[::2], map(int, out[1::2]), strict=True))
    print("\nRSS added by importing, in turn (MB): " + ", ".join(
        f"{name} +{(kb - before) / 1024:.1f}" for (name, kb), (_, before) in zip(steps[1:], steps, strict=False)
    ) + f"; total {steps[-1][1] / 1024:.1f}")


if __name__ == "__main__":
    main()
