"""Outdoor promotion (docs/domain.md §6.2): street promotions, campus talks, job fairs and events,
who ran them, and the leads collected at each.

A lead keeps its own channel and owner; ``OutreachContact`` links it to the activity where
its contact details were taken. ``new_lead`` tells whether the activity brought the person
in: a phone desk already knew is linked (the same person is the same lead, docs/domain.md §4.1) but is
not a new contact for the daily targets (docs/domain.md §7.5).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from desk.models.types import AwareDateTime, utcnow
from desk.rules.outreach import KINDS

OUTREACH_KINDS = KINDS


class Outreach(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=24)
    day: date = Field(index=True)  # the center's local calendar day it took place
    place: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="staff.id")


class OutreachStaff(SQLModel, table=True):
    """One of the people who ran an activity: each is judged on their own contacts."""

    __tablename__ = "outreach_staff"
    __table_args__ = (UniqueConstraint("outreach_id", "staff_id", name="uq_outreach_staff_once"),)

    id: int | None = Field(default=None, primary_key=True)
    outreach_id: int = Field(foreign_key="outreach.id", index=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)


class OutreachContact(SQLModel, table=True):
    """A lead whose contact details were collected at an activity, and by whom."""

    __tablename__ = "outreach_contact"
    __table_args__ = (UniqueConstraint("outreach_id", "lead_id", name="uq_outreach_contact_once"),)

    id: int | None = Field(default=None, primary_key=True)
    outreach_id: int = Field(foreign_key="outreach.id", index=True)
    lead_id: int = Field(foreign_key="lead.id", index=True)
    collector_id: int = Field(foreign_key="staff.id", index=True)
    new_lead: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
