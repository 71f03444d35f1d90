"""Consultants' levels and QA reviews: the manager's records behind the month-end (docs/domain.md §11)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from desk.models.types import AwareDateTime, utcnow

LEVEL_STATUSES = ("new", "regular", "demoted")


class LevelRecord(SQLModel, table=True):
    """One decision on a consultant's level (6 → 1) and status: the newest row is the current
    one, the older ones are the history. The proposed level (by the 3-month ranking) is kept
    beside the recorded one, so an override shows as one."""

    __tablename__ = "level_record"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    level: int
    status: str = Field(default="regular", max_length=16)
    proposed_level: int | None = None
    # The manager's judgement on what the ranking cannot tell (JSON): exams passed, can host
    # lectures, can train others.
    criteria: str = Field(default="{}")
    note: str | None = None
    decided_by_id: int | None = Field(default=None, foreign_key="staff.id")
    decided_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, index=True)


class QaReview(SQLModel, table=True):
    """A reviewer's score of one consult (a call with its recording, or a face-to-face note)
    against the rubric of data/rules/qa_rubric.toml (desk.rules.qa)."""

    __tablename__ = "qa_review"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)  # the consultant reviewed
    reviewer_id: int = Field(foreign_key="staff.id")
    call_id: int | None = Field(default=None, foreign_key="call.id", index=True)
    note_id: int | None = Field(default=None, foreign_key="consult_note.id", index=True)
    consult_at: datetime = Field(sa_type=AwareDateTime, index=True)  # when the consult was: the month it counts in
    # What the reviewer ticked (JSON): {"faults": [...], "bonuses": [...], "fatal": [...],
    # "comments": {fault: text}}; the scores follow from them by the rubric.
    marks: str = Field(default="{}")
    items: str = Field(default="{}")  # JSON {item: points}
    bonus: int = 0
    total: int = 0
    fatal: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
