"""``desk import`` against its floor, time and memory (issue 16).

    .venv/bin/python bench/import.py                    # 50,000 rows, 3 runs of each
    .venv/bin/python bench/import.py --rows 1000000 --runs 1

The list is a GB18030 csv with Chinese headers as a market department sends it (name, phone,
age, education, course, source, first-call result), its first ``--known`` phones already in
the database (merged), generated row by row so the parent holds none of it.

Desk: ``import_file`` of that list into a fresh copy of a database with three consultants and
the known leads, in a child process. The floor: a child process that reads back the lead rows
desk's import made (untimed) and inserts exactly those rows with one plain ``sqlite3``
``executemany`` and a commit into another fresh copy of the same database: the same table,
the same indexes. Runs are interleaved (desk, floor, desk, floor...). Printed per side: the
in-process time (the import call; the executemany and commit), the whole child process (start,
imports, the work), and its peak RSS (``ru_maxrss`` from ``os.wait4``); then the ratios. Budget:
desk <= 3x the floor, peak RSS < 300 MB at 1M rows. A re-run of the same file into the first
run's database (nothing new) is timed once, in its own child process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

SH = ZoneInfo("Asia/Shanghai")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志文斌宇浩然子轩梓涵欣怡佳琪"
EDUCATION = ["高中", "职高", "中专", "大专", "本科", "初中", "硕士", ""]
COURSES = ["UI设计", "Java开发", "Python数据分析", "平面设计", "会计培训", "3D建模", "电商运营", "web前端", "英语", ""]
FIRST_CALL = ["接通", "接通", "接通", "关机", "停机"]


def make_list(path: Path, rows: int, known: int, seed: int = 16) -> Path:
    """The market list, written as it is generated. Every 97th row repeats an earlier phone
    (a list's duplicates) and every 211th has a bad phone (a reject)."""
    rng = random.Random(seed)
    with path.open("w", encoding="gb18030", newline="") as fh:
        fh.write("姓名,电话,年龄,学历,意向课程,来源,首次电话\r\n")
        for i in range(rows):
            phone = f"138{i:08d}" if i < known else f"1{rng.choice('3578')}{i:09d}"
            if i % 97 == 96:
                phone = f"138{rng.randrange(known):08d}" if known else phone
            if i % 211 == 210:
                phone = phone[:6]
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
            fh.write(f"{name},{phone},{rng.randint(16, 35)},{rng.choice(EDUCATION)},{rng.choice(COURSES)},"
                     f"市场部名单,{rng.choice(FIRST_CALL)}\r\n")
    return path


def make_store(path: Path):
    from desk.dal import Store
    from desk.db import open_database

    return Store(open_database(path), tz=SH, clock=lambda: datetime(2026, 11, 26, 10, 0, tzinfo=SH))


def make_base(folder: Path, known: int) -> Path:
    """A database with three consultants and ``known`` leads (imported from a small list)."""
    from desk.dal import staff as staff_dal
    from desk.dal.imports import import_file

    base = folder / "base.db"
    store = make_store(base)
    for name in ("王芳", "赵强", "陈静"):
        staff_dal.add_staff(store, name=name, role="consultant")
    if known:
        import_file(store, make_list(folder / "known.csv", known, known), channel="market")
    store.engine.dispose()
    return base


def copy_db(base: Path, target: Path) -> Path:
    shutil.copyfile(base, target)
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    return target


# ----- children ---------------------------------------------------------------------------------


def child_desk(db: Path, source: Path) -> dict:
    from desk.dal.imports import import_file
    from desk.i18n import set_language

    set_language("en")
    store = make_store(db)
    started = time.perf_counter()
    result = import_file(store, source, channel="market")
    return {"seconds": time.perf_counter() - started, "counts": result.counts(),
            "assigned": sum(result.assigned.values())}


def child_floor(db: Path, made: Path, known_max: int) -> dict:
    """Plain sqlite3: the rows desk made, read back untimed, inserted with one executemany."""
    with sqlite3.connect(made) as source:
        cursor = source.execute("SELECT * FROM lead WHERE id > ? ORDER BY id", (known_max,))
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    sql = f"INSERT INTO lead ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(sql, rows)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return {"seconds": seconds, "rows": len(rows)}


def run_child(*args: str) -> tuple[dict, float, float]:
    """(what the child printed, its wall time in s, its peak RSS in MB)."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", *args], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        sys.exit(f"child {args[0]} failed ({status})")
    return json.loads(out), wall, usage.ru_maxrss / 1024  # Linux: kB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--known", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        out = (child_desk(Path(rest[0]), Path(rest[1])) if kind == "desk"
               else child_floor(Path(rest[0]), Path(rest[1]), int(rest[2])))
        print(json.dumps(out))
        return

    with tempfile.TemporaryDirectory(prefix="desk-bench-import-") as tmp:
        folder = Path(tmp)
        base = make_base(folder, args.known)
        with sqlite3.connect(base) as conn:
            known_max = conn.execute("SELECT coalesce(max(id), 0) FROM lead").fetchone()[0]
        source = make_list(folder / "list.csv", args.rows, args.known)
        print(f"list: {args.rows} rows, {source.stat().st_size / 1e6:.1f} MB, {args.known} phones known")
        desk_in, desk_wall, desk_rss, floor_in, floor_wall, floor_rss = [], [], [], [], [], []
        for run in range(args.runs):
            made = copy_db(base, folder / f"desk{run}.db")
            got, wall, rss = run_child("desk", str(made), str(source))
            desk_in.append(got["seconds"])
            desk_wall.append(wall)
            desk_rss.append(rss)
            if run == 0:
                print(f"desk: {got['counts']}, {got['assigned']} distributed")
            floor_db = copy_db(base, folder / "floor.db")
            fgot, fwall, frss = run_child("floor", str(floor_db), str(made), str(known_max))
            assert fgot["rows"] == got["counts"]["created"], (fgot, got)
            floor_in.append(fgot["seconds"])
            floor_wall.append(fwall)
            floor_rss.append(frss)
            print(f"run {run + 1}: desk {got['seconds']:7.2f} s in process, {wall:7.2f} s whole, {rss:6.0f} MB | "
                  f"floor {fgot['seconds']:6.2f} s executemany, {fwall:6.2f} s whole, {frss:6.0f} MB | "
                  f"ratio {got['seconds'] / fgot['seconds']:.2f} in process, {wall / fwall:.2f} whole")
            if run == 0:  # the same list again into what it made: nothing new
                again, again_wall, again_rss = run_child("desk", str(made), str(source))
                print(f"re-run: {again['seconds']:.2f} s in process, {again_wall:.2f} s whole, {again_rss:.0f} MB "
                      f"{again['counts']}")
            made.unlink()
            floor_db.unlink()
        med = statistics.median
        ratio = med(desk_in) / med(floor_in)
        print(f"median: desk {med(desk_in):.2f} s in process ({med(desk_wall):.2f} s whole), "
              f"floor {med(floor_in):.2f} s ({med(floor_wall):.2f} s whole); ratio {ratio:.2f} in process, "
              f"{med(desk_wall) / med(floor_wall):.2f} whole")
        print(f"peak RSS: desk {max(desk_rss):.0f} MB, floor {max(floor_rss):.0f} MB")
        ok = ratio <= 3 and (args.rows < 1_000_000 or max(desk_rss) < 300)
        print("budget (<= 3x executemany in process; < 300 MB at 1M rows):", "met" if ok else "MISSED")


if __name__ == "__main__":
    main()
