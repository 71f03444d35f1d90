"""The audit trail: who changed what, when. Every write of the data layer adds a row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from desk.models.types import AwareDateTime, utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit"
    # A row's history by action: the reports read the "reassign" rows of a period's leads
    # (desk.dal.reports.lead_owner_then) without scanning the audit since the period began.
    __table_args__ = (Index("ix_audit_action_row", "action", "table_name", "row_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, index=True)
    actor_id: int | None = Field(default=None, foreign_key="staff.id")
    action: str = Field(max_length=32)  # create / update / delete / reassign / state ...
    table_name: str = Field(max_length=32)
    row_id: int | None = None
    changes: str = Field(default="{}")  # JSON: {field: [old, new]} or the created row
    reason: str | None = None
    # sha256 of the previous row's hash and this row's fields (desk.rules.audit_chain), set by
    # Store.write before it commits: editing or deleting a row in the file breaks the chain.
    hash: str | None = Field(default=None, max_length=64)
