"""The audit trail: who changed what, when. Every write of the data layer adds a row."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from desk.models.types import AwareDateTime, utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, index=True)
    actor_id: int | None = Field(default=None, foreign_key="staff.id")
    action: str = Field(max_length=32)  # create / update / delete / reassign / state ...
    table_name: str = Field(max_length=32)
    row_id: int | None = None
    changes: str = Field(default="{}")  # JSON: {field: [old, new]} or the created row
    reason: str | None = None
