"""Rotation assignments: one row each time a pool's rotation (or duty) gave someone a lead."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from desk.models.types import AwareDateTime, utcnow

POOLS = ("walk_in", "phone", "market")


class RotationAssignment(SQLModel, table=True):
    __tablename__ = "rotation_assignment"

    id: int | None = Field(default=None, primary_key=True)
    pool: str = Field(max_length=16)
    staff_id: int = Field(foreign_key="staff.id")
    day: date = Field(index=True)  # the center's local calendar day
    assigned_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    lead_id: int | None = Field(default=None, foreign_key="lead.id")
    call_id: int | None = Field(default=None, foreign_key="call.id")
    visit_id: int | None = Field(default=None, foreign_key="visit.id")
    on_duty: bool = False
