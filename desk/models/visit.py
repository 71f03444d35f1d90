"""Visits (来访) and lectures: who came in, who received them, how long they waited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from desk.models.types import AwareDateTime, utcnow

VISITOR_TYPES = (
    "consult_walk_in",
    "repeat_walk_in",
    "accompanied",
    "group",
    "channel_proxy",
    "lecture_attendee",
    "enrolling_student",
    "refund_student",
    "business_visitor",
    "interviewee",
    "passer_by",
)


class Lecture(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    starts_at: datetime = Field(sa_type=AwareDateTime, index=True)
    topic: str = Field(max_length=200)


class LectureBooking(SQLModel, table=True):
    """One person booked for one lecture (once: the unique index), with who booked them."""

    __tablename__ = "lecture_booking"
    __table_args__ = (Index("ix_lecture_booking_once", "lecture_id", "lead_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    lecture_id: int = Field(foreign_key="lecture.id", index=True)
    lead_id: int = Field(foreign_key="lead.id", index=True)
    attended: bool = False
    # Who booked them and when (at the door: the receptionist who checked them in); None on
    # rows older than revision 0003.
    booked_by_id: int | None = Field(default=None, foreign_key="staff.id")
    booked_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class Visit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    arrived_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, index=True)
    visitor_type: str = Field(max_length=24)
    visitor_name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=32)
    lead_id: int | None = Field(default=None, foreign_key="lead.id", index=True)
    companions: str | None = Field(default=None, max_length=200)
    group_size: int = 1
    channel_name: str | None = Field(default=None, max_length=100)
    partner_id: int | None = Field(default=None, foreign_key="partner.id", index=True)
    course_interest: str | None = Field(default=None, max_length=200)
    # Who received them: a consultant, the manager, or the named person they came for.
    received_by_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    came_for: str | None = Field(default=None, max_length=100)
    lecture_id: int | None = Field(default=None, foreign_key="lecture.id")
    # Waiting list: set when nobody was free; until is when a consultant took them.
    waited_from: datetime | None = Field(default=None, sa_type=AwareDateTime)
    waited_until: datetime | None = Field(default=None, sa_type=AwareDateTime)
    left_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    taken_by_id: int | None = Field(default=None, foreign_key="staff.id")
