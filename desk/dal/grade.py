"""Consultants' levels (6 → 1): the manager's record and the level the sales ranking allows
(docs/domain.md §11.3).

desk proposes; a manager decides. :func:`record_level` stores the decision beside the
proposal of the moment, so an override stays visible in the history. The proposal ranks the
active consultants by their 3-month cumulative sales (the last three full months, §10.1:
money received within the window of their enrollments, less the refunds they made) and
asks :func:`desk.rules.pay.level_by_rank`. The query is this module's own, so the levels do
not wait on the pay module's monthly figures; both follow the same rule, ``sales_for``.

Levels are a manager's (``Action.PAY``): reading them too, as they say who is being demoted.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from desk.dal.identity import require
from desk.dal.store import Store
from desk.errors import FieldError
from desk.models import Enrollment, LevelRecord, Payment, Staff
from desk.models.grade import LEVEL_STATUSES
from desk.rules.access import Action
from desk.rules.pay import level_by_rank, sales_for

CRITERIA = ("exams_passed", "can_host_lectures", "can_train")
LEVELS = range(1, 7)
SUPERVISOR_LEVEL = 2  # §11.3: level 2 and above may become supervisor
RANK_MONTHS = 3


@dataclass(frozen=True)
class Proposal:
    """What the ranking says of one consultant: their place, their sales and the level allowed."""

    rank: int
    sales: Decimal
    level: int


@dataclass(frozen=True)
class LevelEntry:
    """One recorded decision, as the history lists it."""

    level: int
    status: str
    proposed_level: int | None
    criteria: dict[str, bool]
    note: str | None
    decided_by: str | None
    decided_at: datetime

    @property
    def overridden(self) -> bool:
        return self.proposed_level is not None and self.proposed_level != self.level


@dataclass(frozen=True)
class LevelRow:
    """An active consultant: the current record (None before the first) and today's proposal."""

    staff_id: int
    name: str
    current: LevelEntry | None
    proposal: Proposal

    @property
    def may_supervise(self) -> bool:
        return self.current is not None and self.current.level <= SUPERVISOR_LEVEL


def ranking_window(today: date) -> tuple[date, date]:
    """The last ``RANK_MONTHS`` full months before ``today``'s: [first day, first day of this month)."""
    end = today.replace(day=1)
    months = end.year * 12 + end.month - 1 - RANK_MONTHS
    return date(months // 12, months % 12 + 1, 1), end


def _proposals(session: Session, store: Store) -> dict[int, Proposal]:
    """Each active consultant's rank by 3-month sales and the level it allows. Equal sales
    share a place (the next place is skipped), so a tie never decides a level by id."""
    people = session.exec(select(col(Staff.id)).where(col(Staff.role) == "consultant", col(Staff.active).is_(True))).all()
    first, end = ranking_window(store.today())
    start = datetime.combine(first, time.min, tzinfo=store.tz)
    stop = datetime.combine(end, time.min, tzinfo=store.tz)
    rows = session.exec(
        select(Payment, Enrollment.consultant_id, Enrollment.enrolled_at)
        .join(Enrollment, col(Enrollment.id) == col(Payment.enrollment_id))
        .where(col(Payment.paid_at) >= start, col(Payment.paid_at) < stop, col(Enrollment.consultant_id).in_(people))
    ).all()
    payments: dict[int, list[dict[str, Any]]] = defaultdict(list)
    refunds: dict[int, list[Decimal]] = defaultdict(list)
    for payment, consultant, enrolled_at in rows:
        if consultant is None:  # the query keeps the consultants' enrollments only
            continue
        yuan = Decimal(payment.amount_fen) / 100
        if payment.kind == "refund":
            refunds[consultant].append(yuan)
        else:
            days = (store.local(payment.paid_at).date() - store.local(enrolled_at).date()).days
            payments[consultant].append({"amount": yuan, "days_after_enrollment": days})
    sales = {pid: sales_for(payments[pid], refunds[pid]) for pid in people if pid is not None}
    return {
        pid: Proposal(rank, amount, level_by_rank(rank, len(sales)))
        for pid, amount in sales.items()
        for rank in [1 + sum(1 for other in sales.values() if other > amount)]
    }


def _entry(record: LevelRecord, names: dict[int, str]) -> LevelEntry:
    criteria = json.loads(record.criteria or "{}")
    return LevelEntry(
        level=record.level, status=record.status, proposed_level=record.proposed_level,
        criteria={key: bool(criteria.get(key)) for key in CRITERIA}, note=record.note,
        decided_by=names.get(record.decided_by_id) if record.decided_by_id is not None else None,
        decided_at=record.decided_at,
    )


def _names(session: Session) -> dict[int, str]:
    return {pid: name for pid, name in session.exec(select(Staff.id, Staff.name)).all() if pid is not None}


def current_levels(store: Store) -> list[LevelRow]:
    """Every active consultant with their current level (the newest record) and the proposal."""
    with store.read() as session:
        require(session, store, Action.PAY)
        proposals = _proposals(session, store)
        names = _names(session)
        records = session.exec(
            select(LevelRecord).where(col(LevelRecord.staff_id).in_(list(proposals)))
            .order_by(col(LevelRecord.decided_at), col(LevelRecord.id))
        ).all()
        newest = {record.staff_id: record for record in records}
        return sorted(
            (LevelRow(pid, names[pid], _entry(newest[pid], names) if pid in newest else None, proposal)
             for pid, proposal in proposals.items()),
            key=lambda row: (row.proposal.rank, row.name),
        )


def level_history(store: Store, staff_id: int) -> list[LevelEntry]:
    """One person's recorded levels, newest first."""
    with store.read() as session:
        require(session, store, Action.PAY)
        names = _names(session)
        records = session.exec(
            select(LevelRecord).where(col(LevelRecord.staff_id) == staff_id)
            .order_by(col(LevelRecord.decided_at).desc(), col(LevelRecord.id).desc())
        ).all()
        return [_entry(record, names) for record in records]


def record_level(
    store: Store, staff_id: int, level: int, status: str = "regular",
    criteria: dict[str, bool] | None = None, note: str | None = None,
) -> LevelRecord:
    """A manager's decision on a consultant's level and status, with the level proposed now.

    ``criteria`` are the manager's judgement (``exams_passed``, ``can_host_lectures``,
    ``can_train``); a key left out is False. One transaction, audited as ``level``.
    """
    if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
        raise FieldError("level", "levels.err_level")
    if status not in LEVEL_STATUSES:
        raise FieldError("status", "levels.err_status")
    ticks = dict(criteria or {})
    if set(ticks) - set(CRITERIA):
        raise FieldError("criteria", "levels.err_criteria", known=", ".join(CRITERIA))
    with store.write() as session:
        require(session, store, Action.PAY)
        person = session.get(Staff, staff_id)
        if person is None or person.role != "consultant" or not person.active:
            raise FieldError("staff", "levels.err_not_consultant", name=person.name if person else str(staff_id))
        proposal = _proposals(session, store).get(staff_id)
        record = LevelRecord(
            staff_id=staff_id, level=level, status=status,
            proposed_level=proposal.level if proposal else None,
            criteria=json.dumps({key: bool(ticks.get(key)) for key in CRITERIA}),
            note=(note or "").strip() or None,
            decided_by_id=store.actor_id,
            decided_at=store.now(),
        )
        session.add(record)
        store.audit(session, "level", record)
        return record
