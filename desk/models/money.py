"""Outcomes that carry money or a date: trials, enrollments, payments and refunds.

Amounts are integer fen (1/100 yuan): exact sums on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from desk.models.types import AwareDateTime, utcnow

PAYMENT_KINDS = ("initial", "balance", "refund")


class Trial(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(foreign_key="lead.id", index=True)
    consultant_id: int | None = Field(default=None, foreign_key="staff.id")
    course: str | None = Field(default=None, max_length=200)
    booked_for: datetime = Field(sa_type=AwareDateTime, index=True)
    attended: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class Enrollment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(foreign_key="lead.id", index=True)
    consultant_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    course: str = Field(max_length=200)
    amount_fen: int  # the tuition agreed
    balance_due_on: date | None = None
    enrolled_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, index=True)


class Payment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    enrollment_id: int = Field(foreign_key="enrollment.id", index=True)
    kind: str = Field(max_length=16)
    amount_fen: int  # always positive; a refund's kind says which way the money went
    reason: str | None = None
    paid_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
