"""Outcomes on a lead (docs/domain.md §7.3): visited, trial booked / attended, enrolled with a
balance, balance paid, refund — each one transaction with its audit rows and the follow-ups
it sets off or settles (balance_due opens with a balance and closes when it is paid).

A refund within one month of enrolling is deducted from the consultant's results
(:func:`consultant_results`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, func, select

from desk.dal import followups as fu_dal
from desk.dal.ids import pk
from desk.dal.store import Store, existing
from desk.errors import FieldError
from desk.models import Enrollment, Lead, Payment, Staff, Trial, Visit

_STAGE_ORDER = ("lead", "visited", "trial", "student", "refunded")


def _advance(session: Session, store: Store, lead: Lead, stage: str) -> None:
    if lead.stage == "refunded" and stage != "student":
        return
    if _STAGE_ORDER.index(stage) > _STAGE_ORDER.index(lead.stage) or (lead.stage == "refunded" and stage == "student"):
        store.audit(session, "stage", lead, {"stage": [lead.stage, stage]})
        lead.stage = stage
        lead.updated_at = store.now()
        session.add(lead)


def mark_visited(store: Store, lead_id: int, staff_id: int | None) -> Visit:
    """The lead came in (recorded by their consultant): a visit row, promised visits settled."""
    with store.write() as session:
        lead = existing(session, Lead, lead_id)
        before = session.exec(select(func.count()).select_from(Visit).where(col(Visit.lead_id) == lead_id)).one()
        visit = Visit(
            arrived_at=store.now(), visitor_type="repeat_walk_in" if before else "consult_walk_in",
            visitor_name=lead.name, phone=lead.phone, lead_id=lead.id, received_by_id=staff_id,
        )
        session.add(visit)
        store.audit(session, "create", visit)
        settle_visit(session, store, lead)
        return visit


def settle_visit(session: Session, store: Store, lead: Lead) -> None:
    """A lead visited: stage at least ``visited``; open promised_visit follow-ups are reached."""
    _advance(session, store, lead, "visited")
    fu_dal.close_open(session, store, result="reached", note="visited", kind="promised_visit", lead_id=lead.id)


def book_trial(store: Store, lead_id: int, when: datetime, course: str | None, staff_id: int | None) -> Trial:
    with store.write() as session:
        lead = existing(session, Lead, lead_id)
        trial = Trial(lead_id=lead_id, consultant_id=staff_id or lead.owner_id, course=(course or "").strip() or lead.course_interest,
                      booked_for=when, created_at=store.now())
        session.add(trial)
        store.audit(session, "create", trial)
        return trial


def attend_trial(store: Store, trial_id: int) -> Trial:
    with store.write() as session:
        trial = existing(session, Trial, trial_id)
        trial.attended = True
        session.add(trial)
        store.audit(session, "update", trial, {"attended": [False, True]})
        _advance(session, store, existing(session, Lead, trial.lead_id), "trial")
        return trial


def open_trial(store: Store, lead_id: int) -> Trial | None:
    with store.read() as session:
        return session.exec(
            select(Trial).where(col(Trial.lead_id) == lead_id, col(Trial.attended) == False).order_by(col(Trial.booked_for).desc())  # noqa: E712
        ).first()


def paid_fen(session: Session, enrollment_id: int) -> int:
    rows = session.exec(select(col(Payment.kind), col(Payment.amount_fen)).where(col(Payment.enrollment_id) == enrollment_id)).all()
    return sum(a for k, a in rows if k in ("initial", "balance"))


def refunded_fen(session: Session, enrollment_id: int) -> int:
    rows = session.exec(select(col(Payment.amount_fen)).where(col(Payment.enrollment_id) == enrollment_id, col(Payment.kind) == "refund")).all()
    return sum(rows)


def balance_fen(store: Store, enrollment_id: int) -> int:
    with store.read() as session:
        enrollment = session.get(Enrollment, enrollment_id)
        assert enrollment is not None, enrollment_id  # the caller holds the id of a saved enrollment
        return enrollment.amount_fen - paid_fen(session, enrollment_id)


def enroll(
    store: Store,
    lead_id: int,
    *,
    course: str,
    amount_fen: int,
    paid_fen_now: int,
    due_on: date | None,
    staff_id: int | None,
    config=None,
) -> Enrollment:
    """Enrol a lead: the tuition agreed, what was paid now, and when the balance is due.
    A balance opens a ``balance_due`` follow-up on its date; paying settles the
    ``unpaid_after_consult`` follow-ups."""
    course = (course or "").strip()
    if not course:
        raise FieldError("course", "notes.err_course")
    if amount_fen <= 0:
        raise FieldError("amount", "followups.form.err_amount_zero")
    if paid_fen_now > amount_fen:
        raise FieldError("paid", "notes.err_paid_over")
    balance = amount_fen - paid_fen_now
    if balance > 0 and due_on is None:
        raise FieldError("due", "notes.err_due_needed")
    if balance > 0 and due_on is not None and due_on < store.today():
        raise FieldError("due", "notes.err_due_past")
    with store.write() as session:
        lead = existing(session, Lead, lead_id)
        enrollment = Enrollment(
            lead_id=lead_id, consultant_id=staff_id or lead.owner_id, course=course, amount_fen=amount_fen,
            balance_due_on=due_on if balance > 0 else None, enrolled_at=store.now(),
        )
        session.add(enrollment)
        store.audit(session, "create", enrollment)
        if paid_fen_now > 0:
            payment = Payment(enrollment_id=pk(enrollment), kind="initial", amount_fen=paid_fen_now, paid_at=store.now(), staff_id=store.actor_id)
            session.add(payment)
            store.audit(session, "create", payment)
        if balance > 0:
            fu_dal.create(
                session, store, "balance_due", enrollment.consultant_id,
                fu_dal.due(store, "balance_due", on=due_on, config=config),
                lead_id=lead_id, enrollment_id=enrollment.id, note=f"{course} {balance / 100:.2f}",
            )
        _advance(session, store, lead, "student")
        fu_dal.close_open(session, store, result="reached", note="enrolled", kind="unpaid_after_consult", lead_id=lead_id)
        return enrollment


def pay_balance(store: Store, enrollment_id: int, amount_fen: int) -> Payment:
    if amount_fen <= 0:
        raise FieldError("amount", "followups.form.err_amount_zero")
    with store.write() as session:
        enrollment = existing(session, Enrollment, enrollment_id)
        balance = enrollment.amount_fen - paid_fen(session, enrollment_id)
        if amount_fen > balance:
            raise FieldError("amount", "notes.err_balance_below_zero", balance=f"{balance / 100:.2f}")
        payment = Payment(enrollment_id=enrollment_id, kind="balance", amount_fen=amount_fen, paid_at=store.now(), staff_id=store.actor_id)
        session.add(payment)
        store.audit(session, "create", payment)
        if amount_fen == balance:
            fu_dal.close_open(session, store, result="reached", note="paid", kind="balance_due", enrollment_id=enrollment_id)
        return payment


def refund(store: Store, enrollment_id: int, amount_fen: int, reason: str) -> Payment:
    reason = (reason or "").strip()
    if not reason:
        raise FieldError("reason", "notes.err_refund_reason")
    if amount_fen <= 0:
        raise FieldError("amount", "followups.form.err_amount_zero")
    with store.write() as session:
        enrollment = existing(session, Enrollment, enrollment_id)
        refundable = paid_fen(session, enrollment_id) - refunded_fen(session, enrollment_id)
        if amount_fen > refundable:
            raise FieldError("amount", "notes.err_refund_over", paid=f"{refundable / 100:.2f}")
        payment = Payment(enrollment_id=enrollment_id, kind="refund", amount_fen=amount_fen, reason=reason, paid_at=store.now(), staff_id=store.actor_id)
        session.add(payment)
        store.audit(session, "create", payment, reason=reason)
        lead = existing(session, Lead, enrollment.lead_id)
        store.audit(session, "stage", lead, {"stage": [lead.stage, "refunded"]})
        lead.stage = "refunded"
        session.add(lead)
        fu_dal.close_open(session, store, result="closed", note="refund", kind="balance_due", enrollment_id=enrollment_id)
        return payment


def enrollments(store: Store, lead_id: int) -> list[tuple[Enrollment, int, int]]:
    """A lead's enrollments with paid and refunded fen, newest first."""
    with store.read() as session:
        rows = session.exec(select(Enrollment).where(col(Enrollment.lead_id) == lead_id).order_by(col(Enrollment.enrolled_at).desc())).all()
        return [(e, paid_fen(session, pk(e)), refunded_fen(session, pk(e))) for e in rows]


def within_a_month(enrolled: datetime, refunded: datetime, tz) -> bool:
    """Refunded no later than the same day of the next month (the 31st clamps to month end)."""
    import calendar

    start = enrolled.astimezone(tz).date()
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    limit = date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
    return refunded.astimezone(tz).date() <= limit


@dataclass(frozen=True)
class Results:
    staff_id: int
    enrollments: int
    sales_fen: int  # tuition agreed on enrollments in the period
    collected_fen: int  # payments received in the period
    refunds_deducted_fen: int  # refunds in the period within a month of enrolling
    net_fen: int


def consultant_results(store: Store, staff_id: int, start: date, end: date) -> Results:
    """A consultant's sales for [start, end) (local days), refunds within a month deducted."""
    lo, _ = store.day_bounds(start)
    hi, _ = store.day_bounds(end)
    with store.read() as session:
        enrolled = session.exec(
            select(Enrollment).where(col(Enrollment.consultant_id) == staff_id, col(Enrollment.enrolled_at) >= lo, col(Enrollment.enrolled_at) < hi)
        ).all()
        payments = session.exec(
            select(Payment, Enrollment)
            .join(Enrollment, col(Enrollment.id) == col(Payment.enrollment_id))
            .where(col(Enrollment.consultant_id) == staff_id, col(Payment.paid_at) >= lo, col(Payment.paid_at) < hi)
        ).all()
    sales = sum(e.amount_fen for e in enrolled)
    collected = sum(p.amount_fen for p, _ in payments if p.kind != "refund")
    deducted = sum(
        p.amount_fen for p, e in payments if p.kind == "refund" and within_a_month(e.enrolled_at, p.paid_at, store.tz)
    )
    return Results(staff_id, len(enrolled), sales, collected, deducted, sales - deducted)


def staff_name(store: Store, staff_id: int | None) -> str | None:
    if staff_id is None:
        return None
    with store.read() as session:
        person = session.get(Staff, staff_id)
        return person.name if person else None
