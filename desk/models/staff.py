"""Staff: everyone a call or a visitor can be for, and the consultants who take leads."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from desk.models.types import AwareDateTime, utcnow
from desk.rules.calls import ROLES  # noqa: F401  (re-exported: the rules own the roles)

CONSULTANT_STATES = ("free", "on_call", "with_visitor", "away", "off_duty")
# Who decides what the rules leave open (docs/domain.md §5.4): refunds, complaints, reassigning a lead;
# they see everyone's queues.
MANAGER_ROLES = ("manager", "principal")


class Staff(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=64)
    english_name: str | None = Field(default=None, max_length=64)
    role: str = Field(max_length=32)
    extension: str | None = Field(default=None, max_length=16)
    # Consultants only: the live state shown on the board and used by the rotation.
    state: str = Field(default="off_duty", max_length=16)
    # Fixed rotation order (docs/domain.md §5.1): ties are broken by this position.
    rotation_position: int | None = Field(default=None)
    on_duty: bool = Field(default=False)
    # A new consultant has the lower monthly target (docs/domain.md §10.2).
    is_new: bool = Field(default=False)
    active: bool = Field(default=True)
    # The salted scrypt hash of the person's PIN (desk.pins), never the PIN; None: not set.
    pin_hash: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
