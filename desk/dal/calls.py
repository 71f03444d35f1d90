"""Calls: recording a call with everything its type sets off, and today's list.

``record_call`` is one transaction per call: the call row (the phone register), the lead it
creates or links (given the call's channel partner when it has none), the rotation assignment, the consultant's state, and the follow-ups the
call owes (callback, complete_register, complaint) — docs/domain.md §2.5, §2.6, §2.7, §7.4.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from desk.dal import leads as leads_dal
from desk.dal import partners as partners_dal
from desk.dal import rotation as rotation_dal
from desk.dal.ids import pk
from desk.dal.store import Store, apply_changes, existing
from desk.drafts import CallDraft
from desk.errors import DeskError, PickChanged
from desk.models import Call, FollowUp, Lead, Staff
from desk.rules.calls import HANDLING, Handling


def record_call(store: Store, draft: CallDraft) -> Call:
    """Write the call and everything its type sets off, in one transaction."""
    if draft.call_type is None:
        raise DeskError("the call has no type yet")
    now = store.now()
    with store.write() as session:
        call = Call(
            started_at=draft.started_at,
            ended_at=now,
            caller_number=draft.caller_number,
            caller_name=draft.caller_name.strip() or None,
            words=draft.words,
            call_type=draft.call_type,
            taken_by_id=store.actor_id,
            lead_id=draft.lead_id,
            recording_ref=draft.recording_ref,
            purpose=draft.purpose.strip() or None,
            best_time=draft.best_time.strip() or None,
            partner_id=partners_dal.ensure_partner_id(session, store, draft.partner),
        )
        session.add(call)
        session.flush()
        _HANDLERS[HANDLING.get(draft.call_type, Handling.NOTE)](session, store, draft, call)
        if call.lead_id is not None:
            partners_dal.inherit(session, store, session.get(Lead, call.lead_id), call.partner_id)
        session.add(call)
        store.audit(session, "create", call)
        return call


def _target(session: Session, draft: CallDraft) -> Staff | None:
    return session.get(Staff, draft.target_id) if draft.target_id else None


def _still_right(session: Session, store: Store, draft: CallDraft, chosen: Staff) -> None:
    """Re-check, under the write lock, the consultant a transfer goes to.

    The panel showed the rotation's pick when it opened; another desk may have given that
    consultant a caller since. Taken from the rotation, it must still be the pick; chosen by
    hand, they must still be free. Otherwise :class:`PickChanged`, and nothing is written.
    """
    if chosen.role != "consultant":
        return
    if draft.pick_id is not None and draft.pick_id == chosen.id:
        now = rotation_dal.pick(session, store, "phone")
        if now is None or now.id != chosen.id:
            raise PickChanged(chosen.name, now.name if now is not None else None)
    elif chosen.state != "free":
        pick = rotation_dal.pick(session, store, "phone")
        raise PickChanged(chosen.name, pick.name if pick is not None else None)


def _lead_for_inquiry(session: Session, store: Store, draft: CallDraft, call: Call) -> Lead:
    lead = session.get(Lead, draft.lead_id) if draft.lead_id else leads_dal.find_by_phone(session, draft.caller_number)
    if lead is None:
        lead = leads_dal.new_lead(
            session,
            store,
            name=draft.caller_name.strip(),
            phone=draft.caller_number,
            channel="phone",
            first_contact_at=draft.started_at,
        )
        session.flush()
    call.lead_id = lead.id
    return lead


def _transfer(session: Session, store: Store, call: Call, staff: Staff) -> None:
    call.outcome = "transferred"
    call.to_staff_id = staff.id
    if staff.role == "consultant" and staff.state == "free":
        staff.state = "on_call"
        session.add(staff)
        store.audit(session, "state", staff, {"state": ["free", "on_call"]}, reason=f"call {call.id}")


def _follow_up(session: Session, store: Store, kind: str, owner_id: int | None, due: datetime, **values) -> FollowUp:
    row = FollowUp(kind=kind, owner_id=owner_id, due_at=due, created_at=store.now(), **values)
    session.add(row)
    store.audit(session, "create", row)
    return row


def _message(session: Session, store: Store, draft: CallDraft, call: Call, owner: Staff | None) -> None:
    """All busy (2.4): a callback due 5 minutes after the call, or the refusal recorded."""
    from desk.rules.followups import callback_due

    call.to_staff_id = owner.id if owner else None
    if draft.message_refused:
        call.outcome = "message_refused"
        return
    call.outcome = "message_taken"
    note = " · ".join(p for p in (draft.caller_name.strip(), draft.best_time.strip(), draft.purpose.strip()) if p)
    _follow_up(
        session, store, "callback", owner.id if owner else None, callback_due(draft.started_at),
        lead_id=call.lead_id, call_id=call.id, note=note or None,
    )


def _handle_inquiry(session: Session, store: Store, draft: CallDraft, call: Call) -> None:
    from desk.rules.followups import complete_register_due

    if draft.message_refused:
        # §2.6: a caller who will not leave a number is a call, not a lead; nobody takes a
        # rotation turn for it. A number that is already a lead's stays linked to it.
        known = session.get(Lead, draft.lead_id) if draft.lead_id else leads_dal.find_by_phone(session, draft.caller_number)
        call.lead_id = known.id if known is not None else None
        call.outcome = "message_refused"
        return
    lead = _lead_for_inquiry(session, store, draft, call)
    staff = _target(session, draft)
    messaging = draft.take_message or draft.message_refused
    if staff is not None and not messaging:
        _still_right(session, store, draft, staff)
    staff = staff or rotation_dal.pick(session, store, "phone")
    if messaging or staff is None:
        owner = staff or _next_on_duty(session, store)
        _message(session, store, draft, call, owner)
    else:
        _transfer(session, store, call, staff)
        # The consultant's call goes on after the transfer: it ends when they are free again
        # (``end_consults``), and the register reminder falls due 10 minutes after that
        # (§2.7). Until then it is due 10 minutes after the transfer, the earliest it can be.
        call.ended_at = None
        _follow_up(
            session, store, "complete_register", staff.id, complete_register_due(store.now()),
            lead_id=lead.id, call_id=call.id,
        )
        owner = staff
    if owner is not None and lead.owner_id is None:
        lead.owner_id = owner.id
        session.add(lead)
        rotation_dal.assign(session, store, "phone", owner, lead_id=lead.id, call_id=call.id)


def _next_on_duty(session: Session, store: Store) -> Staff | None:
    """Nobody free: the message goes to the next consultant in rotation among those on duty."""
    from desk.rules.rotation import pick_consultant

    data = rotation_dal.inputs(session, store, "phone")
    on_duty = {name for name, state in data.states.items() if state != "off_duty"}
    name = pick_consultant(order=data.order, available=on_duty, counts=data.counts, last=data.last)
    return session.get(Staff, data.ids[name]) if name else None


def _handle_repeat(session: Session, store: Store, draft: CallDraft, call: Call) -> None:
    lead = session.get(Lead, draft.lead_id) if draft.lead_id else leads_dal.find_by_phone(session, draft.caller_number)
    if lead is not None:
        call.lead_id = lead.id
    owner = session.get(Staff, lead.owner_id) if lead is not None and lead.owner_id else None
    staff = _target(session, draft)
    if draft.take_message or draft.message_refused or (staff is None and (owner is None or owner.state != "free")):
        _message(session, store, draft, call, owner or staff)
        return
    if staff is not None and staff.id != getattr(owner, "id", None):
        _still_right(session, store, draft, staff)
    staff = staff or owner
    assert staff is not None  # with neither, the call became a message above
    if draft.on_behalf_of_id or (owner is not None and staff.id != owner.id):
        call.on_behalf_of_id = draft.on_behalf_of_id or (owner.id if owner else None)
    _transfer(session, store, call, staff)
    if lead is None:
        _possible_duplicate(session, store, draft, call, staff)


def _possible_duplicate(session: Session, store: Store, draft: CallDraft, call: Call, staff: Staff) -> None:
    """A repeat caller nobody could find, transferred to a free consultant who agreed (§2.5):
    a lead is made for them, owned by that consultant and marked ``repeat`` (the consultant's
    own mark for a row that repeats an earlier one, §4.5), so it waits in the check list until
    the owner merges it with the lead it repeats. Not a rotation turn: the caller is not new."""
    lead = leads_dal.new_lead(
        session, store, name=draft.caller_name.strip(), phone=draft.caller_number, channel="phone",
        first_contact_at=draft.started_at, owner_id=staff.id, flag="repeat",
    )
    session.flush()
    call.lead_id = lead.id


def _handle_person(session: Session, store: Store, draft: CallDraft, call: Call) -> None:
    """Student and business calls go to the person asked for."""
    if draft.call_type == "student" and draft.lead_id is None:
        lead = leads_dal.find_by_phone(session, draft.caller_number)
        call.lead_id = lead.id if lead else None
    staff = _target(session, draft)
    if staff is None:
        raise DeskError("choose the person the call is for")
    if draft.take_message:
        _message(session, store, draft, call, staff)
    else:
        _transfer(session, store, call, staff)


def _handle_directions(session: Session, store: Store, draft: CallDraft, call: Call) -> None:
    call.outcome = "directions_given"
    known = leads_dal.find_by_phone(session, draft.caller_number)
    if known is not None:
        call.lead_id = known.id
    elif draft.coming_to_consult:
        lead = leads_dal.new_lead(
            session, store, name=draft.caller_name.strip(), phone=draft.caller_number, channel="phone",
            first_contact_at=draft.started_at,
        )
        session.flush()
        call.lead_id = lead.id


def _handle_screened(session: Session, store: Store, draft: CallDraft, call: Call) -> None:
    call.outcome = "declined"


def _handle_complaint(session: Session, store: Store, draft: CallDraft, call: Call) -> None:
    manager = session.exec(
        select(Staff).where(col(Staff.role) == "manager", col(Staff.active) == True).order_by(col(Staff.id))  # noqa: E712
    ).first()
    lead = leads_dal.find_by_phone(session, draft.caller_number)
    call.lead_id = draft.lead_id or (lead.id if lead else None)
    call.outcome = "escalated"
    call.to_staff_id = manager.id if manager else None
    note = " · ".join(p for p in (draft.caller_name.strip(), draft.purpose.strip()) if p)
    _follow_up(session, store, "complaint", call.to_staff_id, store.now(), lead_id=call.lead_id, call_id=call.id, note=note or None)


def _handle_silent(session: Session, store: Store, draft: CallDraft, call: Call) -> None:
    call.outcome = "hung_up"


def _handle_other(session: Session, store: Store, draft: CallDraft, call: Call) -> None:
    call.outcome = "handled"


# One writer per way a call is handled (rules.calls.HANDLING says which a call type takes).
_HANDLERS = {
    Handling.ROTATION: _handle_inquiry,
    Handling.OWNER: _handle_repeat,
    Handling.PERSON: _handle_person,
    Handling.DIRECTIONS: _handle_directions,
    Handling.SCREENED: _handle_screened,
    Handling.COMPLAINT: _handle_complaint,
    Handling.SILENT: _handle_silent,
    Handling.NOTE: _handle_other,
}


@dataclass(frozen=True)
class CallRow:
    """A line of today's calls list."""

    id: int
    started_at: datetime
    number: str | None
    call_type: str
    outcome: str | None
    to_name: str | None
    caller: str | None
    register_complete: bool


def todays_calls(store: Store, limit: int = 200) -> list[CallRow]:
    start, end = store.day_bounds(store.today())
    with store.read() as session:
        rows = session.exec(
            select(Call, col(Staff.name), col(Lead.name))
            .join(Staff, col(Staff.id) == col(Call.to_staff_id), isouter=True)
            .join(Lead, col(Lead.id) == col(Call.lead_id), isouter=True)
            .where(col(Call.started_at) >= start, col(Call.started_at) < end)
            .order_by(col(Call.started_at).desc(), col(Call.id).desc())
            .limit(limit)
        ).all()
    return [
        CallRow(pk(c), c.started_at, c.caller_number, c.call_type, c.outcome, to, c.caller_name or lead_name, c.register_complete)
        for c, to, lead_name in rows
    ]


# ----- the register reminder (docs/domain.md §2.7) ----------------------------------------------
def end_consults(session: Session, store: Store, staff_id: int) -> list[Call]:
    """The consultant is no longer on the phone: each inquiry transferred to them whose call
    is still open ends now, and its open ``complete_register`` reminder falls due 10 minutes
    from now (the 10 minutes run from the end of the consultant's call, not the transfer).
    Called inside the write that changes their board state."""
    from desk.rules.followups import complete_register_due

    now = store.now()
    ended = list(session.exec(
        select(Call).where(col(Call.to_staff_id) == staff_id, col(Call.outcome) == "transferred", col(Call.ended_at).is_(None))
    ).all())
    for call in ended:
        changes = apply_changes(call, {"ended_at": now})
        session.add(call)
        store.audit(session, "update", call, changes, reason="consultant free")
        for row in session.exec(
            select(FollowUp).where(col(FollowUp.kind) == "complete_register", col(FollowUp.call_id) == call.id, col(FollowUp.done_at).is_(None))
        ).all():
            changes = apply_changes(row, {"due_at": complete_register_due(now)})
            if changes:
                session.add(row)
                store.audit(session, "update", row, changes, reason=f"call {call.id} ended")
    return ended


@dataclass(frozen=True)
class RegisterReminder:
    """A register row still incomplete 10 minutes after the consultant's call: the
    receptionist reminds the consultant (a line of the triage screen's list)."""

    follow_up_id: int
    call_id: int
    due_at: datetime
    consultant: str | None
    caller: str | None
    number: str | None
    started_at: datetime


def register_reminders(store: Store, limit: int = 50) -> list[RegisterReminder]:
    """The due reminders, the longest overdue first: open ``complete_register`` follow-ups
    whose consultant's call has ended and whose register row is still incomplete."""
    now = store.now()
    with store.read() as session:
        rows = session.exec(
            select(FollowUp, Call, col(Staff.name), col(Lead.name))
            .join(Call, col(Call.id) == col(FollowUp.call_id))
            .join(Staff, col(Staff.id) == col(Call.to_staff_id), isouter=True)
            .join(Lead, col(Lead.id) == col(Call.lead_id), isouter=True)
            .where(col(FollowUp.kind) == "complete_register", col(FollowUp.done_at).is_(None), col(FollowUp.due_at) <= now,
                   col(Call.ended_at).is_not(None), col(Call.register_complete) == False)  # noqa: E712
            .order_by(col(FollowUp.due_at), col(FollowUp.id))
            .limit(limit)
        ).all()
    return [
        RegisterReminder(pk(row), pk(call), row.due_at, staff, call.caller_name or lead_name, call.caller_number, call.started_at)
        for row, call, staff, lead_name in rows
    ]


def reminded(store: Store, follow_up_id: int) -> datetime | None:
    """The receptionist reminded the consultant. A row completed meanwhile closes the
    reminder (None); a row still incomplete is asked about again in 10 minutes (the time
    returned): the reminder is done only when the consultant has completed the register."""
    from desk.dal import followups as fu_dal
    from desk.rules.followups import complete_register_due

    with store.write() as session:
        row = existing(session, FollowUp, follow_up_id)
        call = session.get(Call, row.call_id) if row.call_id is not None else None
        if row.done_at is not None:
            return None
        if call is None or call.register_complete:
            fu_dal.close_open(session, store, result="reached", note="register complete", id=row.id)
            return None
        again = complete_register_due(store.now())
        fu_dal.close_open(session, store, result="rescheduled", note="reminded", id=row.id)
        fu_dal.create(session, store, "complete_register", row.owner_id, again, lead_id=row.lead_id, call_id=row.call_id, note=row.note)
        return again
