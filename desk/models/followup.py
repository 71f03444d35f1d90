"""Follow-ups (回访): the consultant's and manager's queue of things owed to a person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from desk.models.types import AwareDateTime, utcnow
from desk.rules.followups import FollowUpKind

FOLLOW_UP_KINDS = tuple(kind.value for kind in FollowUpKind)
RESULTS = ("reached", "not_reached", "rescheduled", "closed")


class FollowUp(SQLModel, table=True):
    __tablename__ = "follow_up"
    # The queue reads open rows (done_at NULL) in due order, everyone's or one owner's: these
    # give it the first page and the overdue/today/upcoming counts without a sort.
    __table_args__ = (
        Index("ix_follow_up_open_due", "done_at", "due_at"),
        Index("ix_follow_up_owner_open_due", "owner_id", "done_at", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=24, index=True)
    owner_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    lead_id: int | None = Field(default=None, foreign_key="lead.id", index=True)
    call_id: int | None = Field(default=None, foreign_key="call.id")
    visit_id: int | None = Field(default=None, foreign_key="visit.id")
    enrollment_id: int | None = Field(default=None, foreign_key="enrollment.id")
    due_at: datetime = Field(sa_type=AwareDateTime, index=True)
    done_at: datetime | None = Field(default=None, sa_type=AwareDateTime, index=True)
    result: str | None = Field(default=None, max_length=16)
    result_note: str | None = None
    note: str | None = None  # what is owed: the message taken, the complaint, the promise
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
