"""Shared by bench/timeline.py and bench/queue.py (issue 5): the database of a busy center and
a clock from a key press to the frame that shows the data.

The database: 10,000 leads, 20,000 open follow-ups spread over a month either side of now,
and one lead ("李雷") with 500 events of every kind (calls, visits, notes, follow-ups opened
and done, trial classes, enrollments, payments and refunds) whose follow-up is the most
overdue, so it is the first row of the manager's queue.

The app: desk's own, as the manager, plus two floor keys (F10 a bare screen, F11 a bare
DataTable given the rows desk showed).

The clock: the app's ``_display`` (where the compositor hands a frame to the driver) is
wrapped; a key is sent through the driver as a terminal would, and the time is taken at the
first frame for which ``ready()`` holds. The headless driver does not write frames, so the
wrapper turns each one into terminal text itself: the cost a real terminal session pays.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)
# Events of the timeline lead, by kind; follow-ups count twice when done (opened + done).
MIX = {"call": 160, "visit": 60, "note": 130, "follow_up": 50, "trial": 20, "enrollment": 3, "payment": 52}


def build(folder: Path, open_count: int = 20000, events: int = 500):
    """A migrated database in ``folder``; returns (store, manager id, consultant id, lead id)."""
    os.environ["DESK_HOME"] = str(folder / "home")
    from desk.dal import Store
    from desk.dal import staff as staff_dal
    from desk.db import open_database
    from desk.models import Call, ConsultNote, Enrollment, FollowUp, Lead, Payment, Trial, Visit
    from desk.models.call import CALL_TYPES, OUTCOMES
    from desk.models.followup import FOLLOW_UP_KINDS, RESULTS
    from desk.models.visit import VISITOR_TYPES

    store = Store(open_database(folder / "bench.db"), tz=SHANGHAI, clock=lambda: NOW)
    people = [staff_dal.add_staff(store, name=f"顾问{i}", role="consultant") for i in range(8)]
    manager = staff_dal.add_staff(store, name="孙经理", role="manager")
    rnd = random.Random(5)
    with store.write() as session:
        target = Lead(name="李雷", phone="+8613811112222", phone_digits="13811112222", name_pinyin="lilei",
                      name_initials="ll", owner_id=people[0].id, stage="student", first_contact_at=NOW - timedelta(days=400),
                      created_at=NOW, updated_at=NOW)
        leads = [target] + [
            Lead(name=f"学员{i}", phone=f"+86139{i:08d}", phone_digits=f"139{i:08d}", name_pinyin=f"xueyuan{i}",
                 name_initials="xy", owner_id=rnd.choice(people).id, first_contact_at=NOW, created_at=NOW, updated_at=NOW)
            for i in range(open_count // 2)
        ]
        session.add_all(leads)
        session.flush()
        session.add(FollowUp(kind="callback", owner_id=people[0].id, lead_id=target.id, due_at=NOW - timedelta(days=45),
                             created_at=NOW - timedelta(days=46), note="回电：想问周末班"))
        session.add_all(
            FollowUp(kind=rnd.choice(FOLLOW_UP_KINDS), owner_id=rnd.choice(people).id, lead_id=rnd.choice(leads[1:]).id,
                     due_at=NOW + timedelta(minutes=rnd.randint(-40000, 40000)), created_at=NOW - timedelta(days=30),
                     note=rnd.choice(("", "想了解周末班", "问学费能否分期", "家长陪同再来")))
            for _ in range(open_count - 1)
        )
        # The timeline lead: MIX scaled to ``events`` (its 50 follow-ups: the one above, 49
        # more of which 25 are done).
        scale = events / 500
        at = iter(NOW - timedelta(hours=3 * j, minutes=rnd.randint(0, 170)) for j in range(10 * events))
        staff = lambda: rnd.choice(people).id  # noqa: E731
        for _ in range(round(MIX["call"] * scale)):
            session.add(Call(started_at=next(at), call_type=rnd.choice(CALL_TYPES), outcome=rnd.choice(OUTCOMES),
                             lead_id=target.id, to_staff_id=staff(), words=rnd.choice(("问周末班的学费", "想找王老师", "again"))))
        for _ in range(round(MIX["visit"] * scale)):
            session.add(Visit(arrived_at=next(at), visitor_type=rnd.choice(VISITOR_TYPES), lead_id=target.id, received_by_id=staff()))
        for _ in range(round(MIX["note"] * scale)):
            session.add(ConsultNote(lead_id=target.id, staff_id=staff(), kind=rnd.choice(("phone", "face_to_face")), created_at=next(at),
                                    intent=rnd.choice(("A", "B", "C")), asked="学费和上课时间", next_step="周六来试听", text="家长比较关心就业"))
        for i in range(round(MIX["follow_up"] * scale) - 1):
            opened = next(at)
            done = i % 2 == 0
            session.add(FollowUp(kind=rnd.choice(FOLLOW_UP_KINDS), owner_id=staff(), lead_id=target.id, due_at=opened + timedelta(days=2),
                                 created_at=opened, done_at=opened + timedelta(days=1) if done else None,
                                 result=rnd.choice(RESULTS) if done else None, result_note="已联系" if done else None, note="回访"))
        for _ in range(round(MIX["trial"] * scale)):
            when = next(at)
            session.add(Trial(lead_id=target.id, consultant_id=staff(), course="UI设计", booked_for=when + timedelta(days=1),
                              attended=rnd.random() < 0.5, created_at=when))
        enrollments = [Enrollment(lead_id=target.id, consultant_id=staff(), course=f"课程{k}", amount_fen=1280000, enrolled_at=next(at))
                       for k in range(round(MIX["enrollment"] * scale))]
        session.add_all(enrollments)
        session.flush()
        for k in range(round(MIX["payment"] * scale)):
            refund = k % 26 == 25
            session.add(Payment(enrollment_id=enrollments[k % len(enrollments)].id, kind="refund" if refund else "balance",
                                amount_fen=rnd.randint(100, 500000), reason="搬家" if refund else None, paid_at=next(at), staff_id=staff()))
    return store, manager.id, people[0].id, target.id


class PaintClock:
    """Times from a key sent through the driver to the first frames for which conditions hold."""

    def __init__(self, app) -> None:
        from textual._compositor import CompositorUpdate

        self.app = app
        self._waiting: list[tuple[Callable[[], bool], asyncio.Future]] = []
        self.cpu: list[float] = []
        original = app._display

        def display(screen, renderable) -> None:
            original(screen, renderable)
            if renderable is None:
                return
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)
            now = time.perf_counter(), time.process_time()
            for entry in list(self._waiting):
                ready, done = entry
                if ready():
                    done.set_result(now)
                    self._waiting.remove(entry)

        app._display = display

    async def key(self, key: str, *ready: Callable[[], bool], timeout: float = 30.0) -> list[float]:
        """Press ``key``; for each condition, milliseconds until the first frame painted
        while it holds. ``cpu`` is then this process's CPU time to the same frames: on a busy
        machine, wall time also counts the other processes' turns."""
        from textual import events

        loop = asyncio.get_running_loop()
        self._waiting = [(condition, loop.create_future()) for condition in ready]
        futures = [done for _, done in self._waiting]
        start, cpu = time.perf_counter(), time.process_time()
        self.app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
        painted = await asyncio.wait_for(asyncio.gather(*futures), timeout)
        self.cpu = [(at_cpu - cpu) * 1000 for _, at_cpu in painted]
        return [(at - start) * 1000 for at, _ in painted]

    async def settle(self) -> None:
        """Let timers, idle handlers and pending refreshes run out before the next press."""
        from textual._wait import wait_for_idle

        await asyncio.sleep(0.05)
        await wait_for_idle(0.05)


def table_ready(app, screen_type: type, table_id: str) -> Callable[[], bool]:
    """The current screen is a ``screen_type`` whose table shows fresh rows, all of them in
    and laid out (the scrollable height covers them). Fresh: not a table state that any
    ``screen_type`` screen had when this was called (a new table, or the old one refilled)."""
    before = {_state(screen, table_id) for stack in app._screen_stacks.values() for screen in stack
              if isinstance(screen, screen_type)}

    def ready() -> bool:
        screen = app.screen
        if not isinstance(screen, screen_type) or not screen.is_mounted:
            return False
        table = screen.query_one(table_id)
        if table.row_count == 0 or _state(screen, table_id) in before:
            return False
        return not table._require_update_dimensions and table.virtual_size.height > table.row_count

    return ready


def _state(screen, table_id: str):
    if not screen.is_mounted:
        return None
    table = screen.query_one(table_id)
    # A screen shown again re-reads its rows and changes only those that differ
    # (DeskScreen.reload, DeskTable.sync): a read counts as fresh rows though none changed.
    return id(table), table._update_count, getattr(screen, "_reads", 0)


def make_app(store, user_id: int):
    """DeskApp plus two floor keys: F10 a bare screen, F11 a bare DataTable screen."""
    from textual.binding import Binding
    from textual.screen import Screen
    from textual.widgets import DataTable, Static

    from desk.app import DeskApp
    from desk.config import load

    class BareScreen(Screen):
        BINDINGS = [Binding("escape", "app.pop_screen", "back")]

        def compose(self):
            yield Static("bare")

    class BareTableScreen(Screen):
        """A DataTable given ``rows`` (set by the benchmark: the rows desk showed) at once."""

        BINDINGS = [Binding("escape", "app.pop_screen", "back")]
        rows: list[tuple] = []

        def compose(self):
            yield DataTable(id="bare-table", cursor_type="row", zebra_stripes=True)

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns(*(f"column {i}" for i in range(len(self.rows[0]))))
            table.add_rows(self.rows)
            table.focus()

    class BenchApp(DeskApp):
        CSS_PATH = str(Path(sys.modules[DeskApp.__module__].__file__).with_name(DeskApp.CSS_PATH))
        BINDINGS = [Binding("f10", "bare", "bare"), Binding("f11", "bare_table", "bare table")]

        def action_bare(self) -> None:
            self.push_screen(BareScreen())

        def action_bare_table(self) -> None:
            self.push_screen(BareTableScreen())

    return BenchApp(store, load(None), database="bench.db", user_id=user_id), BareScreen, BareTableScreen


def ms(fn: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(label: str, times: list[float], floor: float | None = None) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    text = f"{label:<44} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms"
    if floor:
        text += f"   x{statistics.median(times) / floor:5.1f}"
    return text
