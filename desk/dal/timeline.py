"""One lead's whole history, newest first: calls, visits, notes, follow-ups, trials,
enrollments and payments (docs/domain.md §4.1: "the whole history" of a lead).

The rows are read as plain columns, not ORM objects: building a few hundred model instances
cost more than the queries (the timeline opens on a key and must paint within 100 ms).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from desk.dal.store import Store
from desk.models import Call, ConsultNote, Enrollment, FollowUp, Lead, Payment, Staff, Trial, Visit


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str  # call, visit, note, follow_up, follow_up_done, trial, enrollment, payment, refund
    who: str | None  # the staff member involved
    # The facts the screen words, by kind (codes are translated by the screen):
    #   call (call_type, outcome, words[:60]); visit (visitor_type,);
    #   note (kind, intent, asked, next_step, text); follow_up (kind, due_at, note);
    #   follow_up_done (kind, result, result_note); trial (course, booked_for, attended);
    #   enrollment (course, amount_fen); payment / refund (kind, amount_fen, reason).
    what: tuple
    ref: str  # "<table>:<id>"


def events(store: Store, lead_id: int, limit: int | None = None) -> tuple[Lead | None, list[Event]]:
    with store.read() as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            return None, []
        names = dict(session.exec(select(Staff.id, Staff.name)).all())
        out: list[Event] = []
        add = out.append
        for id_, at, staff, call_type, outcome, words in session.exec(
            select(Call.id, Call.started_at, Call.to_staff_id, Call.call_type, Call.outcome, Call.words).where(Call.lead_id == lead_id)
        ):
            add(Event(at, "call", names.get(staff), (call_type, outcome or "", (words or "")[:60]), f"call:{id_}"))
        for id_, at, staff, visitor_type in session.exec(
            select(Visit.id, Visit.arrived_at, Visit.received_by_id, Visit.visitor_type).where(Visit.lead_id == lead_id)
        ):
            add(Event(at, "visit", names.get(staff), (visitor_type,), f"visit:{id_}"))
        for id_, at, staff, *bits in session.exec(
            select(ConsultNote.id, ConsultNote.created_at, ConsultNote.staff_id, ConsultNote.kind, ConsultNote.intent,
                   ConsultNote.asked, ConsultNote.next_step, ConsultNote.text).where(ConsultNote.lead_id == lead_id)
        ):
            add(Event(at, "note", names.get(staff), tuple(bit or "" for bit in bits), f"note:{id_}"))
        for id_, at, staff, kind, due_at, note, done_at, result, result_note in session.exec(
            select(FollowUp.id, FollowUp.created_at, FollowUp.owner_id, FollowUp.kind, FollowUp.due_at, FollowUp.note,
                   FollowUp.done_at, FollowUp.result, FollowUp.result_note).where(FollowUp.lead_id == lead_id)
        ):
            add(Event(at, "follow_up", names.get(staff), (kind, due_at, note or ""), f"follow_up:{id_}"))
            if done_at is not None:
                add(Event(done_at, "follow_up_done", names.get(staff), (kind, result, result_note or ""), f"follow_up:{id_}"))
        for id_, at, staff, course, booked_for, attended in session.exec(
            select(Trial.id, Trial.created_at, Trial.consultant_id, Trial.course, Trial.booked_for, Trial.attended)
            .where(Trial.lead_id == lead_id)
        ):
            add(Event(at, "trial", names.get(staff), (course or "", booked_for, attended), f"trial:{id_}"))
        for id_, at, staff, course, amount in session.exec(
            select(Enrollment.id, Enrollment.enrolled_at, Enrollment.consultant_id, Enrollment.course, Enrollment.amount_fen)
            .where(Enrollment.lead_id == lead_id)
        ):
            add(Event(at, "enrollment", names.get(staff), (course, amount), f"enrollment:{id_}"))
        for id_, at, staff, kind, amount, reason in session.exec(
            select(Payment.id, Payment.paid_at, Payment.staff_id, Payment.kind, Payment.amount_fen, Payment.reason)
            .join(Enrollment, Enrollment.id == Payment.enrollment_id)
            .where(Enrollment.lead_id == lead_id)
        ):
            add(Event(at, "refund" if kind == "refund" else "payment", names.get(staff), (kind, amount, reason or ""), f"payment:{id_}"))
    out.sort(key=lambda e: (e.at, e.ref), reverse=True)
    return lead, out[:limit] if limit else out
