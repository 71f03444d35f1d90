"""Consult notes: the record a consultant fills after a phone or face-to-face consult."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from desk.models.types import AwareDateTime, utcnow

NOTE_KINDS = ("phone", "face_to_face")
INTENT_LEVELS = ("high", "medium", "low", "none")


class ConsultNote(SQLModel, table=True):
    __tablename__ = "consult_note"

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(foreign_key="lead.id", index=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    kind: str = Field(max_length=16)
    call_id: int | None = Field(default=None, foreign_key="call.id")
    visit_id: int | None = Field(default=None, foreign_key="visit.id")
    # The phone system's reference of the consult call's recording (docs/domain.md §2.8).
    recording_ref: str | None = Field(default=None, max_length=200)
    asked: str | None = None
    objections: str | None = None
    intent: str | None = Field(default=None, max_length=8)
    promised_visit_on: date | None = Field(default=None, index=True)  # the sweep reads the last 60 days' promises
    callback_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    next_step: str | None = None
    text: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, index=True)
