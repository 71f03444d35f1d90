"""Caller lookup on a center with 100,000 leads: desk's lookup vs the raw indexed query.

    .venv/bin/python bench/lookup.py [--leads 100000] [--db /tmp/desk-lookup.db]

Builds (once) a throwaway SQLite file with realistic Chinese names, E.164 mobiles and their
search keys, plus calls and open follow-ups for the leads. Then replays what a receptionist
types, one keypress at a time (digits of a number, pinyin initials, full pinyin, a Chinese
name, a typo), and times ``desk.dal.lookup.lookup`` per keypress (the query, the owner / last
contact / follow-up details of the hits, the staff match), beside the bare indexed SQL
statement for the same keypress on the same connection in the same run.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红梅鑫波斌宇浩凯健俊帆帅旭宁欣瑶雪琳晨婷雨佳倩颖露璐博文轩子涵梓豪"


def build(path: Path, leads: int) -> None:
    from desk.db import open_database
    from desk.search_keys import name_keys

    open_database(path).dispose()
    rng = random.Random(3)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO staff (id, name, role, state, on_duty, is_new, active, created_at, rotation_position, extension)"
                 " VALUES (1, '王芳', 'consultant', 'free', 1, 0, 1, '2026-11-01 00:00:00.000000', 1, '801')")  # fmt: skip
    rows, seen = [], set()
    for i in range(leads):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        while True:
            digits = f"1{rng.choice('3456789')}{rng.randint(0, 10**9 - 1):09d}"
            if digits not in seen:
                seen.add(digits)
                break
        full, initials = name_keys(name)
        at = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d} 0{rng.randint(1, 9)}:00:00.000000"
        rows.append((i + 1, name, f"+86{digits}", digits, full, initials, 1, at, at, at))
    conn.executemany(
        "INSERT INTO lead (id, name, phone, phone_digits, name_pinyin, name_initials, owner_id, first_contact_at,"
        " created_at, updated_at, education, it_related, non_computer_only, channel, stage, has_contact,"
        " phone_contacted, brought_in_person, came_after_questionnaire, first_call_result, validity_reasons,"
        " flag_checked) VALUES (?,?,?,?,?,?,?,?,?,?,'unknown',1,0,'phone','lead',1,0,0,0,'connected','[]',0)",
        rows,
    )
    conn.executemany(
        "INSERT INTO call (started_at, caller_number, words, call_type, lead_id, register_complete)"
        " VALUES (?, ?, '', 'first_inquiry', ?, 1)",
        [(r[7], r[2], r[0]) for r in rows[::2]],
    )
    conn.executemany(
        "INSERT INTO follow_up (kind, owner_id, lead_id, due_at, created_at) VALUES ('callback', 1, ?, ?, ?)",
        [(r[0], r[7], r[7]) for r in rows[::7]],
    )
    conn.commit()
    conn.close()


RAW = {
    "digits": "SELECT id FROM lead WHERE phone_digits LIKE ? ORDER BY first_contact_at DESC LIMIT 8",
    "prefix": "SELECT id FROM lead WHERE phone_digits >= ? AND phone_digits < ? ORDER BY first_contact_at DESC LIMIT 8",
    "latin": "SELECT id FROM lead WHERE (name_initials >= ?1 AND name_initials < ?1 || char(65535)) OR"
    " (name_pinyin >= ?1 AND name_pinyin < ?1 || char(65535)) ORDER BY first_contact_at DESC LIMIT 8",
    "cjk": "SELECT id FROM lead WHERE name >= ?1 AND name < ?1 || char(65535) ORDER BY first_contact_at DESC LIMIT 8",
}


def raw_query(conn: sqlite3.Connection, text: str) -> None:
    if text.isdigit():
        if len(text) >= 7:
            conn.execute(RAW["prefix"], (text, text + "\uffff")).fetchall()
        else:
            conn.execute(RAW["digits"], (f"%{text}%",)).fetchall()
    elif text.isascii():
        conn.execute(RAW["latin"], (text,)).fetchall()
    else:
        conn.execute(RAW["cjk"], (text,)).fetchall()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--db", default="/tmp/desk-lookup.db")
    args = parser.parse_args()
    path = Path(args.db)
    if not path.exists():
        started = time.perf_counter()
        build(path, args.leads)
        print(f"built {path} with {args.leads:,} leads in {time.perf_counter() - started:.1f} s")

    from desk.dal import Store
    from desk.dal.lookup import lookup
    from desk.db import open_database

    store = Store(open_database(path))
    conn = sqlite3.connect(path)
    sample = conn.execute("SELECT name, phone_digits, name_pinyin, name_initials FROM lead WHERE id IN (4242, 77777)").fetchall()
    typed: list[str] = []
    for name, digits, full, initials in sample:
        typed += [digits[:k] for k in range(3, len(digits) + 1)]  # a number, key by key
        typed += [digits[-4:]]  # the last four digits
        typed += [initials[:k] for k in range(1, len(initials) + 1)]
        typed += [full[:k] for k in range(2, len(full) + 1)]
        typed += [name[:k] for k in range(1, len(name) + 1)]
    typed += ["zhangwie", "liuyagn"]  # typos: the fuzzy pass
    lookup(store, "warm up")
    desk_t, raw_t = [], []
    for _ in range(5):
        for text in typed:
            start = time.perf_counter()
            lookup(store, text)
            desk_t.append(time.perf_counter() - start)
            start = time.perf_counter()
            raw_query(conn, text)
            raw_t.append(time.perf_counter() - start)
    d, r = statistics.median(desk_t), statistics.median(raw_t)
    p95 = sorted(desk_t)[int(len(desk_t) * 0.95)]
    print(f"leads: {args.leads:,}  keypresses: {len(typed)} x 5")
    print(f"desk lookup per keypress: median {d * 1000:6.2f} ms  p95 {p95 * 1000:6.2f} ms  max {max(desk_t) * 1000:6.2f} ms")
    print(f"raw indexed SQL:          median {r * 1000:6.2f} ms")
    print(f"ratio: {d / r:.1f}x   budget 16 ms per keypress: {'OK' if d < 0.016 else 'OVER'}")


if __name__ == "__main__":
    main()
