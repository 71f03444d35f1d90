"""The referral and internal registers (docs/domain.md §6.3, §5.3): who was referred (老师同学推荐)
or mined (内部挖掘), by whom, when, and who owns them.

A row is a person (name, phone, course) and their referrer: a student (a lead) or a teacher /
staff member. A phone desk does not know becomes a lead of channel ``referral`` or
``internal`` owned by the consultant in charge of the referring student's fee collection (the
consultant of that student's latest enrollment, ``rules.rotation.route``'s ``fee_collector``);
with no such consultant (a staff referrer, a student with no enrollment) it is left unowned,
and its first call (a ``callback`` follow-up, like a forwarded online lead's) puts it on the
supervisor's list of unowned leads (``desk lead unowned``, the follow-up queue) to assign.
A phone desk knows is the same person (§4.1): the lead learns what it did not know (the
referrer too, when it had none) and keeps its channel and owner. The referrer is credited: the
timeline says who introduced a lead, and the month report counts referrals per referrer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, or_, select

from desk.dal import leads as leads_dal
from desk.dal.ids import pk
from desk.dal.store import Store
from desk.errors import FieldError
from desk.models import Enrollment, Lead, Staff
from desk.phones import PhoneError, parse

CHANNELS = ("referral", "internal")
REFERRER_KINDS = ("student", "teacher", "staff")
# Staff roles credited as teachers (老师推荐); everyone else on the roster is "staff".
_TEACHER_ROLES = ("teacher", "head_teacher")
MAX_TEXT = 200
_SPACES = re.compile(r"[\s_\-]+")
# What people type for an education level, besides its code (the import's words, in short).
_EDUCATION_WORDS = {
    "无": "none", "小学": "primary", "初中": "junior_high", "高中": "high_school", "职高": "vocational_high",
    "中专": "technical_secondary", "技校": "technical_secondary", "大专": "associate", "专科": "associate",
    "本科": "bachelor", "大学": "bachelor", "硕士": "master", "研究生": "master", "博士": "doctorate",
}  # fmt: skip


@dataclass(frozen=True)
class Referrer:
    """Who introduced someone: a student (``id`` a lead) or a teacher / staff member (a staff id)."""

    kind: str  # student / teacher / staff
    id: int
    name: str
    phone: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.kind != "student"


@dataclass(frozen=True)
class Added:
    lead_id: int
    name: str
    phone: str
    new_lead: bool  # False: desk knew the phone; the lead kept its channel and owner
    owner: str | None
    valid: bool | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RegisterRow:
    """One row of a day's register."""

    lead_id: int
    at: datetime
    name: str
    phone: str | None
    course: str | None
    referrer: str | None
    referrer_kind: str | None
    owner: str | None
    valid: bool | None


def kind_of(staff: Staff) -> str:
    return "teacher" if staff.role in _TEACHER_ROLES else "staff"


# ----- the referrer -------------------------------------------------------------------------------
def suggest_referrers(store: Store, text: str, limit: int = 6) -> list[Referrer]:
    """Staff and leads whose name, English name or phone starts with what is typed (the form's list)."""
    text = text.strip()
    if not text:
        return []
    digits = "".join(ch for ch in text if ch.isdigit())
    with store.read() as session:
        people = session.exec(
            select(Staff).where(col(Staff.active) == True, or_(  # noqa: E712
                col(Staff.name).startswith(text), func.lower(col(Staff.english_name)).startswith(text.lower())))
            .order_by(col(Staff.name)).limit(limit)
        ).all()
        found = [Referrer(kind_of(p), pk(p), p.name) for p in people]
        by_phone = len(digits) >= 3 and digits == _SPACES.sub("", text).lstrip("+")
        if by_phone and text.startswith("+86"):  # the keys hold national digits, as dialled in China
            digits = digits[2:]
        condition = (col(Lead.phone_digits).startswith(digits) if by_phone
                     else col(Lead.name).startswith(text) | col(Lead.name_pinyin).startswith(text.lower()))
        leads = session.exec(
            select(Lead).where(condition, leads_dal.LIVE).order_by(col(Lead.name)).limit(limit)
        ).all()
    found += [Referrer("student", pk(lead), lead.name or "", lead.phone) for lead in leads]
    return found[:limit]


def resolve_referrer(store: Store, text: str, region: str = "CN") -> Referrer:
    """The referrer named by ``text``: a staff member's name or English name (any case), else a
    lead's phone or exact name. Raises FieldError ``referrer`` when nobody or several match."""
    text = text.strip()
    if not text:
        raise FieldError("referrer", "registers.err_referrer_needed")
    with store.read() as session:
        people = session.exec(select(Staff).where(col(Staff.active) == True)).all()  # noqa: E712
        person = next((p for p in people if p.name == text), None) or next(
            (p for p in people if (p.english_name or "").casefold() == text.casefold()), None)
        if person is not None:
            return Referrer(kind_of(person), pk(person), person.name)
        leads: list[Lead] = []
        if any(ch.isdigit() for ch in text):
            try:
                lead = leads_dal.find_by_phone(session, parse(text, region).e164)
            except PhoneError:
                lead = None
            leads = [lead] if lead is not None else []
        if not leads:
            leads = list(session.exec(
                select(Lead).where(col(Lead.name) == text, leads_dal.LIVE).limit(5)).all())
    if not leads:
        raise FieldError("referrer", "registers.err_referrer_unknown", name=text)
    if len(leads) > 1:
        raise FieldError("referrer", "registers.err_referrer_ambiguous", name=text, n=len(leads))
    return Referrer("student", pk(leads[0]), leads[0].name or "", leads[0].phone)


def referrer_of(store: Store, lead_id: int) -> Referrer | None:
    """Who introduced this lead, if anyone recorded it (the timeline's "referred by")."""
    with store.read() as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            return None
        if lead.referred_by_staff_id is not None:
            person = session.get(Staff, lead.referred_by_staff_id)
            return Referrer(kind_of(person), pk(person), person.name) if person else None
        if lead.referred_by_id is not None:
            student = session.get(Lead, lead.referred_by_id)
            return Referrer("student", pk(student), student.name or "", student.phone) if student else None
    return None


def fee_consultant(session: Session, student_id: int | None) -> Staff | None:
    """The active consultant of the student's latest enrollment: who collects their fees (§5.3)."""
    if student_id is None:
        return None
    staff = session.exec(
        select(Staff).join(Enrollment, col(Enrollment.consultant_id) == col(Staff.id))
        .where(col(Enrollment.lead_id) == student_id)
        .order_by(col(Enrollment.enrolled_at).desc(), col(Enrollment.id).desc())
    ).first()
    return staff if staff is not None and staff.active and staff.role == "consultant" else None


def new_lead(session: Session, store: Store, *, note: str | None = None, **values) -> Lead:
    """A new referral / internal lead inside an open write, with its owner (§5.3) and its first call.

    The owner is the fee collector of the referring student (``referred_by_id``); with none
    (a staff referrer, no referrer recorded, a student with no consultant) the lead stays
    unowned and its callback, nobody's, puts it on the supervisor's list to assign."""
    from desk.dal import followups as followups_dal
    from desk.rules.followups import callback_due
    from desk.rules.rotation import route

    collector = fee_consultant(session, values.get("referred_by_id"))
    routing = route(values["channel"], fee_consultant=collector.name if collector else None)
    owner_id = collector.id if collector is not None and routing.owner == collector.name else None
    lead = leads_dal.new_lead(session, store, owner_id=owner_id, **values)
    followups_dal.create(session, store, "callback", owner_id, callback_due(store.now()), lead_id=pk(lead), note=note)
    return lead


# ----- adding a row -------------------------------------------------------------------------------
def read_education(text: str | None) -> str:
    """An education level typed as its code or its Chinese word; empty is ``unknown``."""
    from desk.rules.leads import EDUCATION

    raw = _SPACES.sub("_", (text or "").strip().lower())
    if not raw:
        return "unknown"
    level = raw if raw in EDUCATION else _EDUCATION_WORDS.get(raw)
    if level is None:
        raise FieldError("education", "registers.err_education", value=(text or "").strip())
    return level


def add_referral(
    store: Store,
    *,
    channel: str,
    name: str,
    phone: str,
    course_interest: str = "",
    referrer_lead_id: int | None = None,
    referrer_staff_id: int | None = None,
    age: int | None = None,
    education: str = "unknown",
    notes: str = "",
    when: datetime | None = None,
    region: str = "CN",
) -> Added:
    """Register one referred (``referral``) or mined (``internal``) person, one write, audited.

    Exactly one referrer: a student (``referrer_lead_id``) or a teacher / staff member
    (``referrer_staff_id``). ``when`` is the first contact (now by default); ``notes`` go on the
    first call owed to them. Raises FieldError at the field and changes nothing on bad input."""
    from desk.dal.imports import course_interest as interest

    if channel not in CHANNELS:
        raise FieldError("channel", "registers.err_channel", value=channel)
    name, course, notes = name.strip(), course_interest.strip(), notes.strip()
    if not name:
        raise FieldError("name", "registers.err_name")
    for field, value in (("name", name), ("course", course), ("notes", notes)):
        if len(value) > MAX_TEXT:
            raise FieldError(field, "registers.err_too_long", max=MAX_TEXT)
    try:
        e164 = parse(phone, region).e164
    except PhoneError as err:
        raise FieldError("phone", err.code) from None
    if (referrer_lead_id is None) == (referrer_staff_id is None):
        raise FieldError("referrer", "registers.err_referrer_needed")
    if age is not None and not 5 <= age <= 100:
        raise FieldError("age", "followups.form.err_age_impossible", age=age)
    education = read_education(education)
    it_related, non_computer_only = interest(course)
    with store.write() as session:
        if referrer_staff_id is not None:
            person = session.get(Staff, referrer_staff_id)
            if person is None or not person.active:
                raise FieldError("referrer", "registers.err_referrer_unknown", name=str(referrer_staff_id))
        elif session.get(Lead, referrer_lead_id) is None:
            raise FieldError("referrer", "registers.err_referrer_unknown", name=str(referrer_lead_id))
        lead = leads_dal.find_by_phone(session, e164)
        if lead is not None and lead.id == referrer_lead_id:
            raise FieldError("referrer", "registers.err_referrer_self")
        facts = {"name": name, "course_interest": course or None, "age": age, "education": education,
                 "it_related": it_related, "non_computer_only": non_computer_only}
        if lead is None:
            lead = new_lead(
                session, store, note=notes or None, phone=e164, channel=channel, referred_by_id=referrer_lead_id,
                referred_by_staff_id=referrer_staff_id, first_contact_at=when or store.now(), **facts)
            new = True
        else:
            if lead.referred_by_id is None and lead.referred_by_staff_id is None:
                facts.update(referred_by_id=referrer_lead_id, referred_by_staff_id=referrer_staff_id)
            leads_dal.merge_into(session, store, lead, facts)
            new = False
        verdict = leads_dal.evaluate(session, store, lead)
        owner = session.get(Staff, lead.owner_id) if lead.owner_id is not None else None
        return Added(pk(lead), lead.name or "", e164, new, owner.name if owner else None, verdict.valid,
                     tuple(verdict.reasons))


# ----- the registers ------------------------------------------------------------------------------
def referral_register(store: Store, first: date, last: date | None = None) -> list[RegisterRow]:
    """The referral register (老师同学推荐) of a day or a range of days, in time order."""
    return _register(store, "referral", first, last or first)


def internal_register(store: Store, first: date, last: date | None = None) -> list[RegisterRow]:
    """The internal register (内部挖掘) of a day or a range of days, in time order."""
    return _register(store, "internal", first, last or first)


def _register(store: Store, channel: str, first: date, last: date) -> list[RegisterRow]:
    start, end = store.day_bounds(first)[0], store.day_bounds(last)[1]
    owner, by_staff, student = aliased(Staff), aliased(Staff), aliased(Lead)
    with store.read() as session:
        rows = session.execute(  # SQLAlchemy's select: SQLModel's is typed for four columns at most
            sa.select(col(Lead.id), col(Lead.first_contact_at), col(Lead.name), col(Lead.phone), col(Lead.course_interest),
                      col(student.name), col(by_staff.name), col(by_staff.role), col(owner.name), col(Lead.valid))
            .join(student, col(student.id) == col(Lead.referred_by_id), isouter=True)
            .join(by_staff, col(by_staff.id) == col(Lead.referred_by_staff_id), isouter=True)
            .join(owner, col(owner.id) == col(Lead.owner_id), isouter=True)
            .where(col(Lead.channel) == channel, col(Lead.first_contact_at) >= start, col(Lead.first_contact_at) < end,
                   leads_dal.LIVE)
            .order_by(col(Lead.first_contact_at), col(Lead.id))
        ).all()
    out = []
    for id_, at, name, phone, course, student_name, staff_name, role, owner_name, valid in rows:
        referrer: str | None
        kind: str | None
        if staff_name is not None:
            referrer, kind = staff_name, "teacher" if role in _TEACHER_ROLES else "staff"
        else:
            referrer, kind = student_name, "student" if student_name is not None else None
        out.append(RegisterRow(id_, at, name or "", phone, course, referrer, kind, owner_name, valid))
    return out


def credit(session: Session, start: datetime, end: datetime) -> list[tuple[str, str, int, int]]:
    """Referrals per referrer (§6.3, the month report): (referrer, kind, people they introduced
    whose first contact is in [start, end), of them enrolled by ``end``), most referrals first."""
    enrolled = sa.exists().where(col(Enrollment.lead_id) == col(Lead.id), col(Enrollment.enrolled_at) < end)
    in_range = (col(Lead.first_contact_at) >= start) & (col(Lead.first_contact_at) < end) & leads_dal.LIVE
    student = aliased(Lead)
    by_student = session.execute(
        sa.select(col(student.name), col(student.id), func.count(), func.sum(sa.case((enrolled, 1), else_=0)))
        .select_from(Lead).join(student, col(student.id) == col(Lead.referred_by_id))
        .where(in_range).group_by(col(student.id), col(student.name))
    ).all()
    # the period's leads grouped by their referrer first, then the referrers named: joined in
    # one go, SQLite read the staff list first and the period's leads again for each person
    per_staff = (
        sa.select(col(Lead.referred_by_staff_id).label("staff_id"), func.count().label("n"),
                  func.sum(sa.case((enrolled, 1), else_=0)).label("won"))
        .where(in_range, col(Lead.referred_by_id).is_(None), col(Lead.referred_by_staff_id).is_not(None))
        .group_by(col(Lead.referred_by_staff_id))
        .subquery()
    )
    by_staff = session.execute(
        sa.select(col(Staff.name), col(Staff.role), per_staff.c.n, per_staff.c.won)
        .join(per_staff, per_staff.c.staff_id == col(Staff.id))
    ).all()
    rows = [(name or "", "student", n, int(won or 0)) for name, _id, n, won in by_student]
    rows += [(name, "teacher" if role in _TEACHER_ROLES else "staff", n, int(won or 0)) for name, role, n, won in by_staff]
    return sorted(rows, key=lambda r: (-r[2], -r[3], r[0], r[1]))
