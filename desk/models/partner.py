"""Channel partners (渠道): the schools, agencies and companies that send students.

A partner is picked on a call, a visit or a lead from a list that grows as it is used
(docs/domain.md §6.4), so a name is stored once and every report can break figures down by it.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from desk.models.types import AwareDateTime, code_point_string, utcnow

PARTNER_KINDS = ("school", "agency", "company", "other")


class Partner(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=code_point_string(100), unique=True, index=True)
    kind: str = Field(default="other", max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
