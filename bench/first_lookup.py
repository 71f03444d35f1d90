"""The first caller lookup after desk starts: cold, and after the start-up warm-up.

    .venv/bin/python bench/first_lookup.py [--rounds 5]

Each round is a fresh Python process (as a fresh desk is) on a small demo database: it
imports what desk has imported by the time the triage screen is up and the store is open,
then times the first ``lookup`` of a typed name ("zw") and a second one. "warm" runs
desk.dal.lookup.warm_up (what DeskApp starts in a thread after the first paint) before,
and reports the first lookup once the warm-up has finished.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = r"""
import sys, time
from zoneinfo import ZoneInfo
from desk.dal import Store
from desk.db import open_database
import desk.app, desk.screens.triage  # what is imported when the triage screen is up
store = Store(open_database(sys.argv[1]), tz=ZoneInfo("Asia/Shanghai"))
with store.read() as session:
    pass
if sys.argv[2] == "warm":
    from desk.dal.lookup import warm_up
    warm_up(store)
from desk.dal.lookup import lookup
t0 = time.perf_counter(); lookup(store, "zw"); t1 = time.perf_counter(); lookup(store, "wf"); t2 = time.perf_counter()
print(f"{(t1 - t0) * 1000:.1f} {(t2 - t1) * 1000:.1f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "desk.db"
        subprocess.run([sys.executable, "-m", "desk", "--db", str(db), "demo", "--seed", "7"], check=True,
                       capture_output=True, cwd=ROOT)
        for mode in ("cold", "warm"):
            firsts, seconds = [], []
            for _ in range(args.rounds):
                out = subprocess.run([sys.executable, "-c", CHILD, str(db), mode], check=True, capture_output=True,
                                     text=True, cwd=ROOT).stdout.split()
                firsts.append(float(out[0]))
                seconds.append(float(out[1]))
            print(f"{mode}: first lookup median {statistics.median(firsts):7.1f} ms  max {max(firsts):7.1f} ms"
                  f"   second lookup median {statistics.median(seconds):5.1f} ms")


if __name__ == "__main__":
    main()
