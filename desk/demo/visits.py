"""Visitors at the demo center's door: walk-ins received in rotation, other visitors, leads
coming back, and the face-to-face consultation that ends in an enrollment, a trial or a
follow-up.

The walk-ins screen shows who waited and for how long, so a walk-in arriving when every
consultant is busy waits for the one the rotation picks.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from desk.demo.context import DemoContext
from desk.demo.followups import FollowUps
from desk.demo.money import Money
from desk.demo.people import People
from desk.demo.roster import Roster
from desk.models import ConsultNote, Lead, Staff, Trial, Visit
from desk.search_keys import phone_digits

# Visitors that walk in unannounced; repeat visits, enrollments, refunds and lecture
# attendees are scheduled by the leads' own stories.
WALK_IN_WEIGHTS = {
    "consult_walk_in": 40,
    "accompanied": 12,
    "group": 4,
    "channel_proxy": 5,
    "business_visitor": 7,
    "interviewee": 3,
    "passer_by": 6,
}


class Visits:
    """Walk-ins, repeat visits and trials, with the consultation notes they leave."""

    def __init__(self, ctx: DemoContext, roster: Roster, people: People, followups: FollowUps, money: Money) -> None:
        self.ctx = ctx
        self.roster = roster
        self.people = people
        self.followups = followups
        self.money = money
        self._trials: dict[int, Trial] = {}

    def walk_in(self, when: datetime, visitor_type: str | None = None, phone: str | None = None) -> None:
        """Someone comes in: a prospect for the consultant in rotation (waiting if none is
        free), or a visitor of another kind."""
        ctx, roster = self.ctx, self.roster
        rng = ctx.rng
        visitor_type = visitor_type or ctx.weighted(WALK_IN_WEIGHTS)
        receptionist = roster.receptionist(when)
        if visitor_type in ("business_visitor", "interviewee", "passer_by"):
            return self.other_visitor(when, visitor_type)
        free = roster.available(when)
        waited_from = waited_until = None
        if free:
            consultant = roster.rotate("walk_in", free)
        else:
            consultant = roster.rotate("walk_in", roster.present)
            waited_from = when
            waited_until = max(when + timedelta(minutes=rng.randint(3, 10)), roster.busy_until.get(consultant.id, when))
            waited_until = min(waited_until, when + timedelta(minutes=35))
        channel_name = ctx.pick(ctx.data["sources"]["channels_for_proxy"]) if visitor_type == "channel_proxy" else None
        lead = self.people.new_lead(when, "walk_in", consultant, young=visitor_type == "accompanied")
        if phone:
            self.people.used_phones.discard(lead.phone[3:])
            lead.phone, lead.phone_digits = phone, phone_digits(phone)
        lead.media_source = "渠道推荐" if channel_name else lead.media_source
        partner_id = ctx.partner(channel_name, "agency", when) if channel_name else None
        lead.partner_id = partner_id
        lead.stage = "visited"
        start = waited_until or when
        visit = ctx.add(Visit(
            arrived_at=when, visitor_type=visitor_type, visitor_name=lead.name, phone=lead.phone, lead_id=lead.id,
            companions={"accompanied": ctx.pick(["妈妈", "爸爸", "朋友", "姐姐", "男朋友"]), "group": "同学"}.get(visitor_type),
            group_size=rng.randint(2, 4) if visitor_type == "group" else 1, partner_id=partner_id,
            course_interest=lead.course_interest, received_by_id=consultant.id, waited_from=waited_from,
            waited_until=waited_until, left_at=start + timedelta(minutes=rng.randint(25, 75)), taken_by_id=receptionist.id,
        ))
        roster.assign("walk_in", consultant, when, lead=lead, visit=visit)
        self.face_to_face(lead, consultant, visit)

    def other_visitor(self, when: datetime, visitor_type: str) -> None:
        """A business visitor, an interviewee, or a passer-by who may leave a number."""
        ctx, roster, people = self.ctx, self.roster, self.people
        receptionist = roster.receptionist(when)
        by_role = roster.by_role
        if visitor_type == "business_visitor":
            person = ctx.pick(by_role["principal"] + by_role["manager"] + by_role["media_officer"] + by_role["events_officer"])
            ctx.add(Visit(arrived_at=when, visitor_type=visitor_type, visitor_name=people.person_name() + "（合作方）",
                          received_by_id=person.id, came_for=person.name, left_at=when + timedelta(minutes=40), taken_by_id=receptionist.id))
        elif visitor_type == "interviewee":
            ctx.add(Visit(arrived_at=when, visitor_type=visitor_type, visitor_name=people.person_name(), phone=people.mobile(),
                          received_by_id=roster.manager.id, came_for="面试：咨询师岗位", left_at=when + timedelta(minutes=30),
                          taken_by_id=receptionist.id))
        else:
            gave_contact = ctx.rng.random() < 0.4
            lead = None
            if gave_contact:
                consultant = roster.rotate("walk_in", roster.present)
                lead = people.new_lead(when, "walk_in", consultant)
                lead.stage = "visited"
            visit = ctx.add(Visit(arrived_at=when, visitor_type=visitor_type, visitor_name=lead.name if lead else None,
                                  phone=lead.phone if lead else None, lead_id=lead.id if lead else None,
                                  received_by_id=receptionist.id, left_at=when + timedelta(minutes=10), taken_by_id=receptionist.id))
            if lead:
                roster.assign("walk_in", roster.staff_by_id(lead.owner_id), when, lead=lead, visit=visit)

    def walk_in_arrives(self, when: datetime, phone: str) -> None:
        """Story: a caller who asked the way comes in to consult."""
        self.walk_in(when, visitor_type="consult_walk_in", phone=phone)

    def repeat_visit(self, when: datetime, lead_id: int) -> None:
        """Story: a lead comes back, to their consultant if in today."""
        ctx, roster = self.ctx, self.roster
        lead = self.people.lead(lead_id)
        owner = roster.staff_by_id(lead.owner_id)
        receiver = roster.receiver_for(owner)
        visit = ctx.add(Visit(
            arrived_at=when, visitor_type="repeat_walk_in", visitor_name=lead.name, phone=lead.phone, lead_id=lead.id,
            course_interest=lead.course_interest, received_by_id=receiver.id, came_for=owner.name,
            left_at=when + timedelta(minutes=ctx.rng.randint(30, 80)), taken_by_id=roster.receptionist(when).id,
        ))
        self.face_to_face(lead, receiver, visit)

    def face_to_face(self, lead: Lead, consultant: Staff, visit: Visit) -> None:
        """The consultation and its note; it ends in an enrollment, a trial booked (a story)
        or a follow-up, now and then with the lead coming back to enroll."""
        ctx = self.ctx
        rng = ctx.rng
        notes = ctx.data["notes"]
        if lead.stage == "lead":
            lead.stage = "visited"
        self.roster.engage(consultant, visit.left_at or visit.arrived_at + timedelta(minutes=45))
        roll = rng.random()
        outcome = "enroll" if roll < 0.18 else "trial" if roll < 0.42 else "unpaid"
        ctx.add(ConsultNote(
            lead_id=lead.id, staff_id=consultant.id, kind="face_to_face", visit_id=visit.id,
            asked=ctx.pick(notes["asked"]), objections=ctx.pick(notes["objections"]) or None,
            intent={"enroll": "high", "trial": "high", "unpaid": rng.choice(["medium", "low", "medium"])}[outcome],
            next_step={"enroll": "已报名", "trial": "约试听课", "unpaid": ctx.pick(notes["next_steps"])}[outcome],
            text=f"{lead.school_or_job}，目标：{ctx.pick(['转行做设计', '找份坐办公室的工作', '提升学历和技能', '自己开网店', '进互联网公司'])}；"
                 f"倾向{ctx.pick(['周末班', '全日制', '晚班'])}",
            created_at=visit.left_at or visit.arrived_at,
        ))
        day = ctx.local_day(visit.arrived_at)
        if outcome == "enroll":
            self.money.enroll(lead, consultant, visit.left_at or visit.arrived_at)
        elif outcome == "trial":
            booked = ctx.at(ctx.working_day(day + timedelta(days=rng.randint(1, 5))), rng.choice((10, 14, 19)))
            trial = ctx.add(Trial(lead_id=lead.id, consultant_id=consultant.id, course=lead.course_interest,
                                  booked_for=booked, attended=False, created_at=visit.arrived_at))
            ctx.schedule(booked, "trial", trial_id=trial.id, lead_id=lead.id)
            self._trials[trial.id] = trial
        else:
            self.followups.create("unpaid_after_consult", consultant, ctx.at(ctx.working_day(day + timedelta(days=1)), 10),
                                  lead=lead, visit=visit, note="面谈未交费，跟进报名意向")
            if rng.random() < 0.25:
                ctx.schedule(ctx.at(ctx.working_day(day + timedelta(days=rng.randint(2, 10))), rng.randint(10, 19), rng.randrange(60)),
                             "enrolling", lead_id=lead.id)

    def trial(self, when: datetime, trial_id: int, lead_id: int) -> None:
        """Story: the trial lesson; most come, and half of those go on to enroll."""
        ctx = self.ctx
        trial = self._trials[trial_id]
        lead = self.people.lead(lead_id)
        trial.attended = ctx.rng.random() < 0.75
        if trial.attended:
            lead.stage = "trial" if lead.stage in ("lead", "visited") else lead.stage
            if ctx.rng.random() < 0.5:
                ctx.schedule(when + timedelta(hours=3) if ctx.rng.random() < 0.4 else
                             ctx.at(ctx.working_day(ctx.local_day(when) + timedelta(days=ctx.rng.randint(1, 6))), 15),
                             "enrolling", lead_id=lead.id)
