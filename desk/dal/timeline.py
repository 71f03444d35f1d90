"""One lead's whole history, newest first: calls, visits, notes, follow-ups, trials,
enrollments and payments (docs/domain.md §4.1: "the whole history" of a lead).

The rows are read as plain columns, not ORM objects: building a few hundred model instances
cost more than the queries (the timeline opens on a key and must paint within 100 ms).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

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
    recording: str | None = None  # a call's or a note's recording reference (docs/domain.md §2.8)


def events(store: Store, lead_id: int, limit: int | None = None) -> tuple[Lead | None, list[Event]]:
    with store.read() as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            return None, []
        names = dict(session.execute(select(col(Staff.id), col(Staff.name))).all())
        out: list[Event] = []
        add = out.append
        for id_, at, staff, call_type, outcome, words, recording in session.execute(
            select(col(Call.id), col(Call.started_at), col(Call.to_staff_id), col(Call.call_type), col(Call.outcome),
                   col(Call.words), col(Call.recording_ref)).where(col(Call.lead_id) == lead_id)
        ):
            add(Event(at, "call", names.get(staff), (call_type, outcome or "", (words or "")[:60]), f"call:{id_}", recording))
        for id_, at, staff, visitor_type in session.execute(
            select(col(Visit.id), col(Visit.arrived_at), col(Visit.received_by_id), col(Visit.visitor_type))
            .where(col(Visit.lead_id) == lead_id)
        ):
            add(Event(at, "visit", names.get(staff), (visitor_type,), f"visit:{id_}"))
        for id_, at, staff, recording, *bits in session.execute(
            select(col(ConsultNote.id), col(ConsultNote.created_at), col(ConsultNote.staff_id), col(ConsultNote.recording_ref),
                   col(ConsultNote.kind), col(ConsultNote.intent), col(ConsultNote.asked), col(ConsultNote.next_step),
                   col(ConsultNote.text))
            .where(col(ConsultNote.lead_id) == lead_id)
        ):
            add(Event(at, "note", names.get(staff), tuple(bit or "" for bit in bits), f"note:{id_}", recording))
        for id_, at, staff, kind, due_at, note, done_at, result, result_note in session.execute(
            select(col(FollowUp.id), col(FollowUp.created_at), col(FollowUp.owner_id), col(FollowUp.kind), col(FollowUp.due_at),
                   col(FollowUp.note), col(FollowUp.done_at), col(FollowUp.result), col(FollowUp.result_note))
            .where(col(FollowUp.lead_id) == lead_id)
        ):
            add(Event(at, "follow_up", names.get(staff), (kind, due_at, note or ""), f"follow_up:{id_}"))
            if done_at is not None:
                add(Event(done_at, "follow_up_done", names.get(staff), (kind, result, result_note or ""), f"follow_up:{id_}"))
        for id_, at, staff, course, booked_for, attended in session.execute(
            select(col(Trial.id), col(Trial.created_at), col(Trial.consultant_id), col(Trial.course), col(Trial.booked_for),
                   col(Trial.attended))
            .where(col(Trial.lead_id) == lead_id)
        ):
            add(Event(at, "trial", names.get(staff), (course or "", booked_for, attended), f"trial:{id_}"))
        for id_, at, staff, course, amount in session.execute(
            select(col(Enrollment.id), col(Enrollment.enrolled_at), col(Enrollment.consultant_id), col(Enrollment.course),
                   col(Enrollment.amount_fen))
            .where(col(Enrollment.lead_id) == lead_id)
        ):
            add(Event(at, "enrollment", names.get(staff), (course, amount), f"enrollment:{id_}"))
        for id_, at, staff, kind, amount, reason in session.execute(
            select(col(Payment.id), col(Payment.paid_at), col(Payment.staff_id), col(Payment.kind), col(Payment.amount_fen),
                   col(Payment.reason))
            .join(Enrollment, col(Enrollment.id) == col(Payment.enrollment_id))
            .where(col(Enrollment.lead_id) == lead_id)
        ):
            add(Event(at, "refund" if kind == "refund" else "payment", names.get(staff), (kind, amount, reason or ""), f"payment:{id_}"))
    out.sort(key=lambda e: (e.at, e.ref), reverse=True)
    return lead, out[:limit] if limit else out
