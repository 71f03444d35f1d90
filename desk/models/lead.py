"""Leads (咨询者): people who may enroll, with the facts the validity rules read."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from desk.models.types import AwareDateTime, code_point_string, utcnow
from desk.rules.leads import CHANNELS, EDUCATION  # noqa: F401  (re-exported)

EDUCATIONS = tuple(EDUCATION)
# How far a lead has come; "student" once enrolled.
STAGES = ("lead", "visited", "trial", "student", "refunded")


class Lead(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(default="", sa_type=code_point_string(200), index=True)
    # E.164 (+8613812345678), one rule for every number desk stores; None when withheld.
    phone: str | None = Field(default=None, index=True, unique=True, max_length=32)
    # Search keys for caller lookup, kept by the data layer on every write: the national
    # digits of the phone, the name's full pinyin ("zhangwei") and its initials ("zw"). They and
    # the name are searched by prefix ranges, so they compare by code point on every backend.
    phone_digits: str | None = Field(default=None, index=True, sa_type=code_point_string(32))
    name_pinyin: str | None = Field(default=None, index=True, sa_type=code_point_string(400))
    name_initials: str | None = Field(default=None, index=True, sa_type=code_point_string(100))
    # A name whose surname has its own reading (曾 "zeng", everyday "ceng") is keyed by the
    # surname reading above and by pypinyin's everyday reading here (None for other names),
    # so it is found by either (desk.search_keys.name_readings).
    name_pinyin_other: str | None = Field(default=None, index=True, sa_type=code_point_string(400))
    name_initials_other: str | None = Field(default=None, index=True, sa_type=code_point_string(100))
    age: int | None = None
    education: str = Field(default="unknown", max_length=32)
    school_or_job: str | None = Field(default=None, max_length=200)
    course_interest: str | None = Field(default=None, max_length=200)
    it_related: bool = False
    non_computer_only: bool = False
    media_source: str | None = Field(default=None, max_length=64)
    channel: str = Field(default="phone", max_length=16, index=True)
    stage: str = Field(default="lead", max_length=16)
    owner_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    collector_id: int | None = Field(default=None, foreign_key="staff.id")
    # Who introduced them (docs/domain.md §6.3): a student (a lead) or a teacher / staff member.
    referred_by_id: int | None = Field(default=None, foreign_key="lead.id", index=True)
    referred_by_staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    partner_id: int | None = Field(default=None, foreign_key="partner.id", index=True)
    # Set on a duplicate folded into another lead; its calls, visits, notes and money moved there.
    merged_into_id: int | None = Field(default=None, foreign_key="lead.id", index=True)
    # Facts the channel rules of docs/domain.md §4.3 need.
    has_contact: bool = False
    phone_contacted: bool = False
    brought_in_person: bool = False
    came_after_questionnaire: bool = False
    first_call_result: str = Field(default="connected", max_length=16)
    # The verdict of check_lead, stored with every failed reason code (JSON list).
    valid: bool | None = None
    validity_reasons: str = Field(default="[]")
    counted_as: str | None = Field(default=None, max_length=16)
    # A consultant's mark ("repeat" / "invalid") waiting for the receptionist's check.
    flag: str | None = Field(default=None, max_length=16)
    flag_checked: bool = False
    # The check's verdict ("upheld": the mark stands; "overruled"), who made it, when, and why.
    flag_verdict: str | None = Field(default=None, max_length=16)
    flag_checked_at: datetime | None = Field(default=None, sa_type=AwareDateTime, index=True)
    flag_checked_by_id: int | None = Field(default=None, foreign_key="staff.id")
    flag_check_note: str | None = None
    first_contact_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
