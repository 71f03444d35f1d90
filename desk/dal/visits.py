"""Visitors (docs/domain.md §3): registering a walk-in and routing it, the waiting list, the lecture
check-in, and the day's face-to-face table (一日当面咨询表). Lectures and their bookings ahead
are in desk.dal.lectures.

``register`` is one transaction per visitor: the visit row, the lead it creates or links (a
known phone is a repeat visitor and goes to the owner; it gets the visit's channel partner
when it has none), the rotation assignment for consult
walk-ins, the consultant's state, and what the type sets off (lecture check-in and its
follow-up, a refund student to the manager).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from desk.dal import followups as fu_dal
from desk.dal import leads as leads_dal
from desk.dal import partners as partners_dal
from desk.dal import rotation as rotation_dal
from desk.dal.ids import pk
from desk.dal.store import Store
from desk.errors import DeskError, FieldError
from desk.models import Lead, Lecture, LectureBooking, Staff, Visit
from desk.models.staff import MANAGER_ROLES
from desk.models.visit import VISITOR_TYPES

CONSULT_TYPES = ("consult_walk_in", "accompanied", "group", "channel_proxy")
LEAD_TYPES = (*CONSULT_TYPES, "repeat_walk_in", "lecture_attendee", "enrolling_student", "refund_student")
PERSON_TYPES = ("business_visitor", "interviewee")


@dataclass
class VisitInput:
    visitor_type: str
    name: str = ""
    phone: str | None = None  # E.164, already read by the screen
    lead_id: int | None = None  # a lead picked from the lookup
    companions: str = ""
    group_size: int = 1
    partner: str = ""  # the channel partner (渠道) as typed; a proxy visit must name one
    course_interest: str = ""
    lecture_id: int | None = None
    came_for_id: int | None = None  # business visitor / interviewee: the person
    came_for: str = ""  # or their name as said


@dataclass(frozen=True)
class Registered:
    visit: Visit
    lead: Lead | None
    to: Staff | None
    rule: str  # rotation / owner / on_behalf / waiting / manager / person / lecture / none
    reason: str  # the rotation's explanation, when it decided


def check(data: VisitInput) -> None:
    if data.visitor_type not in VISITOR_TYPES:
        raise FieldError("type", "walkins.err_type")
    if data.group_size < 1 or data.group_size > 200:
        raise FieldError("group_size", "walkins.err_group_size")
    if data.visitor_type == "group" and data.group_size < 2:
        raise FieldError("group_size", "walkins.err_group_small")
    if data.visitor_type == "channel_proxy" and not data.partner.strip():
        raise FieldError("partner", "partners.err_proxy")
    if data.visitor_type == "lecture_attendee" and data.lecture_id is None:
        raise FieldError("lecture", "walkins.err_lecture")
    if data.visitor_type in PERSON_TYPES and data.came_for_id is None and not data.came_for.strip():
        raise FieldError("came_for", "walkins.err_came_for")
    if data.visitor_type in ("enrolling_student", "refund_student", "repeat_walk_in") and data.lead_id is None and not data.phone and not data.name.strip():
        raise FieldError("phone", "walkins.err_who")


def _explain(session: Session, store: Store, lang: str) -> str:
    from desk.rules.rotation import describe

    data = rotation_dal.inputs(session, store, "walk_in")
    return describe(order=data.order, available=data.available, counts=data.counts, last=data.last, lang=lang)


def _busy(session: Session, store: Store, staff: Staff, visit: Visit) -> None:
    if staff.role == "consultant" and staff.state == "free":
        store.audit(session, "state", staff, {"state": [staff.state, "with_visitor"]}, reason=f"visit {visit.id}")
        staff.state = "with_visitor"
        session.add(staff)


def _manager(session: Session) -> Staff | None:
    return session.exec(
        select(Staff).where(col(Staff.role).in_(MANAGER_ROLES), col(Staff.active) == True).order_by(col(Staff.role) != "manager", col(Staff.id))  # noqa: E712
    ).first()


def register(store: Store, data: VisitInput, lang: str = "en", config=None) -> Registered:
    check(data)
    now = store.now()
    with store.write() as session:
        lead = session.get(Lead, data.lead_id) if data.lead_id else leads_dal.find_by_phone(session, data.phone)
        vtype = data.visitor_type
        if lead is None and vtype == "lecture_attendee":
            assert data.lecture_id is not None  # check() asks an attendee for the lecture
            lead = _booked_by_name(session, data.lecture_id, data.name, data.phone)
            if lead is not None and data.phone:  # booked without a phone: learn it now
                leads_dal.merge_into(session, store, lead, {"phone": data.phone, "has_contact": True})
        if lead is not None and vtype in CONSULT_TYPES:
            vtype = "repeat_walk_in"  # a known lead is a repeat visitor: to the owner (docs/domain.md §3.1, §5.3)
        name = data.name.strip() or (lead.name if lead else "")
        visit = Visit(
            arrived_at=now, visitor_type=vtype, visitor_name=name or None, phone=data.phone or (lead.phone if lead else None),
            lead_id=lead.id if lead else None, companions=data.companions.strip() or None, group_size=data.group_size,
            course_interest=data.course_interest.strip() or None, lecture_id=data.lecture_id,
            came_for=data.came_for.strip() or None, partner_id=partners_dal.ensure_partner_id(session, store, data.partner),
        )
        wants_lead = vtype in LEAD_TYPES or (vtype == "passer_by" and (data.phone or name))
        if lead is None and wants_lead:
            lead = leads_dal.new_lead(
                session, store, name=name, phone=data.phone, channel="walk_in", course_interest=data.course_interest.strip() or None,
                brought_in_person=True, first_contact_at=now,
            )
            session.flush()
            visit.lead_id = lead.id
        elif lead is not None:
            leads_dal.merge_into(session, store, lead, {"name": name, "course_interest": data.course_interest.strip() or None})
        partners_dal.inherit(session, store, lead, visit.partner_id)
        session.add(visit)
        session.flush()
        to, rule, reason = None, "none", ""
        if vtype in CONSULT_TYPES:
            reason = _explain(session, store, lang)
            to = rotation_dal.pick(session, store, "walk_in")
            if to is None:
                visit.waited_from = now
                rule = "waiting"
            else:
                rule = "rotation"
                rotation_dal.assign(session, store, "walk_in", to, lead_id=lead.id if lead else None, visit_id=visit.id)
                if lead is not None and lead.owner_id is None:
                    lead.owner_id = to.id
                    session.add(lead)
        elif vtype in ("repeat_walk_in", "enrolling_student"):
            owner = session.get(Staff, lead.owner_id) if lead is not None and lead.owner_id else None
            if owner is not None and owner.state in ("free", "with_visitor", "on_call"):
                to, rule = owner, "owner"
            else:
                to = rotation_dal.pick(session, store, "walk_in")
                rule = "on_behalf" if to is not None and owner is not None else ("rotation" if to is not None else "waiting")
                if to is None:
                    visit.waited_from = now
                elif owner is None and lead is not None:
                    lead.owner_id = to.id
                    session.add(lead)
                    rotation_dal.assign(session, store, "walk_in", to, lead_id=lead.id, visit_id=visit.id)
            if to is not None and owner is not None and to.id != owner.id:
                visit.came_for = owner.name
        elif vtype == "refund_student":
            to, rule = _manager(session), "manager"
            visit.came_for = "refund"
        elif vtype in PERSON_TYPES:
            to = session.get(Staff, data.came_for_id) if data.came_for_id else None
            rule = "person"
            if to is not None and not visit.came_for:
                visit.came_for = to.name
        elif vtype == "lecture_attendee":
            rule = "lecture"
            assert data.lecture_id is not None and lead is not None  # checked; an attendee is a lead by now
            _check_in(session, store, data.lecture_id, lead, config)
            owner = session.get(Staff, lead.owner_id) if lead.owner_id else None
            to = owner
        if to is not None:
            visit.received_by_id = to.id
            visit.taken_by_id = to.id
            if vtype != "lecture_attendee":  # the attendee goes to the lecture, not to their consultant
                _busy(session, store, to, visit)
        if lead is not None and vtype != "lecture_attendee":
            from desk.dal.outcomes import settle_visit

            settle_visit(session, store, lead)
        session.add(visit)
        store.audit(session, "create", visit)
        return Registered(visit, lead, to, rule, reason)


def _booked_by_name(session: Session, lecture_id: int, name: str, phone: str | None) -> Lead | None:
    """A person booked ahead who gives only their name at the door (or was booked without a
    phone): the one booked lead of that name, so the check-in marks their booking instead of
    making a second lead and a second booking. Two of the same name: nobody (the phone decides)."""
    name = name.strip()
    if not name:
        return None
    query = (
        select(Lead).join(LectureBooking, col(LectureBooking.lead_id) == col(Lead.id))
        .where(col(LectureBooking.lecture_id) == lecture_id, col(LectureBooking.attended) == False, col(Lead.name) == name)  # noqa: E712
    )
    if phone:
        query = query.where(col(Lead.phone).is_(None))
    found = session.exec(query.limit(2)).all()
    return found[0] if len(found) == 1 else None


def _check_in(session: Session, store: Store, lecture_id: int, lead: Lead, config) -> None:
    """Mark the lead's booking attended (booking them now if they came unbooked) and owe the
    lecture follow-up. Only a lecture of today takes check-ins, and only once per person."""
    lecture = session.get(Lecture, lecture_id)
    if lecture is None:
        raise FieldError("lecture", "walkins.err_lecture")
    if store.local(lecture.starts_at).date() != store.today():
        raise FieldError("lecture", "lectures.err_not_today", when=store.local(lecture.starts_at).strftime("%m-%d %H:%M"))
    booking = session.exec(
        select(LectureBooking).where(col(LectureBooking.lecture_id) == lecture_id, col(LectureBooking.lead_id) == lead.id)
    ).first()
    if booking is None:
        booking = LectureBooking(lecture_id=lecture_id, lead_id=pk(lead), booked_by_id=store.actor_id, booked_at=store.now())
    elif booking.attended:
        raise FieldError("lecture", "lectures.err_already_in", name=lead.name or "")
    booking.attended = True
    session.add(booking)
    store.audit(session, "check_in", booking)
    fu_dal.create(
        session, store, "lecture_follow_up", lead.owner_id, fu_dal.due(store, "lecture_follow_up", lecture.starts_at, config=config),
        lead_id=lead.id, note=lecture.topic,
    )


# ----- waiting list -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Waiting:
    visit_id: int
    name: str
    visitor_type: str
    since: datetime
    minutes: int


def waiting_list(store: Store) -> list[Waiting]:
    start, end = store.day_bounds(store.today())
    now = store.now()
    with store.read() as session:
        rows = session.exec(
            select(Visit)
            .where(col(Visit.waited_from).is_not(None), col(Visit.waited_until).is_(None), col(Visit.received_by_id).is_(None),
                   col(Visit.left_at).is_(None), col(Visit.arrived_at) >= start, col(Visit.arrived_at) < end)
            .order_by(col(Visit.waited_from), col(Visit.id))
        ).all()
    return [
        Waiting(pk(v), v.visitor_name or "", v.visitor_type, v.waited_from, int((now - v.waited_from).total_seconds() // 60))
        for v in rows
        if v.waited_from is not None  # always, by the query; says so to mypy
    ]


@dataclass(frozen=True)
class Offer:
    waiting: Waiting
    staff_id: int
    staff_name: str


def offer(store: Store) -> Offer | None:
    """The first consultant to free up (the rotation's pick) and the longest-waiting visitor."""
    waiting = waiting_list(store)
    if not waiting:
        return None
    with store.read() as session:
        staff = rotation_dal.pick(session, store, "walk_in")
    if staff is None:
        return None
    return Offer(waiting[0], pk(staff), staff.name)


def take_waiting(store: Store, visit_id: int, staff_id: int) -> Visit:
    now = store.now()
    with store.write() as session:
        visit = session.get(Visit, visit_id)
        staff = session.get(Staff, staff_id)
        if visit is None or staff is None:
            raise DeskError("no such visitor or consultant")
        if visit.received_by_id is not None:
            raise DeskError("this visitor has already been received")
        visit.waited_until = now
        visit.received_by_id = staff.id
        visit.taken_by_id = staff.id
        lead = session.get(Lead, visit.lead_id) if visit.lead_id else None
        if lead is not None and lead.owner_id is None:
            lead.owner_id = staff.id
            session.add(lead)
        if visit.visitor_type in CONSULT_TYPES or (lead is not None and lead.owner_id == staff.id):
            rotation_dal.assign(session, store, "walk_in", staff, lead_id=visit.lead_id, visit_id=visit.id)
        _busy(session, store, staff, visit)
        session.add(visit)
        store.audit(session, "take", visit, {"received_by_id": [None, staff.id], "waited_until": [None, now]})
        return visit


# ----- the day's face-to-face table ------------------------------------------------------------------
@dataclass(frozen=True)
class DayRow:
    visit_id: int
    arrived_at: datetime
    visitor_type: str
    name: str
    group_size: int
    received_by: str | None
    waited_minutes: int | None
    lead_id: int | None
    came_for: str | None


def day_table(store: Store, search: str = "") -> list[DayRow]:
    """Every visitor today, in order of arrival, with who received them."""
    start, end = store.day_bounds(store.today())
    now = store.now()
    with store.read() as session:
        rows = session.exec(
            select(Visit, col(Staff.name)).join(Staff, col(Staff.id) == col(Visit.received_by_id), isouter=True)
            .where(col(Visit.arrived_at) >= start, col(Visit.arrived_at) < end).order_by(col(Visit.arrived_at), col(Visit.id))
        ).all()
    out = []
    text = search.strip().lower()
    for visit, name in rows:
        waited = None
        if visit.waited_from is not None:
            waited = int(((visit.waited_until or now) - visit.waited_from).total_seconds() // 60)
        row = DayRow(pk(visit), visit.arrived_at, visit.visitor_type, visit.visitor_name or "", visit.group_size, name,
                     waited, visit.lead_id, visit.came_for)
        if text and text not in f"{row.name} {visit.phone or ''} {name or ''} {visit.came_for or ''}".lower():
            continue
        out.append(row)
    return out
