"""Leads that reach the demo center by neither phone nor door: online forms, market lists,
outdoor activities (with their forms) and referrals by students.

They matter to the reports, which count leads by channel and outdoor activities by kind; none
of them passes the front desk, so each only makes a lead, assigns it and starts its story.
"""

from __future__ import annotations

from datetime import datetime

from desk.demo.context import DemoContext
from desk.demo.followups import FollowUps
from desk.demo.people import People
from desk.demo.roster import Roster
from desk.i18n import t
from desk.models import Lead, Outreach, OutreachContact, OutreachStaff, Staff

# Outdoor activities (docs/domain.md §6.2): how often each kind, and where. Their leads' media source is
# the kind's Chinese name, as desk.dal.outreach gives it.
OUTREACH_KINDS = {"street_promotion": 5, "campus_talk": 2, "job_fair": 2, "event": 1}
OUTREACH_PLACES = {
    "street_promotion": ("人民广场地铁站C口", "万达广场", "大学城商业街", "火车站南广场"),
    "campus_talk": ("城市职业技术学院", "理工大学报告厅", "财经学院"),
    "job_fair": ("人才市场三楼", "会展中心春季招聘会", "大学生就业双选会"),
    "event": ("科技馆开放日", "社区职业规划沙龙"),
}


def outreach_source(kind: str) -> str:
    return t(f"outreach.kind_{kind}", "zh_CN")


class Channels:
    """Online, market, outdoor and referral leads, and the outdoor activities behind them."""

    def __init__(self, ctx: DemoContext, roster: Roster, people: People, followups: FollowUps) -> None:
        self.ctx = ctx
        self.roster = roster
        self.people = people
        self.followups = followups
        self.event_forms: list[tuple[Outreach, list[Staff], datetime]] = []

    def online(self, when: datetime) -> None:
        ctx, roster = self.ctx, self.roster
        consultant = roster.rotate("phone", roster.present)
        lead = self.people.new_lead(when, "online", consultant, phone_contacted=ctx.rng.random() < 0.8)
        lead.media_source = ctx.pick(["官网", "微信公众号", "小红书", "百度"])
        roster.assign("phone", consultant, when, lead=lead)
        self.followups.lead_story(lead, when)

    def market(self, when: datetime) -> None:
        ctx, roster = self.ctx, self.roster
        for _ in range(ctx.rng.randint(2, 5)):
            consultant = roster.rotate("market", roster.present)
            result = ctx.rng.choices(["connected", "powered_off", "suspended", "out_of_area", "unreachable"], weights=[70, 10, 5, 5, 10])[0]
            lead = self.people.new_lead(when, "market", consultant, first_call_result=result, phone_contacted=result == "connected")
            lead.media_source = "招聘网站"
            roster.assign("market", consultant, when, lead=lead)
            if result == "connected":
                self.followups.lead_story(lead, when)

    def outdoor(self, when: datetime) -> None:
        ctx = self.ctx
        collector = ctx.pick(self.roster.present)
        known = [lead for lead in self.people.leads[-200:] if lead.channel != "outdoor"]
        collected = []
        for _ in range(ctx.rng.randint(1, 4)):
            brought = ctx.rng.random() < 0.3
            lead = self.people.new_lead(when, "outdoor", collector, collector_id=collector.id, brought_in_person=brought,
                                        came_after_questionnaire=not brought and ctx.rng.random() < 0.4)
            lead.media_source = ctx.pick(["校园讲座", "招聘会", "街头推广"])
            collected.append(lead)
            self.followups.lead_story(lead, when)
        self.outreach(when, collector, collected, known)

    def outreach(self, when: datetime, collector: Staff, collected: list[Lead], known: list[Lead]) -> None:
        """The activity the outdoor leads were collected at (docs/domain.md §6.2), sometimes run with a
        second consultant, now and then meeting a person desk already knew (linked, not new)."""
        ctx = self.ctx
        rng = ctx.outreach_rng
        kind = rng.choices(list(OUTREACH_KINDS), weights=list(OUTREACH_KINDS.values()))[0]
        for lead in collected:
            lead.media_source = outreach_source(kind)
        recorder = collector if kind == "street_promotion" else self.roster.by_role["events_officer"][0]
        activity = ctx.add(Outreach(kind=kind, day=when.date(), place=rng.choice(OUTREACH_PLACES[kind]), created_at=when,
                                    created_by_id=recorder.id))
        runners = [collector]
        others = [c for c in self.roster.present if c is not collector]
        if others and rng.random() < 0.4:
            runners.append(rng.choice(others))
        for person in runners:
            ctx.add(OutreachStaff(outreach_id=activity.id, staff_id=person.id))
        for lead in collected:
            ctx.add(OutreachContact(outreach_id=activity.id, lead_id=lead.id, collector_id=collector.id, new_lead=True, created_at=when))
        if known and rng.random() < 0.3:
            ctx.add(OutreachContact(outreach_id=activity.id, lead_id=rng.choice(known).id, collector_id=runners[-1].id,
                                    new_lead=False, created_at=when))
        if kind != "street_promotion":
            self.event_forms.append((activity, runners, when))

    def collect_forms(self) -> None:
        """A fair or a talk brings a stack of forms (docs/domain.md §7.5: 10+ per event). They are typed
        in after the simulation, from the outreach stream, so every other row of the seed stays
        as it was; like any contact just collected, they have no story and no verdict yet."""
        ctx = self.ctx
        with ctx.drawing_from(ctx.outreach_rng):
            for activity, runners, when in self.event_forms:
                for person in runners:
                    for _ in range(ctx.rng.randint(3, 11)):
                        lead = self.people.new_lead(when, "outdoor", person, collector_id=person.id,
                                                    came_after_questionnaire=ctx.rng.random() < 0.2)
                        lead.media_source = outreach_source(activity.kind)
                        ctx.add(OutreachContact(outreach_id=activity.id, lead_id=lead.id, collector_id=person.id,
                                                new_lead=True, created_at=when))

    def referral(self, when: datetime, channel: str | None = None) -> None:
        """A student's friend (referral) or a student's further need (internal); ``channel``
        chooses which, else the dice do."""
        ctx = self.ctx
        referrer = ctx.pick(self.people.students)
        enrollment_owner = self.roster.staff_by_id(referrer.owner_id)
        if channel is None:
            channel = "referral" if ctx.rng.random() < 0.7 else "internal"
        lead = self.people.new_lead(when, channel, enrollment_owner, referred_by_id=referrer.id)
        lead.media_source = "老学员推荐" if channel == "referral" else "学员二次需求"
        teachers = self.roster.by_role.get("teacher", []) + self.roster.by_role.get("head_teacher", [])
        if channel == "referral" and teachers and ctx.referrer_rng.random() < 0.25:
            # A teacher introduced them (老师推荐): no student's fee-collector, so the
            # supervisor gave the lead to the consultant the student's would have had.
            lead.referred_by_id = None
            lead.referred_by_staff_id = ctx.referrer_rng.choice(teachers).id
            lead.media_source = "老师推荐"
        self.followups.lead_story(lead, when)
