"""Consult notes (docs/domain.md §7.1, §7.2): the consultant's own queue, saving a note, the check list.

Saving a note is one transaction: the lead's facts (name, age, education, school or job,
course, media source) filled in, the note, the phone register row completed (its
complete_register follow-up closed), the follow-ups the note promises (callback at the agreed
time; a face-to-face consult without payment -> unpaid_after_consult next working day), and
the validity verdict (``leads.evaluate``) stored with every failed reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from desk.dal import followups as fu_dal
from desk.dal import leads as leads_dal
from desk.dal.ids import pk
from desk.dal.recordings import clean_ref
from desk.dal.store import Store, apply_changes, existing
from desk.errors import DeskError, FieldError
from desk.models import Call, ConsultNote, Enrollment, FollowUp, Lead, Payment, Staff, Visit
from desk.models.consult import INTENT_LEVELS
from desk.models.lead import EDUCATIONS
from desk.rules.calls import INQUIRY_TYPES

FLAGS = ("repeat", "invalid")
VERDICTS = ("upheld", "overruled")


@dataclass(frozen=True)
class QueueItem:
    """A line of the consultant's own queue: a call, a visitor or a callback owed a note."""

    kind: str  # "call", "visit", "callback"
    ref_id: int  # call id, visit id or follow-up id
    lead_id: int | None
    name: str
    phone: str | None
    at: datetime
    detail: str = ""


def my_queue(store: Store, staff_id: int | None) -> list[QueueItem]:
    """Calls transferred to them with an incomplete register row, visitors handed to them
    today without a note, callbacks due (by today) — oldest first within each."""
    now = store.now()
    start, end = store.day_bounds(store.today())
    items: list[QueueItem] = []
    with store.read() as session:
        calls = session.exec(
            select(Call, Lead)
            .join(Lead, col(Lead.id) == col(Call.lead_id), isouter=True)
            .where(col(Call.outcome) == "transferred", col(Call.register_complete) == False, col(Call.call_type).in_(INQUIRY_TYPES))  # noqa: E712
            .where(*(() if staff_id is None else (col(Call.to_staff_id) == staff_id,)))
            .order_by(col(Call.started_at))
        ).all()
        for call, lead in calls:
            items.append(QueueItem("call", pk(call), call.lead_id, (lead.name if lead else "") or call.caller_name or "",
                                   call.caller_number, call.started_at, call.words[:60]))
        noted = select(col(ConsultNote.visit_id)).where(col(ConsultNote.visit_id).is_not(None))
        visits = session.exec(
            select(Visit)
            .where(col(Visit.arrived_at) >= start, col(Visit.arrived_at) < end, col(Visit.lead_id).is_not(None), col(Visit.id).not_in(noted))
            .where(*(() if staff_id is None else (col(Visit.received_by_id) == staff_id,)))
            .order_by(col(Visit.arrived_at))
        ).all()
        for visit in visits:
            items.append(QueueItem("visit", pk(visit), visit.lead_id, visit.visitor_name or "", visit.phone, visit.arrived_at,
                                   visit.visitor_type))
        callbacks = session.exec(
            select(FollowUp, Lead)
            .join(Lead, col(Lead.id) == col(FollowUp.lead_id), isouter=True)
            .where(col(FollowUp.kind) == "callback", col(FollowUp.done_at).is_(None), col(FollowUp.due_at) < end)
            .where(*(() if staff_id is None else (col(FollowUp.owner_id) == staff_id,)))
            .order_by(col(FollowUp.due_at))
        ).all()
        for row, lead in callbacks:
            items.append(QueueItem("callback", pk(row), row.lead_id, lead.name if lead else "", lead.phone if lead else None,
                                   row.due_at, row.note or ""))
    del now
    return items


@dataclass
class NoteInput:
    """What the consultant typed; raw strings are parsed by the screen, checked here."""

    lead_id: int
    kind: str = "phone"  # or face_to_face
    call_id: int | None = None
    visit_id: int | None = None
    follow_up_id: int | None = None  # the callback this note answers
    name: str = ""
    age: int | None = None
    education: str = "unknown"
    school_or_job: str = ""
    course_interest: str = ""
    it_related: bool = True
    non_computer_only: bool = False
    media_source: str = ""
    asked: str = ""
    objections: str = ""
    intent: str | None = None
    promised_visit_on: date | None = None
    callback_at: datetime | None = None
    next_step: str = ""
    text: str = ""
    paid: bool = False  # face to face: did they pay at the consult?
    recording_ref: str = ""  # the phone consult's recording (docs/domain.md §2.8), if known


@dataclass(frozen=True)
class Saved:
    note: ConsultNote
    valid: bool
    reasons: list[str] = field(default_factory=list)
    counted_as: str | None = None


def check(store: Store, data: NoteInput) -> None:
    """Raise :class:`FieldError` for the first impossible value."""
    if data.kind not in ("phone", "face_to_face"):
        raise FieldError("kind", "notes.err_kind")
    if data.age is not None and not 5 <= data.age <= 100:
        raise FieldError("age", "followups.form.err_age_impossible", age=data.age)
    if data.education not in EDUCATIONS:
        raise FieldError("education", "notes.err_education")
    if data.intent is not None and data.intent not in INTENT_LEVELS:
        raise FieldError("intent", "notes.err_intent")
    if data.promised_visit_on is not None and data.promised_visit_on < store.today():
        raise FieldError("promised", "notes.err_promised_past")
    if data.callback_at is not None and data.callback_at <= store.now():
        raise FieldError("callback", "notes.err_callback_past")
    if data.recording_ref.strip():
        clean_ref(data.recording_ref)


def save_note(store: Store, data: NoteInput, staff_id: int, config=None) -> Saved:
    check(store, data)
    now = store.now()
    with store.write() as session:
        lead = existing(session, Lead, data.lead_id)
        facts = {
            "name": data.name.strip() or lead.name,
            "age": data.age if data.age is not None else lead.age,
            "education": data.education if data.education != "unknown" else lead.education,
            "school_or_job": data.school_or_job.strip() or lead.school_or_job,
            "course_interest": data.course_interest.strip() or lead.course_interest,
            "media_source": data.media_source.strip() or lead.media_source,
            "it_related": data.it_related,
            "non_computer_only": data.non_computer_only,
        }
        if data.kind == "phone":
            facts["phone_contacted"] = True
        changes = apply_changes(lead, facts)
        if changes:
            lead.updated_at = now
            leads_dal.refresh_keys(lead)
            session.add(lead)
            store.audit(session, "update", lead, changes)
        if lead.owner_id is None:
            lead.owner_id = staff_id
        note = ConsultNote(
            lead_id=lead.id, staff_id=staff_id, kind=data.kind, call_id=data.call_id, visit_id=data.visit_id,
            asked=data.asked.strip() or None, objections=data.objections.strip() or None, intent=data.intent,
            promised_visit_on=data.promised_visit_on, callback_at=data.callback_at,
            next_step=data.next_step.strip() or None, text=data.text.strip() or None, created_at=now,
            recording_ref=data.recording_ref.strip() or None,
        )
        session.add(note)
        store.audit(session, "create", note)
        if data.call_id is not None:
            call = session.get(Call, data.call_id)
            if call is not None and not call.register_complete:
                call.register_complete = True
                session.add(call)
                store.audit(session, "update", call, {"register_complete": [False, True]}, reason=f"note {note.id}")
            fu_dal.close_open(session, store, result="reached", note=f"note #{note.id}", kind="complete_register", call_id=data.call_id)
        if data.follow_up_id is not None:
            row = session.get(FollowUp, data.follow_up_id)
            if row is not None and row.done_at is None:
                fu_dal.close_open(session, store, result="reached", note=f"note #{note.id}", id=row.id)
        if data.callback_at is not None:
            fu_dal.create(session, store, "callback", lead.owner_id or staff_id, data.callback_at, lead_id=lead.id,
                          note=data.next_step.strip() or None)
        if data.kind == "face_to_face":
            from desk.dal.outcomes import settle_visit

            settle_visit(session, store, lead)
            start, end = store.day_bounds(store.today())
            paid_today = session.exec(
                select(func.count()).select_from(Payment).join(Enrollment, col(Enrollment.id) == col(Payment.enrollment_id))
                .where(col(Enrollment.lead_id) == lead.id, col(Payment.paid_at) >= start, col(Payment.paid_at) < end, col(Payment.kind) != "refund")
            ).one()
            if not data.paid and not paid_today:
                fu_dal.create(session, store, "unpaid_after_consult", lead.owner_id or staff_id,
                              fu_dal.due(store, "unpaid_after_consult", config=config), lead_id=lead.id, visit_id=data.visit_id)
        session.flush()
        verdict = leads_dal.evaluate(session, store, lead)
        return Saved(note, verdict.valid, list(verdict.reasons), verdict.counted_as)


def mark_flag(store: Store, lead_id: int, flag: str | None) -> Lead:
    """A consultant marks a lead repeat / invalid: it goes to the check list (docs/domain.md §4.5).
    A changed mark is checked afresh: the earlier check was of another mark."""
    if flag is not None and flag not in FLAGS:
        raise DeskError(f"unknown flag {flag!r}")
    with store.write() as session:
        lead = existing(session, Lead, lead_id)
        values: dict = {"flag": flag}
        if flag != lead.flag:
            values.update(flag_checked=False, flag_verdict=None, flag_checked_at=None, flag_checked_by_id=None, flag_check_note=None)
        changes = apply_changes(lead, values)
        if changes:
            store.audit(session, "flag", lead, changes)
        leads_dal.evaluate(session, store, lead)
        return lead


def confirm_checked(store: Store, lead_id: int, verdict: str, note: str = "") -> Lead:
    """The receptionist / manager has checked a marked lead against the rules (docs/domain.md
    §4.5): the mark ``upheld`` or ``overruled``, with the reasons she gives (optional), who
    and when. The verdict decides validity: an upheld mark keeps the lead out of valid
    counts, an overruled one no longer counts against it; the reports list every check."""
    if verdict not in VERDICTS:
        raise FieldError("verdict", "notes.err_verdict")
    with store.write() as session:
        lead = existing(session, Lead, lead_id)
        if lead.flag is None:
            raise FieldError("verdict", "notes.err_not_marked", name=lead.name)
        if lead.flag_checked:
            checker = session.get(Staff, lead.flag_checked_by_id) if lead.flag_checked_by_id else None
            raise FieldError("verdict", "notes.err_checked_already", name=checker.name if checker else "?")
        changes = apply_changes(lead, {
            "flag_checked": True, "flag_verdict": verdict, "flag_checked_at": store.now(),
            "flag_checked_by_id": store.actor_id, "flag_check_note": note.strip() or None,
        })
        store.audit(session, "check", lead, changes)
        leads_dal.evaluate(session, store, lead)
        return lead


@dataclass(frozen=True)
class Check:
    """One check of a marked lead, as the reports list it (docs/domain.md §4.5, §9)."""

    at: datetime
    lead_id: int
    lead_name: str
    flag: str
    marked_by: str | None  # the consultant who marked it (the last "flag" of the lead before the check)
    marked_by_id: int | None
    checker: str | None
    verdict: str
    note: str | None
    reasons: list[str]


def checks_in(session: Session, start: datetime, end: datetime) -> list[Check]:
    """Every check made in [start, end), in time order; read inside the reports' transaction.
    The checks are read as columns by a statement built once: every day report asks, and
    most days have none (an ORM query of the Lead entity cost ~1-2 ms of a report each time)."""
    from desk.models import AuditEntry

    out = []
    rows = session.connection().execute(_checks_query(), {"start": start, "end": end}).all()
    for at, lead_id, name, flag, owner_id, verdict, note, validity_reasons, checker_name in rows:
        marker = session.exec(
            select(col(Staff.id), col(Staff.name))
            .join(AuditEntry, col(AuditEntry.actor_id) == col(Staff.id))
            .where(col(AuditEntry.table_name) == "lead", col(AuditEntry.row_id) == lead_id, col(AuditEntry.action) == "flag",
                   col(AuditEntry.at) <= at)
            .order_by(col(AuditEntry.id).desc())
            .limit(1)
        ).first()
        if marker is None and owner_id is not None:
            # marked as it was made (a repeat caller nobody could find, desk.dal.calls): the
            # mark is its owner's, the consultant who took the call
            owner = session.get(Staff, owner_id)
            marker = (owner_id, owner.name) if owner is not None else None
        out.append(Check(
            at, lead_id, name or "", flag or "", marker[1] if marker else None,
            marker[0] if marker else None, checker_name, verdict, note, _codes(validity_reasons),
        ))
    return out


@cache
def _checks_query():
    checker = aliased(Staff)
    return (
        sa.select(col(Lead.flag_checked_at), col(Lead.id), col(Lead.name), col(Lead.flag), col(Lead.owner_id),
               col(Lead.flag_verdict), col(Lead.flag_check_note), col(Lead.validity_reasons), col(checker.name))
        .join(checker, col(checker.id) == col(Lead.flag_checked_by_id), isouter=True)
        .where(col(Lead.flag_checked_at) >= sa.bindparam("start"), col(Lead.flag_checked_at) < sa.bindparam("end"),
               col(Lead.flag_verdict).is_not(None))
        .order_by(col(Lead.flag_checked_at), col(Lead.id))
    )


def check_list(store: Store) -> list[Lead]:
    """Leads a consultant marked repeat or invalid that nobody has checked yet."""
    with store.read() as session:
        return list(session.exec(select(Lead).where(col(Lead.flag).is_not(None), col(Lead.flag_checked) == False, leads_dal.LIVE).order_by(col(Lead.updated_at))).all())  # noqa: E712


def reasons(lead: Lead) -> list[str]:
    return _codes(lead.validity_reasons)


def _codes(validity_reasons: str | None) -> list[str]:
    try:
        return list(json.loads(validity_reasons or "[]"))
    except ValueError:
        return []


def notes_for(store: Store, lead_id: int) -> list[ConsultNote]:
    with store.read() as session:
        return list(session.exec(select(ConsultNote).where(col(ConsultNote.lead_id) == lead_id).order_by(col(ConsultNote.created_at).desc())).all())
