"""Lectures and their bookings (docs/domain.md §3.3 ``lecture_attendee``, §7.4 ``lecture_follow_up``).

A lecture is planned with a start and a topic. People are booked ahead — a known lead, or a
new person who becomes a lead with the channel they came through — by the receptionist or by
a consultant on the phone; the booking keeps who booked them. At the door the booking is
marked attended by registering the ``lecture_attendee`` visit through
:func:`desk.dal.visits.register`, so an arrival sets off everything a walk-in check-in does
(the visit row, the lead update, the follow-up due the next working day). A booking still not
attended once the lecture's day is over is a no-show: nothing needs to mark it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import case, col, func, select

from desk.dal import leads as leads_dal
from desk.dal import referrals as referrals_dal
from desk.dal.ids import pk
from desk.dal.store import Store, existing
from desk.errors import FieldError
from desk.models import Lead, Lecture, LectureBooking, Staff
from desk.rules.leads import CHANNELS

# How far back the lectures screen looks; older lectures are history for the reports.
HISTORY_DAYS = 60
TOPIC_MAX = 200


@dataclass(frozen=True)
class LectureRow:
    id: int
    starts_at: datetime
    topic: str
    booked: int
    attended: int
    state: str  # upcoming / today / past


@dataclass(frozen=True)
class BookingRow:
    id: int
    lead_id: int
    name: str
    phone: str | None
    booked_by: str | None
    booked_at: datetime | None
    status: str  # booked / attended / no_show
    owner_id: int | None = None  # whose lead, and who booked them: who see the number in full (issue 14)
    booked_by_id: int | None = None


def state_of(store: Store, starts_at: datetime) -> str:
    """``today`` all through the lecture's day (late arrivals still check in), then ``past``."""
    day, today = store.local(starts_at).date(), store.today()
    return "today" if day == today else ("past" if day < today else "upcoming")


def create_lecture(store: Store, starts_at: datetime, topic: str) -> Lecture:
    """A new lecture. Earlier today is allowed (it may be under way); an earlier day is a typo."""
    if store.local(starts_at).date() < store.today():
        raise FieldError("when", "lectures.err_when_past", day=store.local(starts_at).strftime("%Y-%m-%d"))
    topic = topic.strip()
    if not topic:
        raise FieldError("topic", "lectures.err_topic")
    if len(topic) > TOPIC_MAX:
        raise FieldError("topic", "lectures.err_topic_long", n=TOPIC_MAX)
    with store.write() as session:
        lecture = Lecture(starts_at=starts_at, topic=topic)
        session.add(lecture)
        store.audit(session, "create", lecture)
        return lecture


def lectures(store: Store, *, days_back: int = HISTORY_DAYS, upcoming_only: bool = False) -> list[LectureRow]:
    """Lectures from ``days_back`` days ago on (or from today on), soonest first, with counts."""
    start, _ = store.day_bounds(store.today() - timedelta(days=0 if upcoming_only else days_back))
    return _rows(store, col(Lecture.starts_at) >= start)


def today(store: Store) -> list[LectureRow]:
    """The lectures someone can check in to at the door now."""
    start, end = store.day_bounds(store.today())
    return _rows(store, (col(Lecture.starts_at) >= start) & (col(Lecture.starts_at) < end))


def _rows(store: Store, condition) -> list[LectureRow]:
    with store.read() as session:
        rows = session.exec(
            select(Lecture, func.count(col(LectureBooking.id)), func.sum(case((col(LectureBooking.attended) == True, 1), else_=0)))  # noqa: E712
            .join(LectureBooking, col(LectureBooking.lecture_id) == col(Lecture.id), isouter=True)
            .where(condition).group_by(col(Lecture.id)).order_by(col(Lecture.starts_at), col(Lecture.id))
        ).all()
    return [LectureRow(pk(lec), lec.starts_at, lec.topic, booked, attended or 0, state_of(store, lec.starts_at))
            for lec, booked, attended in rows]


def get(store: Store, lecture_id: int) -> LectureRow:
    with store.read() as session:
        existing(session, Lecture, lecture_id)
    (row,) = _rows(store, col(Lecture.id) == lecture_id)
    return row


def bookings(store: Store, lecture_id: int) -> list[BookingRow]:
    """Everyone booked for the lecture, by name, with who booked them and whether they came."""
    with store.read() as session:
        lecture = existing(session, Lecture, lecture_id)
        rows = session.exec(
            select(LectureBooking, Lead, col(Staff.name)).join(Lead, col(Lead.id) == col(LectureBooking.lead_id))
            .join(Staff, col(Staff.id) == col(LectureBooking.booked_by_id), isouter=True)
            .where(col(LectureBooking.lecture_id) == lecture_id).order_by(col(Lead.name_pinyin), col(Lead.name), col(LectureBooking.id))
        ).all()
    over = state_of(store, lecture.starts_at) == "past"
    return [
        BookingRow(pk(b), pk(lead), lead.name, lead.phone, booker, b.booked_at,
                   "attended" if b.attended else ("no_show" if over else "booked"), lead.owner_id, b.booked_by_id)
        for b, lead, booker in rows
    ]


def booked_for(store: Store, lead_id: int) -> set[int]:
    """The lectures this lead is booked for (the note form's dialog marks them)."""
    with store.read() as session:
        return set(session.exec(select(col(LectureBooking.lecture_id)).where(col(LectureBooking.lead_id) == lead_id)).all())


def book(
    store: Store, lecture_id: int, *, lead_id: int | None = None, name: str = "", phone: str | None = None,
    channel: str = "phone",
) -> tuple[LectureBooking, Lead]:
    """Book a known lead (``lead_id``), or a person by phone (E.164, already read) and name:
    a known phone is that lead, an unknown person becomes a lead of ``channel``.

    Refused at the field: a lecture already over, a person booked twice, a new person with
    no name, an unknown channel."""
    now = store.now()
    with store.write() as session:
        lecture = session.get(Lecture, lecture_id)
        if lecture is None:
            raise FieldError("lecture", "lectures.err_lecture")
        if lecture.starts_at < now:
            raise FieldError("lecture", "lectures.err_past", when=store.local(lecture.starts_at).strftime("%m-%d %H:%M"))
        lead = session.get(Lead, lead_id) if lead_id is not None else leads_dal.find_by_phone(session, phone)
        if lead is None:
            if lead_id is not None:
                raise FieldError("who", "lectures.err_who")
            if not name.strip():
                raise FieldError("name", "lectures.err_name")
            if channel not in CHANNELS:
                raise FieldError("channel", "lectures.err_channel")
            # a referral / internal lead is owned as the registers' are (§5.3): unowned here, as
            # the booking names no referrer, so its first call puts it on the supervisor's list
            make = referrals_dal.new_lead if channel in referrals_dal.CHANNELS else leads_dal.new_lead
            lead = make(session, store, name=name.strip(), phone=phone, channel=channel)
            session.flush()
        elif name.strip():
            leads_dal.merge_into(session, store, lead, {"name": name.strip()})
        twice = session.exec(
            select(col(LectureBooking.id)).where(col(LectureBooking.lecture_id) == lecture_id, col(LectureBooking.lead_id) == lead.id)
        ).first()
        if twice is not None:
            raise FieldError("who", "lectures.err_twice", name=lead.name or phone or "")
        booking = LectureBooking(lecture_id=lecture_id, lead_id=pk(lead), booked_by_id=store.actor_id, booked_at=now)
        session.add(booking)
        try:
            store.audit(session, "create", booking)
        except IntegrityError:  # booked from another desk a moment ago: the unique index
            raise FieldError("who", "lectures.err_twice", name=lead.name or phone or "") from None
        return booking, lead


def _booking(session, booking_id: int) -> LectureBooking:
    """The booking, or a message for the screen: it may have been cancelled at another desk."""
    booking = session.get(LectureBooking, booking_id)
    if booking is None:
        raise FieldError("booking", "lectures.err_gone")
    return booking


def cancel(store: Store, booking_id: int) -> None:
    """Take a booking back; one already attended is history and stays."""
    with store.write() as session:
        booking = _booking(session, booking_id)
        if booking.attended:
            raise FieldError("booking", "lectures.err_cancel_attended")
        store.audit(session, "delete", booking)
        session.delete(booking)


def arrive(store: Store, booking_id: int, lang: str = "en", config=None):
    """A booked person is at the door: register their ``lecture_attendee`` visit (which marks
    the booking attended and owes the follow-up). Returns the visit's ``Registered``."""
    from desk.dal import visits as visits_dal

    with store.read() as session:
        booking = _booking(session, booking_id)
    return visits_dal.register(
        store, visits_dal.VisitInput(visitor_type="lecture_attendee", lead_id=booking.lead_id, lecture_id=booking.lecture_id),
        lang, config,
    )
