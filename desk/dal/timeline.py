"""One lead's whole history, newest first: calls, visits, notes, follow-ups, trials,
enrollments and payments (DOMAIN 4: "the whole history" of a lead)."""

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
    what: str  # a short summary (codes are translated by the screen)
    ref: str  # "<table>:<id>"


def events(store: Store, lead_id: int, limit: int | None = None) -> tuple[Lead | None, list[Event]]:
    with store.read() as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            return None, []
        names = {s.id: s.name for s in session.exec(select(Staff)).all()}
        out: list[Event] = []
        for c in session.exec(select(Call).where(Call.lead_id == lead_id)).all():
            out.append(Event(c.started_at, "call", names.get(c.to_staff_id), f"{c.call_type}|{c.outcome or ''}|{c.words[:60]}", f"call:{c.id}"))
        for v in session.exec(select(Visit).where(Visit.lead_id == lead_id)).all():
            out.append(Event(v.arrived_at, "visit", names.get(v.received_by_id), v.visitor_type, f"visit:{v.id}"))
        for n in session.exec(select(ConsultNote).where(ConsultNote.lead_id == lead_id)).all():
            bits = [n.kind, n.intent or "", n.asked or "", n.next_step or "", n.text or ""]
            out.append(Event(n.created_at, "note", names.get(n.staff_id), "|".join(bits), f"note:{n.id}"))
        for f in session.exec(select(FollowUp).where(FollowUp.lead_id == lead_id)).all():
            out.append(Event(f.created_at, "follow_up", names.get(f.owner_id), f"{f.kind}|{f.due_at.isoformat()}|{f.note or ''}", f"follow_up:{f.id}"))
            if f.done_at is not None:
                out.append(Event(f.done_at, "follow_up_done", names.get(f.owner_id), f"{f.kind}|{f.result}|{f.result_note or ''}", f"follow_up:{f.id}"))
        for tr in session.exec(select(Trial).where(Trial.lead_id == lead_id)).all():
            out.append(Event(tr.created_at, "trial", names.get(tr.consultant_id), f"{tr.course or ''}|{tr.booked_for.isoformat()}|{tr.attended}", f"trial:{tr.id}"))
        enrollments = session.exec(select(Enrollment).where(Enrollment.lead_id == lead_id)).all()
        for e in enrollments:
            out.append(Event(e.enrolled_at, "enrollment", names.get(e.consultant_id), f"{e.course}|{e.amount_fen}", f"enrollment:{e.id}"))
        if enrollments:
            ids = [e.id for e in enrollments]
            for p in session.exec(select(Payment).where(Payment.enrollment_id.in_(ids))).all():
                out.append(Event(p.paid_at, "refund" if p.kind == "refund" else "payment", names.get(p.staff_id),
                                 f"{p.kind}|{p.amount_fen}|{p.reason or ''}", f"payment:{p.id}"))
    out.sort(key=lambda e: (e.at, e.ref), reverse=True)
    return lead, out[:limit] if limit else out
