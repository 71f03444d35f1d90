"""Calls: caller lookup, recording a call with everything its type sets off, today's list.

``record_call`` is one transaction per call: the call row (the phone register), the lead it
creates or links, the rotation assignment, the consultant's state, and the follow-ups the
call owes (callback, complete_register, complaint) — DOMAIN 2.3, 2.4, 2.5, 6.4.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, or_, select

from desk.dal import leads as leads_dal
from desk.dal import rotation as rotation_dal
from desk.dal.ids import pk
from desk.dal.store import Store
from desk.errors import DeskError
from desk.models import Call, FollowUp, Lead, Staff

INQUIRY_TYPES = ("first_inquiry", "proxy_inquiry")


@dataclass(frozen=True)
class CallerHit:
    """One line of the caller lookup: who it is and what is open with them."""

    kind: str  # "lead", "student" or "staff"
    id: int
    name: str
    phone: str | None
    owner: str | None = None
    owner_id: int | None = None
    last_contact: datetime | None = None
    open_follow_ups: int = 0
    role: str | None = None
    extension: str | None = None


@dataclass
class CallDraft:
    """A call being taken: everything the receptionist has typed or chosen so far."""

    started_at: datetime
    number: str = ""  # as typed
    caller_number: str | None = None  # E.164 once read; None = withheld / not a number
    words: str = ""
    call_type: str | None = None
    lead_id: int | None = None
    target_id: int | None = None  # the person the call goes to (transfer / message owner)
    # The rotation's pick the receptionist saw and took (target_id == pick_id), or None when
    # she chose someone herself: saving checks it is still the pick (see PickChanged).
    pick_id: int | None = None
    on_behalf_of_id: int | None = None
    caller_name: str = ""
    purpose: str = ""
    best_time: str = ""
    take_message: bool = False
    message_refused: bool = False
    coming_to_consult: bool = False
    recording_ref: str | None = None
    extra: dict = field(default_factory=dict)


class PickChanged(DeskError):
    """The person chosen for a transfer is no longer the right one: another workstation gave
    them a caller (or the rotation moved on) between the panel opening and Enter. Nothing was
    written; ``pick_name`` is who the rotation gives the call to now (None: nobody is free)."""

    def __init__(self, chosen: Staff, pick: Staff | None) -> None:
        self.chosen_name = chosen.name
        self.pick_name = pick.name if pick is not None else None
        super().__init__(f"{chosen.name} is no longer free; the rotation's pick is now {self.pick_name or 'nobody'}")


def lookup(store: Store, query: str, limit: int = 8) -> list[CallerHit]:
    """Find a caller by any run of phone digits, a name, pinyin initials or full pinyin."""
    from desk.dal.lookup import search

    with store.read() as session:
        return search(session, query, limit)


def find_leads_by_name_and_date(store: Store, name: str, around: date | None, limit: int = 8) -> list[CallerHit]:
    """A repeat caller who does not remember their consultant: by name and first-call date."""
    from desk.dal.lookup import lead_hits

    name = name.strip()
    if not name:
        return []
    with store.read() as session:
        # icontains: SQLite's LIKE ignores the case of ASCII letters, PostgreSQL's does not.
        query = select(Lead).where(or_(col(Lead.name).icontains(name), col(Lead.name_pinyin).startswith(name.lower())))
        if around is not None:
            start, _ = store.day_bounds(date.fromordinal(around.toordinal() - 15))
            _, end = store.day_bounds(date.fromordinal(around.toordinal() + 15))
            query = query.where(col(Lead.first_contact_at) >= start, col(Lead.first_contact_at) < end)
        leads = session.exec(query.order_by(col(Lead.first_contact_at).desc()).limit(limit)).all()
        return lead_hits(session, list(leads))


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
        )
        session.add(call)
        session.flush()
        _HANDLERS.get(draft.call_type, _handle_other)(session, store, draft, call)
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
            raise PickChanged(chosen, now)
    elif chosen.state != "free":
        raise PickChanged(chosen, rotation_dal.pick(session, store, "phone"))


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


_HANDLERS = {
    "first_inquiry": _handle_inquiry,
    "proxy_inquiry": _handle_inquiry,
    "repeat_inquiry": _handle_repeat,
    "student": _handle_person,
    "business": _handle_person,
    "directions": _handle_directions,
    "screened": _handle_screened,
    "complaint": _handle_complaint,
    "silent": _handle_silent,
    "other": _handle_other,
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
