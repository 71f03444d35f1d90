"""Typing a long "what the caller says" on call triage (issue 12, item 17).

desk runs headless (Textual's Pilot) on a throwaway database with a small roster, as the
receptionist; a call is opened (Ctrl+N, a number, Enter) and 2,000 characters of a caller's
words are typed into the words field, one key at a time. Each key is timed from the moment it
is sent to the moment the app has handled it and everything it set off on the UI thread
(``Pilot.press``: the key, the field's Changed message, the panel's handler), as the UI
thread's CPU time: Pilot's own waits for idleness sleep, and the machine is shared, so wall
time would measure those. The classification in its worker thread is not counted, except as
it slows the UI thread down (the GIL).

Every ``--burst`` keys the typist pauses (``--pause`` s, not timed): long enough for the
debounced classification to start in its thread, so the keys after the pause are typed while
it runs, as a real typist's are.

The floor: a bare Textual ``Input`` in a bare app, typed the same way in the same run.

``--lookup-db``: the caller's number field instead, on a database of bench/lookup.py (1M
leads: ``bench/lookup.py --leads 1000000 --db /tmp/desk-lookup-1m.db`` builds it): for eight
of its leads the number digit by digit, then the pinyin initials, the full pinyin and the
Chinese name, each cleared with Ctrl+U; every lookup the keys set off is timed in its thread
too (wall time), beside the UI thread's per key.

    python bench/typing_keys.py [--chars 2000] [--burst 25] [--pause 0.15] [--profile N]
    python bench/typing_keys.py --lookup-db /tmp/desk-lookup-1m.db
"""

from __future__ import annotations

import os
import sys

# Run as a script, this file's folder is first on sys.path, and bench/queue.py would hide the
# standard library's ``queue`` (Textual's driver uses it).
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE] + [os.path.dirname(_HERE)]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import cProfile  # noqa: E402
import pstats  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)
WORDS = ("喂您好 我想问一下你们的Java周末班学费多少 我儿子今年高三毕业 "
         "hello is this the training center, how much is the Python evening class? ")


def text(n: int) -> str:
    return (WORDS * (n // len(WORDS) + 1))[:n]


async def type_into(pilot, keys, burst: int, pause: float, profile=None) -> list[float]:
    """The UI thread's CPU time for each key (``time.thread_time``): the work the key cost
    the thread that paints, without the Pilot's waits for idleness (sleeps) or other
    processes on a shared machine."""
    import gc

    gc.collect()
    gc.freeze()  # as a desk session does a second after start (DeskApp.freeze_gc), both sides
    times = []
    if profile is not None:  # --profile: the UI thread's calls (cProfile sees only this thread)
        profile.enable()
    for i, ch in enumerate(keys, start=1):
        start = time.thread_time()
        await pilot.press(ch)
        times.append(time.thread_time() - start)
        if burst and i % burst == 0:
            await asyncio.sleep(pause)
    if profile is not None:
        profile.disable()
    return times


def wait_alone(pilot):
    """Pilot's own wait, with no key (one message to every widget): counted in every key."""

    async def measure() -> float:
        overhead = []
        for _ in range(50):
            start = time.thread_time()
            await pilot._wait_for_screen()
            overhead.append(time.thread_time() - start)
        return statistics.median(overhead)

    return measure()


async def desk_times(folder: Path, chars: str, burst: int, pause: float, profile=None) -> tuple[list[float], str, float]:
    os.environ["DESK_HOME"] = str(folder / "home")
    from desk.app import DeskApp
    from desk.config import load
    from desk.dal import Store
    from desk.dal import staff as staff_dal
    from desk.db import open_database
    from desk.i18n import set_language

    set_language("zh_CN")
    store = Store(open_database(folder / "bench.db"), tz=SHANGHAI, clock=lambda: NOW)
    for i, name in enumerate(("李娜", "王芳", "赵强", "刘洋", "陈晨")):
        person = staff_dal.add_staff(store, name=name, role="consultant", extension=str(801 + i))
        staff_dal.set_state(store, person.id, "free")
    staff_dal.add_staff(store, name="何雪", role="head_teacher", extension="841")
    desk = staff_dal.add_staff(store, name="陈静", role="receptionist", extension="800")
    app = DeskApp(store, load(None), database="bench.db", user_id=desk.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("ctrl+n", *"13812345678", "enter")
        await pilot.pause(0.3)
        assert app.focused.id == "words", app.focused
        times = await type_into(pilot, chars, burst, pause, profile)
        await pilot.pause(0.5)  # the last classification, after typing stops
        panel = app.screen.current
        assert panel.draft.words == chars, (panel.draft.words[-80:], chars[-80:])
        assert panel.suggested_for == chars, "the classification did not follow the words"
        suggested = panel.suggestion.call_type.value
        overhead = await wait_alone(pilot)
    return times, suggested, overhead


def number_keys(db: Path) -> tuple[list[str], int]:
    """What a receptionist types into the number field for eight of the leads; the count of leads."""
    import sqlite3

    conn = sqlite3.connect(db)
    leads = conn.execute("SELECT max(id) FROM lead").fetchone()[0]
    keys: list[str] = []
    for lead_id in (4242, 77777, leads // 8, leads // 4, leads // 3, leads // 2, leads * 3 // 4, leads - 7):
        digits, initials, full, name = conn.execute(
            "SELECT phone_digits, name_initials, name_pinyin, name FROM lead WHERE id = ?", (lead_id,)).fetchone()
        for typed in (digits, initials, full, name):
            keys += [*typed, "ctrl+u"]
    conn.close()
    return keys, leads


async def number_times(folder: Path, db: Path, keys: list[str], burst: int, pause: float,
                       profile=None) -> tuple[list[float], list[float], float]:
    """The UI thread per key in the number field, and each lookup's wall time in its thread."""
    os.environ["DESK_HOME"] = str(folder / "home")
    from desk.app import DeskApp
    from desk.config import load
    from desk.dal import Store
    from desk.dal import lookup as lookup_dal
    from desk.db import open_database
    from desk.i18n import set_language

    real, lookups = lookup_dal.lookup, []

    def timed(store, query, limit=8):
        start = time.perf_counter()
        try:
            return real(store, query, limit)
        finally:
            lookups.append(time.perf_counter() - start)

    lookup_dal.lookup = timed  # the triage screen calls it through the module, in its thread
    set_language("zh_CN")
    store = Store(open_database(db), tz=SHANGHAI, clock=lambda: NOW)
    app = DeskApp(store, load(None), database=str(db), user_id=1)  # bench/lookup.py's one consultant
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(1.0)
        await pilot.press("ctrl+n")
        await pilot.pause(0.5)
        assert app.focused.id == "number", app.focused
        lookups.clear()
        times = await type_into(pilot, keys, burst, pause, profile)
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        overhead = await wait_alone(pilot)
    return times, lookups, overhead


async def floor_times(chars, burst: int, pause: float) -> list[float]:
    from textual.app import App
    from textual.widgets import Input

    class Bare(App):
        def compose(self):
            yield Input(id="words")

    app = Bare()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.1)
        return await type_into(pilot, chars, burst, pause)


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1]  # inclusive: never past the worst


def p99(times: list[float]) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[-1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f} ms"


def show_profile(profile, n: int) -> None:
    stats = pstats.Stats(profile)
    stats.sort_stats("tottime").print_stats(n)
    stats.sort_stats("cumulative").print_stats(r"/desk/", n)  # desk's own calls


def per_key(label: str, times: list[float], floor: list[float]) -> None:
    print(f"worst key: desk #{times.index(max(times)) + 1}, floor #{floor.index(max(floor)) + 1}")
    print(f"desk {label:<13} worst {ms(max(times))}   p99 {ms(p99(times))}   p95 {ms(p95(times))}   median {ms(statistics.median(times))}")
    print(f"floor (bare Input) worst {ms(max(floor))}   p99 {ms(p99(floor))}   p95 {ms(p95(floor))}   median {ms(statistics.median(floor))}")
    print(f"ratio              worst {max(times) / max(floor):5.1f}x    p99 {p99(times) / p99(floor):5.1f}x    p95 {p95(times) / p95(floor):5.1f}x")


def numbers(args) -> None:
    keys, leads = number_keys(Path(args.lookup_db))
    profile = cProfile.Profile() if args.profile else None
    with tempfile.TemporaryDirectory() as tmp:
        times, lookups, overhead = asyncio.run(number_times(Path(tmp), Path(args.lookup_db), keys, args.burst, args.pause, profile))
    if profile is not None:
        show_profile(profile, args.profile)
    floor = asyncio.run(floor_times(keys, args.burst, args.pause))
    print(f"typed {len(keys)} keys into the number field at {leads:,} leads (numbers, initials, pinyin, names, "
          f"Ctrl+U), a pause of {args.pause} s every {args.burst} keys")
    print(f"lookups run: {len(lookups)} for {len(keys)} keys; in their thread (wall): median {ms(statistics.median(lookups))}"
          f"   p95 {ms(p95(lookups))}   max {ms(max(lookups))}")
    per_key("number field", times, floor)
    print(f"Pilot's wait alone on the triage screen (no key, counted in every desk key): {ms(overhead)} median")
    print(f"budget 16 ms per key on the UI thread (p99, issue 16): {'OK' if p99(times) <= 0.016 else 'OVER'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=2000)
    parser.add_argument("--burst", type=int, default=25)
    parser.add_argument("--pause", type=float, default=0.15)
    parser.add_argument("--lookup-db", help="type into the number field on this database of bench/lookup.py")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="print the N costliest functions of desk's UI thread while typing (cProfile)")
    args = parser.parse_args()
    if args.lookup_db:
        numbers(args)
        return
    chars = text(args.chars)
    profile = cProfile.Profile() if args.profile else None
    with tempfile.TemporaryDirectory() as tmp:
        times, suggested, overhead = asyncio.run(desk_times(Path(tmp), chars, args.burst, args.pause, profile))
    if profile is not None:
        show_profile(profile, args.profile)
    floor = asyncio.run(floor_times(chars, args.burst, args.pause))

    from desk.rules.calls import classify

    start = time.perf_counter()
    classify(chars, staff={"李娜": "consultant"})
    once = time.perf_counter() - start

    print(f"typed {len(chars)} characters, a pause of {args.pause} s every {args.burst} keys; suggested: {suggested}")
    per_key("words field", times, floor)
    print(f"desk, median of the first 200 keys {ms(statistics.median(times[:200]))}, of the last 200 {ms(statistics.median(times[-200:]))}")
    print(f"floor, median of the first 200 keys {ms(statistics.median(floor[:200]))}, of the last 200 {ms(statistics.median(floor[-200:]))}")
    print(f"Pilot's wait alone on the triage screen (no key, counted in every desk key): {ms(overhead)} median")
    print(f"classify of the whole text once: {ms(once)} (what every key paid before the debounce)")
    print(f"budget 16 ms per key (p99, issue 16): {'OK' if p99(times) <= 0.016 else 'OVER'}")


if __name__ == "__main__":
    main()
