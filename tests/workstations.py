"""Other workstations, as real processes: what tests/integration/test_shared_record.py runs beside itself.

Each function runs in a process of its own (multiprocessing's spawn: a fresh interpreter,
its own engine, nothing inherited from the test), waits at a barrier so that all of them act
at the same moment, and sends what happened back through a queue.
"""

from __future__ import annotations

import os
import traceback
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")


def engine_for(database: str):
    """``database`` is a SQLite file's path or a PostgreSQL URL, opened as desk opens it."""
    from desk.db import open_database

    if "://" in database:
        os.environ["DESK_DATABASE_URL"] = database
        return open_database()
    return open_database(database)


def store_for(database: str, actor_id: int | None = None):
    from desk.dal.store import Store

    return Store(engine_for(database), actor_id=actor_id, tz=TZ)


def shown_pick(store) -> int | None:
    """The consultant the triage panel offers first for a phone inquiry: the rotation's pick."""
    from desk.dal.rotation import pool_inputs
    from desk.rules.rotation import pick_consultant

    data = pool_inputs(store, "phone")
    name = pick_consultant(order=data.order, available=data.available, counts=data.counts, last=data.last)
    return data.ids[name] if name else None


def _run(results, name, work) -> None:
    try:
        results.put((name, "ok", work()))
    except Exception as err:  # sent back whole: the test says what it expected
        results.put((name, type(err).__name__, f"{err}\n{traceback.format_exc()}"))


def take_call(database: str, actor_id: int, number: str, barrier, results) -> None:
    """A receptionist takes a first inquiry and presses Enter on the pick the panel showed;
    if saving says the pick changed, she presses Enter on the new one (as the screen offers)."""
    from desk.dal import calls

    store = store_for(database, actor_id)

    def work():
        pick = shown_pick(store)  # the action panel opens...
        barrier.wait()  # ...and every desk presses Enter at once
        changes = 0
        while True:
            draft = calls.CallDraft(
                started_at=datetime.now(UTC), number=number, caller_number=number,
                words="想了解一下课程", call_type="first_inquiry", target_id=pick, pick_id=pick, take_message=pick is None,
            )
            try:
                call = calls.record_call(store, draft)
            except calls.PickChanged:
                changes += 1
                pick = shown_pick(store)
                continue
            return {"call": call.id, "to": call.to_staff_id, "changes": changes}

    _run(results, number, work)


def finish_follow_up(database: str, actor_id: int, follow_up_id: int, note: str, barrier, results) -> None:
    from desk.dal import followups

    store = store_for(database, actor_id)

    def work():
        barrier.wait()
        followups.complete(store, follow_up_id, "reached", note=note)
        return note

    _run(results, note, work)


def new_contact(database: str, actor_id: int, how: str, phone: str, barrier, results) -> None:
    """The same new number at the same moment: a call on one desk, a walk-in on another."""
    from desk.dal import calls, visits

    store = store_for(database, actor_id)

    def work():
        barrier.wait()
        if how == "call":
            draft = calls.CallDraft(
                started_at=datetime.now(UTC), caller_number=phone, words="咨询", call_type="first_inquiry",
                take_message=True, caller_name="新同学", best_time="下午",
            )
            return calls.record_call(store, draft).lead_id
        return visits.register(store, visits.VisitInput("consult_walk_in", name="新同学", phone=phone)).visit.lead_id

    _run(results, how, work)


def open_center(database: str, barrier, results) -> None:
    """A workstation starting up: open (create or upgrade) the database."""

    from desk.db import current_revision

    def work():
        barrier.wait()
        return current_revision(engine_for(database))

    _run(results, f"open {os.getpid()}", work)
