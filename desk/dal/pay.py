"""Sales on money actually received (docs/domain.md §10.1) and what the month-end reads.

Sales were once the tuition agreed at enrollment; the SOP pays on money received. A payment
counts for the enrollment's consultant when it is received within ``window_days`` of signing
(local calendar days, as :func:`desk.rules.pay.sales_for` counts them), later ones for the
center's totals only; a refund comes off the consultant's results in the month it is made,
whenever the enrollment was signed.

The period's payments come back as rows (a month holds hundreds, not the millions of calls):
the window is a difference of local days, which SQLite and PostgreSQL spell differently, and
the same rows give the day the center reached its target. Levels and QA reviews are read as
they are recorded (another screen writes them); the newest level row before an instant is the
current one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from sqlalchemy import bindparam, func, select
from sqlmodel import Session, col

from desk.dal.reports import Period
from desk.dal.store import Store
from desk.models import Enrollment, Lead, Payment, Staff
from desk.models.grade import LevelRecord, QaReview
from desk.rules.pay import sales_for


@dataclass(frozen=True)
class Movement:
    """One payment or refund of the period, with what decides whom it counts for."""

    consultant_id: int | None
    kind: str  # initial / balance / refund
    fen: int
    day: date  # local day it was paid or refunded
    days_after_enrollment: int  # local days from signing

    @property
    def refund(self) -> bool:
        return self.kind == "refund"


@dataclass
class Sales:
    """A consultant's (or the center's) money in a period, in fen (§10.1)."""

    received_fen: int = 0  # payments within the window of their enrollment: the consultant's
    late_fen: int = 0  # payments after the window: the center's only
    refunds: int = 0
    refunds_fen: int = 0  # every refund made in the period
    payments: list[dict] = field(default_factory=list, repr=False)

    @property
    def sales_fen(self) -> int:
        """Money received within the window less every refund (:func:`sales_for`); may be negative."""
        return int(sales_for(self.payments, [self.refunds_fen]))


def movements(session: Session, store: Store, start: datetime, end: datetime) -> list[Movement]:
    """Every payment and refund made in [start, end), with its enrollment's consultant."""
    out = []
    rows = session.connection().execute(_movements_query(), {"start": start, "end": end}).all()
    for consultant, kind, fen, paid_at, enrolled_at in rows:
        paid_day = store.local(paid_at).date()
        out.append(Movement(consultant, kind, fen, paid_day, (paid_day - store.local(enrolled_at).date()).days))
    return out


@cache
def _movements_query():
    """Built once, run with the bounds as parameters: the day report reads it each time, and
    building it (and its cache key) cost more than running it."""
    return (
        select(col(Enrollment.consultant_id), col(Payment.kind), col(Payment.amount_fen), col(Payment.paid_at),
               col(Enrollment.enrolled_at))
        .join(Enrollment, col(Enrollment.id) == col(Payment.enrollment_id))
        .where(col(Payment.paid_at) >= bindparam("start"), col(Payment.paid_at) < bindparam("end"))
    )


def sales_by_consultant(moves: list[Movement], window_days: int) -> dict[int | None, Sales]:
    """consultant -> their :class:`Sales` of ``moves``; ``None`` holds what no consultant signed."""
    out: dict[int | None, Sales] = {}
    for move in moves:
        add(out.setdefault(move.consultant_id, Sales()), move, window_days)
    return out


def center_sales(moves: list[Movement]) -> int:
    """The center's sales in fen: every payment received, late ones included, less every refund."""
    return sum(-m.fen if m.refund else m.fen for m in moves)


def add(acc: Sales, move: Movement, window_days: int) -> None:
    """Count ``move`` into ``acc`` by the window (a refund whatever its enrollment's date)."""
    if move.refund:
        acc.refunds += 1
        acc.refunds_fen += move.fen
    elif move.days_after_enrollment <= window_days:
        acc.received_fen += move.fen
        acc.payments.append({"amount": move.fen, "days_after_enrollment": move.days_after_enrollment})
    else:
        acc.late_fen += move.fen


def sales(session: Session, store: Store, period: Period, window_days: int) -> dict[int | None, Sales]:
    """consultant -> :class:`Sales` of ``period`` (the day and month reports' sales columns)."""
    return sales_by_consultant(movements(session, store, period.start, period.end), window_days)


@dataclass(frozen=True)
class EarlyRefund:
    """A refund made within the window of its signing: the SOP lists it against the class's
    teacher and assistant teacher too. desk records no class or teacher on an enrollment, so
    the course stands for the class."""

    refunded_on: date
    enrolled_on: date
    fen: int
    course: str
    student: str | None
    consultant: str | None


def early_refunds(session: Session, store: Store, period: Period, window_days: int) -> list[EarlyRefund]:
    """The period's refunds made within ``window_days`` of signing, oldest first."""
    query = (
        select(col(Payment.paid_at), col(Enrollment.enrolled_at), col(Payment.amount_fen), col(Enrollment.course),
               col(Lead.name), col(Staff.name))
        .join(Enrollment, col(Enrollment.id) == col(Payment.enrollment_id))
        .join(Lead, col(Lead.id) == col(Enrollment.lead_id))
        .outerjoin(Staff, col(Staff.id) == col(Enrollment.consultant_id))
        .where(col(Payment.kind) == "refund", col(Payment.paid_at) >= period.start, col(Payment.paid_at) < period.end)
        .order_by(col(Payment.paid_at), col(Payment.id))
    )
    out = []
    for paid_at, enrolled_at, fen, course, student, consultant in session.execute(query).all():
        paid, signed = store.local(paid_at).date(), store.local(enrolled_at).date()
        if (paid - signed).days <= window_days:
            out.append(EarlyRefund(paid, signed, fen, course, student, consultant))
    return out


def levels(session: Session, before: datetime) -> dict[int, tuple[int, str]]:
    """staff -> (level, status) of their newest level record decided before ``before``."""
    newest = (
        select(col(LevelRecord.staff_id), func.max(col(LevelRecord.id)).label("id"))
        .where(col(LevelRecord.decided_at) < before)
        .group_by(col(LevelRecord.staff_id))
        .subquery()
    )
    query = select(col(LevelRecord.staff_id), col(LevelRecord.level), col(LevelRecord.status)).join(
        newest, newest.c.id == col(LevelRecord.id)
    )
    return {staff: (level, status) for staff, level, status in session.execute(query).all()}


def qa_scores(session: Session, period: Period) -> dict[int, tuple[int, float]]:
    """consultant -> (reviews of consults in the period, their average total)."""
    query = (
        select(col(QaReview.staff_id), func.count(), func.avg(col(QaReview.total)))
        .where(col(QaReview.consult_at) >= period.start, col(QaReview.consult_at) < period.end)
        .group_by(col(QaReview.staff_id))
    )
    return {staff: (n, float(avg)) for staff, n, avg in session.execute(query).all()}
