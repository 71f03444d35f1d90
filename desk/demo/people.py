"""The people who contact the demo center: their names and numbers, and the leads they become.

Kept apart from the channels that bring them in because every channel (calls, walk-ins,
outdoor activities, referrals) makes leads the same way, and the desk's search and duplicate
checks only make sense if no name or number repeats by accident.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from desk.demo.context import DemoContext
from desk.models import Call, Lead, Staff
from desk.rules.leads import check_lead
from desk.search_keys import name_keys, other_name_keys, phone_digits

EDUCATION_WEIGHTS = {
    "junior_high": 10,
    "high_school": 20,
    "vocational_high": 12,
    "technical_secondary": 10,
    "associate": 24,
    "bachelor": 18,
    "master": 2,
    "unknown": 4,
}


class People:
    """Names, mobile numbers and the leads of the build, with the students among them."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.used_phones: set[str] = set()
        self.used_names: set[str] = set()
        self.leads: list[Lead] = []
        self.students: list[Lead] = []
        self._by_id: dict[int, Lead] = {}
        media = ctx.data["sources"]["media"]
        self.media_names = [m for m, _ in media]
        self.media_weights = [w for _, w in media]

    def person_name(self, female: bool | None = None) -> str:
        ctx = self.ctx
        people = ctx.data["people"]
        for _ in range(20):
            if female is None:
                female = ctx.rng.random() < 0.5
            given = ctx.pick(people["given_female"] if female else people["given_male"])
            name = ctx.pick(people["surnames"]) + given
            if name not in self.used_names:
                break
        self.used_names.add(name)
        return name

    def mobile(self) -> str:
        ctx = self.ctx
        while True:
            number = ctx.pick(ctx.data["people"]["mobile_prefixes"]) + f"{ctx.rng.randrange(10**8):08d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return "+86" + number

    def new_lead(self, when: datetime, channel: str, owner: Staff | None, *, young: bool = False, **extra: Any) -> Lead:
        ctx = self.ctx
        rng = ctx.rng
        name = self.person_name()
        age = rng.randint(16, 19) if young else min(40, max(16, int(rng.gauss(23, 5))))
        background, education = ctx.pick(ctx.data["people"]["backgrounds"])
        if age < 18:
            background, education = ctx.pick([("初三毕业", "junior_high"), ("高中在读", "high_school"), ("职高在读", "vocational_high")])
        elif rng.random() < 0.25:
            education = ctx.weighted(EDUCATION_WEIGHTS)
        non_computer = rng.random() < 0.04
        course = ctx.pick(ctx.data["courses"]["non_it"]) if non_computer else ctx.pick(ctx.courses)[0]
        phone = self.mobile()
        full, initials = name_keys(name)
        other_full, other_initials = other_name_keys(name)
        lead = Lead(
            name=name,
            phone=phone,
            phone_digits=phone_digits(phone),
            name_pinyin=full,
            name_initials=initials,
            name_pinyin_other=other_full,
            name_initials_other=other_initials,
            age=age if rng.random() > 0.05 else None,
            education=education,
            school_or_job=background,
            course_interest=course,
            it_related=not non_computer,
            non_computer_only=non_computer,
            media_source=rng.choices(self.media_names, weights=self.media_weights)[0],
            channel=channel,
            owner_id=owner.id if owner else None,
            has_contact=True,
            first_contact_at=when,
            created_at=when,
            updated_at=when,
        )
        for key, value in extra.items():
            setattr(lead, key, value)
        ctx.add(lead)
        self.leads.append(lead)
        self._by_id[lead.id] = lead
        return lead

    def lead(self, lead_id: int) -> Lead:
        """The lead a scheduled story is about (stories carry ids, not rows)."""
        return self._by_id[lead_id]

    def enrolled(self, lead: Lead, when: datetime) -> None:
        """``lead`` is a student now: they may call the desk as one, complain or refer a friend."""
        lead.stage = "student"
        lead.updated_at = when
        self.students.append(lead)

    def _checked(self, lead: Lead, checkers: list[Staff]) -> None:
        """The receptionist's check of a consultant's mark, the next working morning (§4.5):
        mostly upheld, now and then overruled with her reason."""
        rng = self.ctx.check_rng
        upheld = rng.random() < 0.8
        lead.flag_verdict = "upheld" if upheld else "overruled"
        lead.flag_checked_at = lead.first_contact_at + timedelta(days=1, hours=rng.randint(0, 3))
        lead.flag_checked_by_id = rng.choice(checkers).id
        lead.flag_check_note = None if upheld else "录音里问的是电脑课程"

    def judge(self, checkers: list[Staff]) -> None:
        """Consultants' marks, the receptionists' (``checkers``) checks of them, and each lead's
        validity verdict (desk.rules.leads)."""
        ctx = self.ctx
        for lead in self.leads:
            doubtful = lead.non_computer_only or (lead.age is not None and lead.age < 18)
            if doubtful and ctx.rng.random() < 0.6:
                lead.flag = "invalid"
                lead.flag_checked = ctx.rng.random() < 0.5
                if lead.flag_checked:
                    self._checked(lead, checkers)
        recorded = {r.lead_id for r in ctx.rows if isinstance(r, Call) and r.recording_ref and r.lead_id}
        for lead in self.leads:
            verdict = check_lead(
                channel=lead.channel, age=lead.age, education=lead.education, it_related=lead.it_related,
                non_computer_only=lead.non_computer_only, has_recording=lead.id in recorded,
                has_contact=lead.has_contact, phone_contacted=lead.phone_contacted,
                brought_in_person=lead.brought_in_person, came_after_questionnaire=lead.came_after_questionnaire,
                first_call_result=lead.first_call_result,
                checked_invalid=lead.flag == "invalid" and lead.flag_verdict == "upheld",
            )
            lead.valid = verdict.valid
            lead.validity_reasons = json.dumps(list(verdict.reasons), ensure_ascii=False)
            lead.counted_as = verdict.counted_as
