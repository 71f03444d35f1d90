"""The follow-up queue (回访, docs/domain.md §7.4): creating, listing, finishing and rescheduling.

Due times come from ``desk.rules.followups.due_at`` with the center's working calendar. The
queue is one index scan ordered by due time: overdue < later today < upcoming, so "overdue
first, then due today, then upcoming" is simply ascending ``due_at``. A follow-up is done
only with a result; rescheduling closes it as ``rescheduled`` and opens its successor, so the
lead's timeline keeps both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, func, or_, select

from desk.dal.store import Store, existing
from desk.errors import DeskError, FieldError
from desk.models import ConsultNote, FollowUp, Lead, Staff, Visit
from desk.models.followup import FOLLOW_UP_KINDS, RESULTS

# Follow-up kinds whose "reached" counts as an invitation call towards the daily target.
INVITATION_KINDS = ("callback", "promised_visit", "unpaid_after_consult", "lecture_follow_up")
# How far back the promised-visit sweep looks (older promises were swept when they fell due).
SWEEP_WINDOW_DAYS = 60


def calendar(config=None):
    """The center's working calendar for the due-time rules (config [hours])."""
    from desk.rules.followups import BusinessCalendar

    if config is None:
        from desk.config import load

        config = load(None)
    return BusinessCalendar(
        open=config.hours.open,
        close=config.hours.close,
        weekdays=frozenset(d - 1 for d in config.hours.working_days),
        holidays=config.hours.holidays,
    )


def due(store: Store, kind: str, at: datetime | None = None, *, on: date | None = None, config=None) -> datetime:
    from desk.rules.followups import due_at

    return due_at(kind, store.local(at or store.now()), calendar(config), on=on)


def create(session: Session, store: Store, kind: str, owner_id: int | None, due_at: datetime, **values) -> FollowUp:
    """Add an open follow-up inside a write transaction (with its audit row)."""
    if kind not in FOLLOW_UP_KINDS:
        raise DeskError(f"unknown follow-up kind {kind!r}")
    row = FollowUp(kind=kind, owner_id=owner_id, due_at=due_at, created_at=store.now(), **values)
    session.add(row)
    store.audit(session, "create", row)
    return row


def close_open(session: Session, store: Store, *, result: str, note: str | None = None, **where) -> int:
    """Finish every open follow-up matching ``where`` (kind=, lead_id=, call_id= ...)."""
    query = select(FollowUp).where(col(FollowUp.done_at).is_(None))
    for key, value in where.items():
        query = query.where(getattr(FollowUp, key) == value)
    rows = session.exec(query).all()
    for row in rows:
        _finish(session, store, row, result, note)
    return len(rows)


def _finish(session: Session, store: Store, row: FollowUp, result: str, note: str | None) -> None:
    row.done_at = store.now()
    row.result = result
    row.result_note = note
    session.add(row)
    store.audit(session, "done", row, {"result": [None, result], "result_note": [None, note]})


# ----- the automatic promised_visit follow-ups ---------------------------------------------------
def sweep(store: Store, config=None) -> int:
    """A promised visit date that passed without a visit becomes a ``promised_visit``
    follow-up, due the first working day after the date. Idempotent: run it as often as
    you like (queue open, app start, a timer). Returns how many it created.

    One INSERT ... SELECT ... WHERE NOT EXISTS does it (then one read and one insert for the
    audit rows of what it created, when it created any): a statement per promise, the way it
    was, took 236 statements and 62 ms on a center's month of promises, on the UI thread.
    A promise (the newest note of a lead promising a day in the window) gets its follow-up
    unless the lead visited after the note, a ``promised_visit`` follow-up of the lead already
    covers it (due after the promised day, or tagged with this note), or a newer note of the
    lead promises the same or a later day that has passed: that one's follow-up covers this.
    """
    from desk.rules.followups import due_at

    today = store.today()
    days = [today - timedelta(days=n) for n in range(SWEEP_WINDOW_DAYS, 0, -1)]
    cal = calendar(config)
    now = store.now()
    note = sa.orm.aliased(ConsultNote)
    newer = sa.orm.aliased(ConsultNote)
    promised = col(note.promised_visit_on)
    # The due time and the end of each promised day, worked out here (the working calendar is
    # Python) for the window's days and handed to the database as CASEs over the day.
    instant = FollowUp.__table__.c.due_at.type  # type: ignore[attr-defined]  # stored as desk stores times
    due = sa.case({day: sa.literal(due_at("promised_visit", now, cal, on=day), instant) for day in days}, value=promised)
    day_end = sa.case({day: sa.literal(store.day_bounds(day)[1], instant) for day in days}, value=promised)
    tag = sa.cast(promised, sa.String) + " #" + sa.cast(col(note.id), sa.String)
    candidates = (
        sa.select(
            sa.literal("promised_visit"), func.coalesce(col(Lead.owner_id), col(note.staff_id)), col(note.lead_id),
            due, tag, sa.literal(now, instant),
        )
        .select_from(note)
        .join(Lead, col(Lead.id) == col(note.lead_id), isouter=True)
        .where(
            promised >= days[0], promised < today,
            ~sa.exists().where(
                col(newer.lead_id) == col(note.lead_id), col(newer.promised_visit_on) >= promised, col(newer.promised_visit_on) < today,
                or_(col(newer.created_at) > col(note.created_at), sa.and_(col(newer.created_at) == col(note.created_at), col(newer.id) > col(note.id))),
            ),
            ~sa.exists().where(col(Visit.lead_id) == col(note.lead_id), col(Visit.arrived_at) >= col(note.created_at)),
            ~sa.exists().where(
                col(FollowUp.kind) == "promised_visit", col(FollowUp.lead_id) == col(note.lead_id),
                or_(col(FollowUp.due_at) >= day_end, col(FollowUp.note) == tag),
            ),
        )
    )
    columns = ["kind", "owner_id", "lead_id", "due_at", "note", "created_at"]
    with store.write() as session:
        ids = session.execute(sa.insert(FollowUp).from_select(columns, candidates).returning(col(FollowUp.id))).scalars().all()
        if ids:
            rows = session.exec(select(FollowUp).where(col(FollowUp.id).in_(ids))).all()
            _audit_created(session, store, list(rows))
    return len(ids)


def _audit_created(session: Session, store: Store, rows: list[FollowUp]) -> None:
    """The "create" audit rows of follow-ups inserted in bulk, as :meth:`Store.audit` writes
    them one by one, in one executemany; the write chains them as it ends."""
    import json

    from desk.models import AuditEntry

    session.info.setdefault("desk_tables", set()).add(FollowUp.__tablename__)
    session.execute(
        sa.insert(AuditEntry),
        [
            {"at": store.now(), "actor_id": store.actor_id, "action": "create", "table_name": FollowUp.__tablename__,
             "row_id": row.id, "changes": json.dumps(row.model_dump(), default=str, ensure_ascii=False), "reason": None}
            for row in rows
        ],
    )


# ----- the queue --------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueueItem:
    id: int
    kind: str
    bucket: str  # overdue / today / upcoming
    due_at: datetime
    late_minutes: int  # > 0 when overdue
    owner_id: int | None
    owner: str | None
    lead_id: int | None
    lead_name: str | None
    phone: str | None
    note: str | None


@dataclass(frozen=True)
class Queue:
    items: list[QueueItem]
    overdue: int
    today: int
    upcoming: int


def queue(
    store: Store,
    *,
    owner_id: int | None = None,
    kind: str | None = None,
    search: str = "",
    limit: int = 500,
) -> Queue:
    """Open follow-ups, overdue first (most late first), then today, then upcoming.

    ``owner_id`` None: everyone's (the manager's view). ``search`` matches the lead's name,
    pinyin, phone digits or the follow-up's note."""
    now = store.now()
    _, end_of_today = store.day_bounds(store.today())
    with store.read() as session:
        # The page's ids first (the open rows by the done_at index, sorted, cut to the
        # limit), then only those rows joined to their lead and owner: joining all 20,000 open
        # rows before sorting them took 18 ms. Plain columns, no ORM objects: those were most
        # of the rest.
        page = select(col(FollowUp.id)).where(col(FollowUp.done_at).is_(None))
        count = select(func.count()).select_from(FollowUp).where(col(FollowUp.done_at).is_(None))
        conditions = []
        if owner_id is not None:
            conditions.append(col(FollowUp.owner_id) == owner_id)
        if kind:
            conditions.append(col(FollowUp.kind) == kind)
        text = search.strip()
        if text:
            like = f"%{text}%"
            # ilike: SQLite's LIKE ignores the case of ASCII letters, PostgreSQL's does not.
            conditions.append(
                or_(
                    col(Lead.name).ilike(like), col(Lead.name_pinyin).like(f"%{text.lower()}%"),
                    col(Lead.name_initials).like(f"{text.lower()}%"), col(Lead.phone_digits).like(like), col(FollowUp.note).ilike(like),
                )
            )
            page = page.join(Lead, col(Lead.id) == col(FollowUp.lead_id), isouter=True)
            count = count.join(Lead, col(Lead.id) == col(FollowUp.lead_id), isouter=True)
        for condition in conditions:
            page = page.where(condition)
            count = count.where(condition)
        ids = page.order_by(col(FollowUp.due_at), col(FollowUp.id)).limit(limit).subquery()
        rows = session.execute(  # SQLAlchemy's select: SQLModel's is typed for four columns at most
            sa.select(col(FollowUp.id), col(FollowUp.kind), col(FollowUp.due_at), col(FollowUp.owner_id), col(Staff.name), col(FollowUp.lead_id), col(Lead.name),
                   col(Lead.phone), col(FollowUp.note))
            .join(ids, ids.c.id == col(FollowUp.id))
            .join(Lead, col(Lead.id) == col(FollowUp.lead_id), isouter=True)
            .join(Staff, col(Staff.id) == col(FollowUp.owner_id), isouter=True)
            .order_by(col(FollowUp.due_at), col(FollowUp.id))
        ).all()
        overdue = session.exec(count.where(col(FollowUp.due_at) < now)).one()
        today = session.exec(count.where(col(FollowUp.due_at) >= now, col(FollowUp.due_at) < end_of_today)).one()
        upcoming = session.exec(count.where(col(FollowUp.due_at) >= end_of_today)).one()
    items = []
    for id_, kind_, due_at, owner_, owner_name, lead_id, lead_name, phone, note in rows:
        bucket = "overdue" if due_at < now else ("today" if due_at < end_of_today else "upcoming")
        late = int((now - due_at).total_seconds() // 60) if bucket == "overdue" else 0
        items.append(QueueItem(id_, kind_, bucket, due_at, late, owner_, owner_name, lead_id, lead_name, phone, note))
    return Queue(items, overdue, today, upcoming)


def get(store: Store, follow_up_id: int) -> FollowUp | None:
    with store.read() as session:
        return session.get(FollowUp, follow_up_id)


# ----- finishing ----------------------------------------------------------------------------------
def complete(
    store: Store,
    follow_up_id: int,
    result: str,
    *,
    note: str | None = None,
    reschedule_to: datetime | None = None,
) -> FollowUp | None:
    """Finish a follow-up with a result. ``rescheduled`` needs a later time (returns the new
    follow-up); ``closed`` needs a reason. Raises :class:`FieldError` on bad input."""
    if result not in RESULTS:
        raise FieldError("result", "followups.err_result")
    note = (note or "").strip() or None
    if result == "closed" and not note:
        raise FieldError("note", "followups.err_reason")
    if result == "rescheduled":
        if reschedule_to is None:
            raise FieldError("when", "followups.err_when")
        if reschedule_to <= store.now():
            raise FieldError("when", "followups.err_past")
    with store.write() as session:
        row = existing(session, FollowUp, follow_up_id)
        if row.done_at is not None:
            raise _already_done(session, store, row)
        if result == "rescheduled":
            assert reschedule_to is not None  # checked above
            text = store.local(reschedule_to).strftime("%Y-%m-%d %H:%M")
            _finish(session, store, row, result, f"{text} {note}".strip() if note else text)
            return create(
                session, store, row.kind, row.owner_id, reschedule_to, lead_id=row.lead_id, call_id=row.call_id,
                visit_id=row.visit_id, enrollment_id=row.enrollment_id, note=row.note,
            )
        _finish(session, store, row, result, note)
        return None


def _already_done(session: Session, store: Store, row: FollowUp) -> FieldError:
    """Someone finished it first (on another workstation): say who, when and with what, so
    the person who came second sees both results; theirs is not written over the first."""
    from desk.models import AuditEntry

    actor_id = session.exec(
        select(col(AuditEntry.actor_id))
        .where(col(AuditEntry.table_name) == "follow_up", col(AuditEntry.row_id) == row.id, col(AuditEntry.action) == "done")
        .order_by(col(AuditEntry.id).desc())
        .limit(1)
    ).first()
    actor = session.get(Staff, actor_id) if actor_id is not None else None
    assert row.done_at is not None  # called for a finished follow-up
    return FieldError(
        "result", "followups.err_done_by", name=actor.name if actor else "?",
        at=store.local(row.done_at).strftime("%H:%M"), result=row.result or "", note=row.result_note or "",
    )


def reschedule(store: Store, follow_up_id: int, when: datetime, note: str | None = None) -> FollowUp:
    return complete(store, follow_up_id, "rescheduled", note=note, reschedule_to=when)  # type: ignore[return-value]


# ----- a consultant's day at a glance --------------------------------------------------------------
@dataclass(frozen=True)
class DayCounts:
    done_today: int
    reached_today: int
    invitations_today: int
    invitation_min: int
    invitation_max: int
    overdue: int
    due_today: int
    # Outdoor promotion today (docs/domain.md §7.5): per activity run, new contacts at each street
    # promotion and forms at each other event, with the two targets (the owner's own).
    street_contacts: tuple[int, ...]
    street_target: int
    event_forms: tuple[int, ...]
    event_target: int


def day_counts(store: Store, owner_id: int | None, config=None) -> DayCounts:
    """Today's done follow-ups, invitation calls and outdoor promotion against the daily
    targets: ``owner_id``'s own (``[targets.staff]``, else ``[targets]``); everyone: the center's."""
    from desk.dal import targets as targets_dal

    if config is None:
        from desk.config import load

        config = load(None)
    start, end = store.day_bounds(store.today())
    now = store.now()
    with store.read() as session:
        def n(*conditions) -> int:
            query = select(func.count()).select_from(FollowUp).where(*conditions)
            if owner_id is not None:
                query = query.where(col(FollowUp.owner_id) == owner_id)
            return session.exec(query).one()

        done = n(col(FollowUp.done_at) >= start, col(FollowUp.done_at) < end)
        reached = n(col(FollowUp.done_at) >= start, col(FollowUp.done_at) < end, col(FollowUp.result) == "reached")
        invitations = n(
            col(FollowUp.done_at) >= start, col(FollowUp.done_at) < end, col(FollowUp.result).in_(("reached", "not_reached", "rescheduled")),
            col(FollowUp.kind).in_(INVITATION_KINDS),
        )
        overdue = n(col(FollowUp.done_at).is_(None), col(FollowUp.due_at) < now)
        due_today = n(col(FollowUp.done_at).is_(None), col(FollowUp.due_at) >= now, col(FollowUp.due_at) < end)
        targets = targets_dal.of_id(session, config, owner_id)
    from desk.dal.outreach import day_tally

    outdoor = day_tally(store, owner_id, config=config)
    return DayCounts(
        done, reached, invitations, targets.invitation_calls_min, targets.invitation_calls_max, overdue, due_today,
        outdoor.street_contacts, outdoor.street_target, outdoor.event_forms, outdoor.event_target,
    )
