"""Phone calls at the demo center's front desk, one method per call type, and the phone
consultations they lead to.

Each call type is triaged as the desk would (docs/domain.md §2): inquiries go to a free consultant in
rotation or become a callback, students and business callers are put through, complaints go
to the manager; so every screen that lists calls has its realistic share of each type.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from desk.demo.context import DemoContext
from desk.demo.followups import FollowUps
from desk.demo.people import People
from desk.demo.roster import Roster
from desk.models import Call, ConsultNote, Lead, Staff
from desk.search_keys import phone_digits

# How often each call type rings at a training center's front desk (mostly first inquiries).
CALL_WEIGHTS = {
    "first_inquiry": 36,
    "proxy_inquiry": 9,
    "repeat_inquiry": 13,
    "student": 10,
    "directions": 8,
    "business": 6,
    "screened": 6,
    "complaint": 2,
    "silent": 5,
    "other": 5,
}


class Calls:
    """The calls of the build: the row, the words the caller said, who took it and what followed."""

    def __init__(self, ctx: DemoContext, roster: Roster, people: People, followups: FollowUps) -> None:
        self.ctx = ctx
        self.roster = roster
        self.people = people
        self.followups = followups

    def ring(self, when: datetime) -> None:
        """A call comes in: its type by weight (a repeat or a student needs someone known first)."""
        call_type = self.ctx.weighted(CALL_WEIGHTS)
        if call_type == "repeat_inquiry" and not self.people.leads:
            call_type = "first_inquiry"
        if call_type == "student" and not self.people.students:
            call_type = "other"
        getattr(self, f"call_{call_type}")(when)

    # ---- the row ----------------------------------------------------------------------
    def words(self, call_type: str, **names: str) -> str:
        """What the caller said first, from the call type's phrases in demo.toml."""
        ctx, by_role = self.ctx, self.roster.by_role
        course = ctx.pick(ctx.courses)[0]
        values = {
            "course": course,
            "consultant": ctx.pick(self.roster.consultants).name,
            "teacher": ctx.pick(by_role["teacher"]).name,
            "head_teacher": ctx.pick(by_role["head_teacher"]).name,
            "employment_officer": by_role["employment_officer"][0].name,
            "principal": by_role["principal"][0].name[0],
            "media_officer": by_role["media_officer"][0].name,
            "events_officer": by_role["events_officer"][0].name,
        }
        values.update(names)
        return ctx.pick(ctx.data["words"][call_type]).format(**values)

    def record(self, when: datetime, call_type: str, **values: Any) -> Call:
        """The call's row, taken by the receptionist on duty."""
        duration = timedelta(seconds=self.ctx.rng.randint(20, 240))
        row = Call(
            started_at=when,
            ended_at=when + duration,
            call_type=call_type,
            taken_by_id=self.roster.receptionist(when).id,
            **values,
        )
        return self.ctx.add(row)

    def recording(self, when: datetime, number: str | None) -> str | None:
        if self.ctx.rng.random() < 0.08:
            return None  # the recorder missed it: such a phone lead cannot be valid
        local = when.astimezone(self.ctx.tz)
        return f"rec/{local:%Y/%m/%d}/{local:%H%M%S}-{(number or 'unknown').lstrip('+')}.wav"

    def landline(self) -> str:
        return f"+8621{self.ctx.rng.randrange(10**8):08d}"

    # ---- one method per call type -----------------------------------------------------
    def call_first_inquiry(self, when: datetime, proxy: bool = False) -> None:
        ctx, roster, people = self.ctx, self.roster, self.people
        call_type = "proxy_inquiry" if proxy else "first_inquiry"
        words = self.words(call_type)
        free = roster.available(when)
        if not free and ctx.rng.random() < 0.15:
            # No consultant free and the caller would not leave a number (docs/domain.md §2.6).
            self.record(when, call_type, caller_number=people.mobile(), words=words, outcome="message_refused")
            return
        lead = people.new_lead(when, "phone", None, young=proxy)
        caller_name = people.person_name() if proxy else None
        number = people.mobile() if proxy else lead.phone
        if free:
            consultant = roster.rotate("phone", free)
            lead.owner_id = consultant.id
            call = self.record(
                when,
                call_type,
                caller_number=number,
                caller_name=caller_name,
                words=words,
                outcome="transferred",
                to_staff_id=consultant.id,
                lead_id=lead.id,
                recording_ref=self.recording(when, number),
                register_complete=True,
            )
            roster.assign("phone", consultant, when, lead=lead, call=call)
            roster.engage(consultant, when + timedelta(minutes=ctx.rng.randint(6, 18)))
            lead.phone_contacted = True
            if proxy and ctx.register_rng.random() < 0.3:
                # An agency calling for its client: the partner on the call and on the lead.
                name = ctx.register_rng.choice(ctx.data["sources"]["channels_for_proxy"])
                call.partner_id = lead.partner_id = ctx.partner(name, "agency", when)
            self.register_reminder(call, consultant)
            self.phone_consult(lead, consultant, call)
        else:
            consultant = roster.rotate("phone", roster.present)
            call = self.record(
                when,
                call_type,
                caller_number=number,
                caller_name=caller_name or lead.name,
                words=words,
                outcome="message_taken",
                lead_id=lead.id,
                to_staff_id=consultant.id,
                best_time=ctx.pick(["马上", "下午三点以后", "晚上七点后", "中午", "明天上午"]),
                purpose=f"想了解{lead.course_interest}",
            )
            lead.owner_id = consultant.id
            roster.assign("phone", consultant, when, lead=lead, call=call)
            self.followups.create(
                "callback", consultant, when + timedelta(minutes=5), lead=lead, call=call,
                note=f"{lead.name} {phone_digits(lead.phone)}：{call.purpose}，方便时间：{call.best_time}",
                quick=True,
            )
            if ctx.rng.random() < 0.8:
                ctx.schedule(when + timedelta(minutes=ctx.rng.randint(3, 40)), "callback_consult", lead_id=lead.id)
        self.followups.lead_story(lead, when)

    def call_proxy_inquiry(self, when: datetime) -> None:
        self.call_first_inquiry(when, proxy=True)

    def call_repeat_inquiry(self, when: datetime) -> None:
        ctx, roster = self.ctx, self.roster
        recent = [lead for lead in self.people.leads[-150:] if lead.stage in ("lead", "visited", "trial") and lead.owner_id]
        if not recent:
            return self.call_first_inquiry(when)
        lead = ctx.pick(recent)
        owner = roster.staff_by_id(lead.owner_id)
        words = self.words("repeat_inquiry", consultant=owner.name)
        free = roster.available(when)
        if owner in free:
            to, behalf, outcome = owner, None, "transferred"
        elif free and ctx.rng.random() < 0.6:
            to, behalf, outcome = ctx.pick(free), owner, "transferred"
        else:
            to, behalf, outcome = owner, None, "message_taken"
        call = self.record(
            when, "repeat_inquiry", caller_number=lead.phone, caller_name=lead.name, words=words,
            outcome=outcome, to_staff_id=to.id, on_behalf_of_id=behalf.id if behalf else None, lead_id=lead.id,
            recording_ref=self.recording(when, lead.phone), register_complete=True,
            purpose=None if outcome == "transferred" else ctx.pick(ctx.data["notes"]["asked"]),
        )
        if outcome == "transferred":
            roster.engage(to, when + timedelta(minutes=ctx.rng.randint(5, 15)))
            self.phone_consult(lead, to, call)
        else:
            self.followups.create("callback", owner, when + timedelta(minutes=5), lead=lead, call=call,
                                  note=f"{lead.name}再次来电：{call.purpose}", quick=True)

    def call_student(self, when: datetime) -> None:
        ctx = self.ctx
        student = ctx.pick(self.people.students)
        role = ctx.pick(["teacher", "head_teacher", "head_teacher", "employment_officer", "consultant"])
        person = ctx.pick(self.roster.by_role[role])
        template = {"teacher": "我是这里的学员，{name}老师在吗？", "head_teacher": "我找一下我们班主任{name}",
                    "employment_officer": "{name}老师在吗？我想问推荐工作的事",
                    "consultant": "我是学员，找一下{name}老师"}[role]
        self.record(when, "student", caller_number=student.phone, caller_name=student.name,
                    words=template.format(name=person.name), outcome="transferred", to_staff_id=person.id, lead_id=student.id)

    def call_directions(self, when: datetime) -> None:
        ctx = self.ctx
        coming = ctx.rng.random() < 0.3
        number = self.people.mobile()
        self.record(when, "directions", caller_number=number, words=self.words("directions"),
                    outcome="directions_given", purpose="来中心咨询" if coming else None)
        if coming:
            ctx.schedule(when + timedelta(minutes=ctx.rng.randint(25, 90)), "walk_in_arrives", phone=number)

    def call_business(self, when: datetime) -> None:
        ctx = self.ctx
        role = ctx.pick(["principal", "manager", "media_officer", "events_officer", "employment_officer"])
        person = ctx.pick(self.roster.by_role[role])
        caller = ctx.pick(ctx.data["people"]["surnames"]) + ctx.pick(["总", "经理", "老师", "主任"])
        words = {"principal": f"请问{person.name[0]}校长在吗？", "manager": f"找一下{person.name[0]}经理，约好了的"}.get(
            role, f"帮我转一下{person.name}")
        self.record(when, "business", caller_number=self.landline(), caller_name=caller, words=words,
                    outcome="transferred", to_staff_id=person.id, purpose=ctx.pick(["合作洽谈", "回复邮件", "活动场地", "招聘合作", "广告排期"]))

    def call_screened(self, when: datetime) -> None:
        ctx = self.ctx
        caller = ctx.pick(["某办公用品公司", "某网络推广公司", "某保险公司", "某饮水机公司", "某广告公司"])
        self.record(when, "screened", caller_number=self.landline() if ctx.rng.random() < 0.5 else self.people.mobile(),
                    caller_name=f"{self.people.person_name()}（{caller}）", words=self.words("screened"),
                    outcome="declined", purpose=f"{caller}推销")

    def call_complaint(self, when: datetime) -> None:
        ctx, people, manager = self.ctx, self.people, self.roster.manager
        source = ctx.pick(people.students) if people.students and ctx.rng.random() < 0.7 else None
        call = self.record(
            when, "complaint", caller_number=source.phone if source else people.mobile(),
            caller_name=source.name if source else people.person_name(), words=self.words("complaint"),
            outcome="escalated", to_staff_id=manager.id, lead_id=source.id if source else None,
            purpose=ctx.pick(["上课老师迟到", "退费进度慢", "教室空调坏了", "课程和宣传不符", "班主任不回消息"]),
        )
        self.followups.create("complaint", manager, when, lead=source, call=call, note=call.purpose, quick=True)

    def call_silent(self, when: datetime) -> None:
        self.record(when, "silent", caller_number=self.people.mobile() if self.ctx.rng.random() < 0.7 else None,
                    words=self.words("silent"), outcome="hung_up")

    def call_other(self, when: datetime) -> None:
        words = self.words("other")
        self.record(when, "other", caller_number=self.people.mobile(), words=words, outcome="handled",
                    purpose={"快": "快递", "招": "应聘", "打": "打错电话", "外": "外卖"}.get(words[1] if words[0] == "我" else words[0], "其他"))

    # ---- after the call ---------------------------------------------------------------
    def register_reminder(self, call: Call, consultant: Staff) -> None:
        """A few register rows stay incomplete: the front desk reminds the consultant."""
        ctx = self.ctx
        recent = ctx.now - call.started_at < timedelta(hours=2)
        if recent or ctx.rng.random() < 0.05:
            call.register_complete = not recent and ctx.rng.random() < 0.5
            self.followups.create("complete_register", consultant, call.ended_at + timedelta(minutes=10), call=call,
                                  lead_id=call.lead_id, note="电话登记表未填完整", quick=True)

    def phone_consult(self, lead: Lead, consultant: Staff, call: Call) -> None:
        """The consultant's note of a call put through; some callers promise to visit."""
        ctx = self.ctx
        if ctx.rng.random() > 0.85:
            return
        notes = ctx.data["notes"]
        promised = None
        if ctx.rng.random() < 0.45:
            promised = ctx.working_day(ctx.local_day(call.started_at) + timedelta(days=ctx.rng.randint(1, 5)))
        ctx.add(
            ConsultNote(
                lead_id=lead.id, staff_id=consultant.id, kind="phone", call_id=call.id,
                asked=ctx.pick(notes["asked"]), intent=ctx.rng.choice(["high", "medium", "medium", "low"]),
                promised_visit_on=promised, next_step=f"约{promised:%m月%d日}来中心" if promised else ctx.pick(notes["next_steps"]),
                text=f"{lead.age or '?'}岁，{lead.school_or_job}，想学{lead.course_interest}，{lead.media_source}看到的",
                created_at=call.ended_at,
            )
        )
        if promised:
            self.followups.promise(lead, promised)

    def callback_consult(self, when: datetime, lead_id: int) -> None:
        """Story: the consultant calls back a caller who left a message, and notes it."""
        ctx = self.ctx
        lead = self.people.lead(lead_id)
        owner = self.roster.staff_by_id(lead.owner_id)
        lead.phone_contacted = True
        ctx.add(ConsultNote(lead_id=lead.id, staff_id=owner.id, kind="phone", asked=ctx.pick(ctx.data["notes"]["asked"]),
                            intent=ctx.rng.choice(["medium", "low", "high"]), next_step=ctx.pick(ctx.data["notes"]["next_steps"]),
                            text="回电：" + f"想学{lead.course_interest}", created_at=when))
