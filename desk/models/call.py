"""Calls: every phone call the front desk answered; the phone register is a view of them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from desk.models.types import AwareDateTime, utcnow
from desk.rules.calls import CallType

CALL_TYPES = tuple(call_type.value for call_type in CallType)
OUTCOMES = (
    "transferred",
    "message_taken",
    "message_refused",
    "declined",
    "directions_given",
    "escalated",
    "hung_up",
    "handled",
)


class Call(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, index=True)
    ended_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    # E.164, or None when the number was withheld or could not be a phone number.
    caller_number: str | None = Field(default=None, index=True, max_length=32)
    caller_name: str | None = Field(default=None, max_length=200)
    words: str = Field(default="")  # what the caller said, as the receptionist typed it
    call_type: str = Field(max_length=24, index=True)
    outcome: str | None = Field(default=None, max_length=24)
    taken_by_id: int | None = Field(default=None, foreign_key="staff.id")
    to_staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    # Set when a free consultant took a repeat caller for an absent owner (docs/domain.md §2.5).
    on_behalf_of_id: int | None = Field(default=None, foreign_key="staff.id")
    lead_id: int | None = Field(default=None, foreign_key="lead.id", index=True)
    recording_ref: str | None = Field(default=None, max_length=200)
    partner_id: int | None = Field(default=None, foreign_key="partner.id", index=True)
    # Message taken (2.4) or screened caller's name and purpose (2.3).
    purpose: str | None = None
    best_time: str | None = Field(default=None, max_length=100)
    register_complete: bool = False
