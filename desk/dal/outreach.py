"""Outdoor promotion (docs/domain.md §6.2, §4, §5.3, §7.5): recording an activity, the contacts collected
there, who owns them, and each consultant's day against the targets.

An activity (street promotion, campus talk, job fair, event) has a day, a place and the
people who ran it. Each contact typed in is a phone (read with ``desk.phones``), a name and a
course interest, and the person who collected it, one of those who ran it:

* a phone desk does not know becomes an ``outdoor`` lead, with the activity's kind as its media
  source, owned by its collector when a consultant collected it, else given by the market
  rotation (docs/domain.md §5.3, ``rules.rotation.route``);
* a phone desk knows is the same person (docs/domain.md §4.1): its lead learns what it did not know
  and is linked to the activity, but keeps its channel and owner, and it is not a new contact
  for the targets;
* the same phone twice at one activity is refused.

Targets (docs/domain.md §7.5, config ``[targets]``, or a person's own ``[targets.staff."王芳"]``): at a
street promotion each person who ran it is judged on the new contacts they collected against
their own target, at any other activity on the forms (new leads).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy import and_, func
from sqlmodel import Session, col, select

from desk.dal import leads as leads_dal
from desk.dal import targets as targets_dal
from desk.dal.ids import pk
from desk.dal.store import Store
from desk.errors import FieldError
from desk.i18n import t
from desk.models import Lead, Outreach, OutreachContact, OutreachStaff, Staff
from desk.models.outreach import OUTREACH_KINDS
from desk.phones import PhoneError, parse
from desk.rules.outreach import STREET, meets

MAX_PLACE = 200
MAX_NAME = 200
MAX_COURSE = 200
_SEPARATORS = re.compile(r"[,，、;；/\s]+")


# ----- reading what people type ------------------------------------------------------------------
def parse_kind(text: str) -> str:
    """A kind typed as its value, its number in the list, or its label in either language."""
    wanted = text.strip().casefold()
    if wanted.isdigit() and 1 <= int(wanted) <= len(OUTREACH_KINDS):
        return OUTREACH_KINDS[int(wanted) - 1]
    for kind in OUTREACH_KINDS:
        labels = {kind, t(f"outreach.kind_{kind}", "en"), t(f"outreach.kind_{kind}", "zh_CN")}
        if wanted and wanted in {label.casefold() for label in labels}:
            return kind
    raise FieldError("kind", "outreach.err_kind", value=text.strip())


def find_people(store: Store, text: str | Iterable[str]) -> list[Staff]:
    """Active staff named in ``text`` ("王芳, 赵强" or a list): full or English name, any case."""
    names = _SEPARATORS.split(text) if isinstance(text, str) else list(text)
    names = [n.strip() for n in names if n and n.strip()]
    if not names:
        raise FieldError("staff", "outreach.err_staff")
    with store.read() as session:
        people = list(session.exec(select(Staff).where(col(Staff.active) == True)).all())  # noqa: E712
    found: list[Staff] = []
    for name in names:
        person = next((p for p in people if p.name == name), None) or next(
            (p for p in people if (p.english_name or "").casefold() == name.casefold()), None
        )
        if person is None:
            raise FieldError("staff", "outreach.err_unknown_staff", name=name)
        if person not in found:
            found.append(person)
    return found


# ----- recording an activity and its contacts ---------------------------------------------------
@dataclass(frozen=True)
class ContactInput:
    phone: str  # as typed
    name: str = ""
    course: str = ""
    collector_id: int | None = None  # None: the first person who ran the activity


@dataclass(frozen=True)
class Added:
    lead_id: int
    name: str
    phone: str
    new_lead: bool  # False: desk already knew this phone
    collector: str
    owner: str | None


def record(store: Store, kind: str, day: date, place: str, staff_ids: Sequence[int]) -> Outreach:
    """Save an activity and who ran it (one transaction, audited). Raises FieldError."""
    return record_with_contacts(store, kind, day, place, staff_ids, ())[0]


def record_with_contacts(
    store: Store, kind: str, day: date, place: str, staff_ids: Sequence[int], contacts: Sequence[ContactInput],
    *, region: str = "CN",
) -> tuple[Outreach, list[Added]]:
    """Save an activity, who ran it and the contacts collected there: all or nothing."""
    if kind not in OUTREACH_KINDS:
        raise FieldError("kind", "outreach.err_kind", value=kind)
    if day > store.today():
        raise FieldError("day", "outreach.err_day_future")
    place = place.strip()
    if not place:
        raise FieldError("place", "outreach.err_place")
    if len(place) > MAX_PLACE:
        raise FieldError("place", "outreach.err_too_long", max=MAX_PLACE)
    ids = list(dict.fromkeys(staff_ids))
    if not ids:
        raise FieldError("staff", "outreach.err_staff")
    rows = _read_all(contacts, region)
    with store.write() as session:
        for staff_id in ids:
            person = session.get(Staff, staff_id)
            if person is None or not person.active:
                raise FieldError("staff", "outreach.err_unknown_staff", name=str(staff_id))
        activity = Outreach(kind=kind, day=day, place=place, created_at=store.now(), created_by_id=store.actor_id)
        session.add(activity)
        store.audit(session, "create", activity)
        for staff_id in ids:
            ran = OutreachStaff(outreach_id=pk(activity), staff_id=staff_id)
            session.add(ran)
            store.audit(session, "create", ran)
        return activity, _add_all(session, store, activity, rows)


def add_contacts(store: Store, outreach_id: int, contacts: Sequence[ContactInput], *, region: str = "CN") -> list[Added]:
    """Add the contacts collected at an activity already recorded, all or none (one transaction).

    A bad contact raises FieldError naming the field, with ``row`` (1-based) in its values.
    """
    rows = _read_all(contacts, region)
    with store.write() as session:
        activity = session.get(Outreach, outreach_id)
        if activity is None:
            raise FieldError("activity", "outreach.err_no_activity", id=outreach_id)
        return _add_all(session, store, activity, rows)


def _read_all(contacts: Sequence[ContactInput], region: str) -> list[tuple[ContactInput, dict]]:
    rows = []
    for row, contact in enumerate(contacts, start=1):
        try:
            rows.append(_read(contact, region))
        except FieldError as err:
            err.values["row"] = row
            raise
    return rows


def _add_all(session: Session, store: Store, activity: Outreach, rows: list[tuple[ContactInput, dict]]) -> list[Added]:
    ran = _ran(session, pk(activity))
    return [_add(session, store, activity, ran, contact, row, values) for row, (contact, values) in enumerate(rows, start=1)]


def _read(contact: ContactInput, region: str) -> tuple[ContactInput, dict]:
    try:
        phone = parse(contact.phone, region).e164
    except PhoneError as err:
        raise FieldError("phone", err.code) from None
    name, course = contact.name.strip(), contact.course.strip()
    if len(name) > MAX_NAME:
        raise FieldError("name", "outreach.err_too_long", max=MAX_NAME)
    if len(course) > MAX_COURSE:
        raise FieldError("course", "outreach.err_too_long", max=MAX_COURSE)
    return contact, {"phone": phone, "name": name, "course": course}


def _ran(session: Session, outreach_id: int) -> list[Staff]:
    return list(
        session.exec(
            select(Staff).join(OutreachStaff, col(OutreachStaff.staff_id) == col(Staff.id))
            .where(col(OutreachStaff.outreach_id) == outreach_id).order_by(col(OutreachStaff.id))
        ).all()
    )


def _add(session: Session, store: Store, activity: Outreach, ran: list[Staff], contact: ContactInput, row: int, values: dict) -> Added:
    from desk.dal import rotation as rotation_dal
    from desk.dal.imports import course_interest
    from desk.rules.rotation import route

    collector = ran[0] if contact.collector_id is None else next((p for p in ran if p.id == contact.collector_id), None)
    if collector is None:
        raise FieldError("collector", "outreach.err_collector", row=row)
    it_related, non_computer_only = course_interest(values["course"])
    lead = leads_dal.find_by_phone(session, values["phone"])
    if lead is not None:
        linked = session.exec(
            select(col(OutreachContact.id)).where(col(OutreachContact.outreach_id) == activity.id, col(OutreachContact.lead_id) == lead.id)
        ).first()
        if linked is not None:
            raise FieldError("phone", "outreach.err_twice", name=lead.name or values["phone"], row=row)
        leads_dal.merge_into(session, store, lead, {
            "name": values["name"], "course_interest": values["course"] or None,
            "it_related": it_related, "non_computer_only": non_computer_only,
        })
        new = False
    else:
        # docs/domain.md §5.3: a consultant keeps what they collected; anyone else's goes to the market rotation
        routing = route("outdoor", collector=collector.name, collector_role=collector.role)
        picked = rotation_dal.pick(session, store, routing.pool, anyone=True) if routing.rotation and routing.pool else None
        owner_id = pk(picked) if picked is not None else collector.id if routing.owner == collector.name else None
        lead = leads_dal.new_lead(
            session, store, name=values["name"], phone=values["phone"], channel="outdoor",
            course_interest=values["course"] or None, it_related=it_related, non_computer_only=non_computer_only,
            media_source=t(f"outreach.kind_{activity.kind}", "zh_CN"), collector_id=collector.id, owner_id=owner_id,
        )
        if picked is not None and routing.pool:
            rotation_dal.assign(session, store, routing.pool, picked, lead_id=pk(lead))
        new = True
    link = OutreachContact(outreach_id=pk(activity), lead_id=pk(lead), collector_id=pk(collector), new_lead=new, created_at=store.now())
    session.add(link)
    store.audit(session, "collect", link)
    owner_row = session.get(Staff, lead.owner_id) if lead.owner_id else None
    assert lead.phone is not None  # found by its phone, or made with one
    return Added(pk(lead), lead.name, lead.phone, new, collector.name, owner_row.name if owner_row else None)


# ----- reading activities back ---------------------------------------------------------------
@dataclass(frozen=True)
class Tally:
    """One person's new contacts (street promotion) or forms (other kinds) at one activity."""

    staff_id: int
    name: str
    count: int
    target: int
    met: bool


@dataclass(frozen=True)
class Activity:
    id: int
    kind: str
    day: date
    place: str
    staff: list[Staff]
    new_leads: int
    known: int  # contacts desk already knew
    tallies: list[Tally]


def activities(
    store: Store,
    *,
    first: date | None = None,
    last: date | None = None,
    staff_id: int | None = None,
    ids: Sequence[int] | None = None,
    limit: int = 200,
    config=None,
) -> list[Activity]:
    """Activities newest first (by day, then as recorded), with each runner's tally against
    their own target."""
    if config is None:
        from desk.config import load

        config = load(None)
    with store.read() as session:
        query = select(Outreach)
        if first is not None:
            query = query.where(col(Outreach.day) >= first)
        if last is not None:
            query = query.where(col(Outreach.day) <= last)
        if staff_id is not None:
            query = query.where(col(Outreach.id).in_(select(col(OutreachStaff.outreach_id)).where(col(OutreachStaff.staff_id) == staff_id)))
        if ids is not None:
            query = query.where(col(Outreach.id).in_(list(ids)))
        rows = list(session.exec(query.order_by(col(Outreach.day).desc(), col(Outreach.id).desc()).limit(limit)).all())
        found = [r.id for r in rows]
        ran: dict[int, list[Staff]] = {}
        for link, person in session.exec(
            select(OutreachStaff, Staff).join(Staff, col(Staff.id) == col(OutreachStaff.staff_id))
            .where(col(OutreachStaff.outreach_id).in_(found)).order_by(col(OutreachStaff.id))
        ).all():
            ran.setdefault(link.outreach_id, []).append(person)
        counts: dict[tuple[int, int], int] = {}
        known: dict[int, int] = {}
        for outreach_id, collector_id, new, n in session.exec(
            select(col(OutreachContact.outreach_id), col(OutreachContact.collector_id), col(OutreachContact.new_lead), func.count())
            .where(col(OutreachContact.outreach_id).in_(found))
            .group_by(col(OutreachContact.outreach_id), col(OutreachContact.collector_id), col(OutreachContact.new_lead))
        ).all():
            if new:
                counts[(outreach_id, collector_id)] = n
            else:
                known[outreach_id] = known.get(outreach_id, 0) + n
    out = []
    for row in rows:
        people = ran.get(pk(row), [])
        tallies = []
        for p in people:
            count, target = counts.get((pk(row), pk(p)), 0), targets_dal.of(config, p).for_kind(row.kind)
            tallies.append(Tally(pk(p), p.name, count, target, meets(count, target)))
        new_total = sum(n for (oid, _), n in counts.items() if oid == row.id)
        out.append(Activity(pk(row), row.kind, row.day, row.place, people, new_total, known.get(pk(row), 0), tallies))
    return out


def activity(store: Store, outreach_id: int, config=None) -> Activity | None:
    found = activities(store, ids=[outreach_id], limit=1, config=config)
    return found[0] if found else None


@dataclass(frozen=True)
class ContactRow:
    lead_id: int
    name: str
    phone: str | None
    course: str | None
    collector: str
    new_lead: bool
    owner: str | None
    owner_id: int | None = None  # whose lead: who sees the number in full (issue 14)
    collector_id: int | None = None  # who typed it in: sees it in full too


def contacts(store: Store, outreach_id: int) -> list[ContactRow]:
    """The contacts of an activity in the order they were typed in."""
    # SQLAlchemy sets __table__ on every table class; SQLModel does not declare it.
    collector = Staff.__table__.alias("collector")  # type: ignore[attr-defined]
    owner = Staff.__table__.alias("owner")  # type: ignore[attr-defined]
    with store.read() as session:
        rows = session.execute(  # SQLAlchemy's select: SQLModel's is typed for four columns at most
            sa.select(col(Lead.id), col(Lead.name), col(Lead.phone), col(Lead.course_interest), collector.c.name, col(OutreachContact.new_lead), owner.c.name,
                      col(Lead.owner_id), col(OutreachContact.collector_id))
            .select_from(OutreachContact)
            .join(Lead, col(Lead.id) == col(OutreachContact.lead_id))
            .join(collector, collector.c.id == col(OutreachContact.collector_id))
            .outerjoin(owner, owner.c.id == col(Lead.owner_id))
            .where(col(OutreachContact.outreach_id) == outreach_id)
            .order_by(col(OutreachContact.id))
        ).all()
    return [ContactRow(*row) for row in rows]


# ----- a consultant's day against the targets (docs/domain.md §7.5) ----------------------------
@dataclass(frozen=True)
class DayTally:
    """Per activity of the day and person who ran it: new contacts at each street promotion,
    forms at each other activity; with the two targets (the person's own; everyone: the center's)."""

    street_contacts: tuple[int, ...]
    street_target: int
    event_forms: tuple[int, ...]
    event_target: int


def day_tally(store: Store, staff_id: int | None, day: date | None = None, config=None) -> DayTally:
    """``staff_id`` None: everyone who ran an activity that day (the manager's view)."""
    day = day or store.today()
    with store.read() as session:
        targets = targets_dal.of_id(session, config, staff_id)
        query = (
            select(col(Outreach.kind), func.count(col(OutreachContact.id)))
            .select_from(Outreach)
            .join(OutreachStaff, col(OutreachStaff.outreach_id) == col(Outreach.id))
            .outerjoin(
                OutreachContact,
                and_(
                    col(OutreachContact.outreach_id) == col(Outreach.id),
                    col(OutreachContact.collector_id) == col(OutreachStaff.staff_id),
                    col(OutreachContact.new_lead) == True,  # noqa: E712
                ),
            )
            .where(col(Outreach.day) == day)
            .group_by(col(Outreach.id), col(Outreach.kind), col(OutreachStaff.staff_id))
            .order_by(col(Outreach.id), col(OutreachStaff.staff_id))
        )
        if staff_id is not None:
            query = query.where(col(OutreachStaff.staff_id) == staff_id)
        rows = session.execute(query).all()
    return DayTally(
        tuple(n for kind, n in rows if kind == STREET), targets.street_promotion_contacts,
        tuple(n for kind, n in rows if kind != STREET), targets.event_forms,
    )
